package org.cfq.io.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Range;
import org.cfq.data.Splits;
import org.cfq.data.Table;
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * UCI Adult (Census Income). Train rows from adult.data, test rows from adult.test, and a
 * seeded stratified 15% validation split from the train rows.
 *
 * <p>Feature set (12 of 14 attributes): {@code fnlwgt} is dropped (a census sampling weight,
 * not a property of the person), and {@code education} is dropped in favor of
 * {@code education-num}, which encodes the same 16 levels in their natural order, as an
 * integer in [1, 16]. Missing values ({@code ?}, only in workclass, occupation and
 * native-country) become an explicit {@code unknown} level, so no row is dropped and the
 * row counts match the files.
 */
final class AdultLoader extends DownloadedDataset {
    static final RemoteFile TRAIN = new RemoteFile("adult.data",
            URI.create("https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.data"),
            "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d");
    static final RemoteFile TEST = new RemoteFile("adult.test",
            URI.create("https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.test"),
            "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05");
    static final int TRAIN_ROWS = 32_561;
    static final int TEST_ROWS = 16_281;
    static final String UNKNOWN = "unknown";

    /** Source column of each schema feature in the 15-field rows. */
    private static final int[] SOURCE = {0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    private static final int LABEL = 14;
    private static final int FIELDS = 15;

    private static final FeatureSchema SCHEMA = new FeatureSchema("adult", List.of(
            FeatureSpec.integer("age", Actionability.FREE),
            FeatureSpec.categorical("workclass", List.of("Federal-gov", "Local-gov", "Never-worked", "Private",
                    "Self-emp-inc", "Self-emp-not-inc", "State-gov", "Without-pay", UNKNOWN), Actionability.FREE),
            FeatureSpec.integer("education-num", Actionability.FREE).withRange(new Range(1, 16)),
            FeatureSpec.categorical("marital-status", List.of("Divorced", "Married-AF-spouse", "Married-civ-spouse",
                    "Married-spouse-absent", "Never-married", "Separated", "Widowed"), Actionability.FREE),
            FeatureSpec.categorical("occupation", List.of("Adm-clerical", "Armed-Forces", "Craft-repair",
                    "Exec-managerial", "Farming-fishing", "Handlers-cleaners", "Machine-op-inspct", "Other-service",
                    "Priv-house-serv", "Prof-specialty", "Protective-serv", "Sales", "Tech-support",
                    "Transport-moving", UNKNOWN), Actionability.FREE),
            FeatureSpec.categorical("relationship", List.of("Husband", "Not-in-family", "Other-relative", "Own-child",
                    "Unmarried", "Wife"), Actionability.FREE),
            FeatureSpec.categorical("race", List.of("Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "Other",
                    "White"), Actionability.FREE),
            FeatureSpec.binary("sex", List.of("Female", "Male"), Actionability.FREE),
            FeatureSpec.continuous("capital-gain", Actionability.FREE),
            FeatureSpec.continuous("capital-loss", Actionability.FREE),
            FeatureSpec.integer("hours-per-week", Actionability.FREE).withRange(new Range(1, 99)),
            FeatureSpec.categorical("native-country", List.of("Cambodia", "Canada", "China", "Columbia", "Cuba",
                    "Dominican-Republic", "Ecuador", "El-Salvador", "England", "France", "Germany", "Greece",
                    "Guatemala", "Haiti", "Holand-Netherlands", "Honduras", "Hong", "Hungary", "India", "Iran",
                    "Ireland", "Italy", "Jamaica", "Japan", "Laos", "Mexico", "Nicaragua",
                    "Outlying-US(Guam-USVI-etc)", "Peru", "Philippines", "Poland", "Portugal", "Puerto-Rico",
                    "Scotland", "South", "Taiwan", "Thailand", "Trinadad&Tobago", "United-States", "Vietnam",
                    "Yugoslavia", UNKNOWN), Actionability.FREE)),
            "income", ">50K");

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final List<String> MARRIED = List.of("Married-civ-spouse", "Married-AF-spouse");

    /** The natural domain of each feature; docs/datasets.md gives each one's reason. */
    static final Map<String, NaturalDomain> NATURAL = Map.of(
            "age", NaturalDomain.numeric(0, INF, 1),
            "workclass", NaturalDomain.levels(Set.of("Never-worked", "Without-pay", UNKNOWN), List.of()),
            "education-num", NaturalDomain.numeric(1, 16, 1),
            "marital-status", NaturalDomain.levels(Set.of("Widowed"), List.of()),
            "occupation", NaturalDomain.levels(Set.of(UNKNOWN), List.of()),
            "capital-gain", NaturalDomain.numeric(0, 99_999, 1),
            "capital-loss", NaturalDomain.numeric(0, INF, 1),
            "hours-per-week", NaturalDomain.numeric(1, 99, 1),
            "native-country", NaturalDomain.levels(Set.of(UNKNOWN), List.of()));

    /** Husband only with a man, Wife only with a woman, both only when married. */
    static final List<ConsistencyRule> RULES = List.of(
            new ConsistencyRule("relationship", Set.of("Husband"), "sex", Set.of("Male"),
                    "the census codes a husband as a man"),
            new ConsistencyRule("relationship", Set.of("Wife"), "sex", Set.of("Female"),
                    "the census codes a wife as a woman"),
            new ConsistencyRule("relationship", Set.of("Husband", "Wife"), "marital-status", Set.copyOf(MARRIED),
                    "a husband or wife is married with the spouse present"));

    @Override
    public Map<String, Map<String, String>> sourceSpellings() {
        Map<String, String> missing = Map.of("?", UNKNOWN);
        return Map.of("workclass", missing, "occupation", missing, "native-country", missing);
    }

    AdultLoader() {
        super("adult", "UCI Adult census income (>50K favorable)", List.of(TRAIN, TEST), SCHEMA,
                RecourseRequest.ADULT_SPARSITY, List.of("age", "sex", "race", "native-country"), List.of(
                        Map.entry("education-num", Actionability.INCREASE_ONLY),
                        Map.entry("marital-status", Actionability.IMMUTABLE),
                        Map.entry("relationship", Actionability.IMMUTABLE),
                        Map.entry("capital-loss", Actionability.DECREASE_ONLY)), NATURAL, RULES);
    }

    @Override
    public String subgroupFeature() {
        return "sex";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
        Path train = files.get(TRAIN.fileName());
        Path test = files.get(TEST.fileName());
        // Parsed once per file's bytes; later processes read the binary copy (ParsedCache).
        Table trainTable = ParsedCache.read(train, SCHEMA, AdultLoader.class, f -> read(f, TRAIN_ROWS));
        Table testTable = ParsedCache.read(test, SCHEMA, AdultLoader.class, f -> read(f, TEST_ROWS));
        return Splits.withValidation(name(), trainTable, testTable, train + ", " + test,
                Splits.DEFAULT_VALIDATION_FRACTION, splitSeed);
    }

    /** Reads one Adult file; lines starting with '|' are comments, blank lines are skipped. */
    static Table read(Path file, int expectedRows) {
        TableBuilder out = new TableBuilder(SCHEMA);
        double[] row = new double[SCHEMA.size()];
        String[] featureCells = new String[SCHEMA.size()];
        String name = file.getFileName().toString();
        String fieldsFix = "Replace the file with the canonical " + name + " (" + uriOf(name) + ")";
        LoaderSupport.forEachLine(file, (line, at) -> {
            if (line.isBlank() || line.startsWith("|")) {
                return;
            }
            List<String> cells = split(line);
            LoaderSupport.checkFieldCount(cells.size(), FIELDS, "comma-separated fields", at, fieldsFix);
            for (int i = 0; i < featureCells.length; i++) {
                String cell = cells.get(SOURCE[i]);
                featureCells[i] = cell.equals("?") && SCHEMA.feature(i).levelIndex(UNKNOWN) >= 0 ? UNKNOWN : cell;
            }
            LoaderSupport.parseFeatures(SCHEMA, featureCells, row, at);
            String raw = cells.get(LABEL);
            String y = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
            out.add(row, LoaderSupport.label(y, ">50K", "<=50K", () -> new InvalidInputException(at
                    + ", column 'income'", "unknown label '" + y + "'; expected '>50K' or '<=50K'",
                    "Replace the file with the canonical " + name)));
        });
        LoaderSupport.checkRowCount(file, out.rows(), expectedRows, "data rows", uriOf(name));
        return out.build();
    }

    private static URI uriOf(String fileName) {
        return (fileName.equals(TEST.fileName()) ? TEST : TRAIN).uri();
    }

    /** Splits on commas and trims each field (the files use ", "). */
    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>(FIELDS);
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ',') {
                cells.add(line.substring(start, i).trim());
                start = i + 1;
            }
        }
        return cells;
    }
}
