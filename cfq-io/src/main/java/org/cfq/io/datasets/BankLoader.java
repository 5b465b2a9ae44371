package org.cfq.io.datasets;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Splits;
import org.cfq.data.Table;
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * UCI Bank Marketing (Moro, Cortez and Rita 2014; {@code bank-full.csv}, 45,211 rows): did a
 * client of a Portuguese bank subscribe a term deposit after a telemarketing call ({@code y} =
 * yes is favorable). Split 70/30 stratified, then 15% of training for validation.
 *
 * <p>{@code duration} (the call's length) is known only after the call and all but decides the
 * label, so {@code bank} leaves it out; {@code bank-duration} keeps it, as the paper's authors do.
 * The canonical address serves a zip holding {@code bank.zip}, which holds the file: the download
 * unpacks both and checks the extracted file's SHA-256 (the zips' bytes may change).
 */
final class BankLoader extends DownloadedDataset {
    static final RemoteFile FILE = new RemoteFile("bank-full.csv",
            URI.create("https://archive.ics.uci.edu/static/public/222/bank+marketing.zip"),
            "d1513ec63b385506f7cfce9f2c5caa9fe99e7ba4e8c3fa264b3aaf0f849ed32d", List.of("bank.zip", "bank-full.csv"));
    static final int ROWS = 45_211;
    static final String NAME = "bank";
    static final String WITH_DURATION = "bank-duration";
    private static final String UNKNOWN = "unknown";
    private static final double INF = Double.POSITIVE_INFINITY;

    private static final List<String> EDUCATION = List.of("primary", "secondary", "tertiary", UNKNOWN);

    private final FeatureSchema fileSchema;

    /** @param keepDuration keep the call's {@code duration} (the authors' feature set) */
    BankLoader(boolean keepDuration) {
        this(keepDuration, schema(keepDuration));
    }

    private BankLoader(boolean keepDuration, FeatureSchema schema) {
        super(keepDuration ? WITH_DURATION : NAME, keepDuration
                        ? "UCI Bank Marketing with the call's duration, the authors' feature set (subscribed favorable)"
                        : "UCI Bank Marketing term deposits, call duration left out (subscribed favorable)",
                List.of(FILE), schema, RecourseRequest.BANK_SPARSITY, List.of("age"), realistic(keepDuration),
                natural(keepDuration), List.of());
        this.fileSchema = schema;
    }

    static FeatureSchema schema(boolean keepDuration) {
        List<FeatureSpec> f = new ArrayList<>(List.of(
                FeatureSpec.integer("age", Actionability.FREE),
                FeatureSpec.categorical("job", List.of("admin.", "blue-collar", "entrepreneur", "housemaid",
                        "management", "retired", "self-employed", "services", "student", "technician", "unemployed",
                        UNKNOWN), Actionability.FREE),
                FeatureSpec.categorical("marital", List.of("divorced", "married", "single"), Actionability.FREE),
                FeatureSpec.categorical("education", EDUCATION, Actionability.FREE),
                FeatureSpec.binary("default", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.integer("balance", Actionability.FREE),
                FeatureSpec.binary("housing", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.binary("loan", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.categorical("contact", List.of("cellular", "telephone", UNKNOWN), Actionability.FREE),
                FeatureSpec.integer("day", Actionability.FREE),
                FeatureSpec.categorical("month", List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                        "oct", "nov", "dec"), Actionability.FREE)));
        if (keepDuration) {
            f.add(FeatureSpec.integer("duration", Actionability.FREE));
        }
        f.addAll(List.of(
                FeatureSpec.integer("campaign", Actionability.FREE),
                FeatureSpec.integer("pdays", Actionability.FREE),
                FeatureSpec.integer("previous", Actionability.FREE),
                FeatureSpec.categorical("poutcome", List.of("failure", "other", "success", UNKNOWN), Actionability.FREE)));
        return new FeatureSchema(keepDuration ? WITH_DURATION : NAME, f, "y", "yes");
    }

    /**
     * The realistic preset: a client may change job, education (upwards), balance and the two
     * loans; the household, the credit record and everything about the bank's calls are fixed.
     */
    private static List<Map.Entry<String, Actionability>> realistic(boolean keepDuration) {
        List<Map.Entry<String, Actionability>> r = new ArrayList<>(List.of(
                // advising someone to marry or divorce for a deposit offer is not recourse (as for Adult)
                Map.entry("marital", Actionability.IMMUTABLE),
                // a credit in default is on record
                Map.entry("default", Actionability.IMMUTABLE),
                // saving more is the action; drawing the balance down is not advice
                Map.entry("balance", Actionability.INCREASE_ONLY),
                // the channel, day and month of the call are the bank's choices, not the client's
                Map.entry("contact", Actionability.IMMUTABLE),
                Map.entry("day", Actionability.IMMUTABLE),
                Map.entry("month", Actionability.IMMUTABLE),
                // the contact history describes the past
                Map.entry("campaign", Actionability.IMMUTABLE),
                Map.entry("pdays", Actionability.IMMUTABLE),
                Map.entry("previous", Actionability.IMMUTABLE),
                Map.entry("poutcome", Actionability.IMMUTABLE)));
        if (keepDuration) {
            r.add(Map.entry("duration", Actionability.IMMUTABLE)); // known only after the call
        }
        return r;
    }

    /** The natural domain of each feature; docs/datasets.md gives each one's reason. */
    private static Map<String, NaturalDomain> natural(boolean keepDuration) {
        Map<String, NaturalDomain> m = new java.util.LinkedHashMap<>(Map.of(
                "age", NaturalDomain.numeric(18, INF, 1),
                "job", NaturalDomain.levels(Set.of(UNKNOWN, "unemployed", "retired", "student"), List.of()),
                "education", NaturalDomain.levels(Set.of(UNKNOWN), List.of(
                        new NaturalDomain.Transition("secondary", "primary"),
                        new NaturalDomain.Transition("tertiary", "primary"),
                        new NaturalDomain.Transition("tertiary", "secondary"))),
                "balance", NaturalDomain.numeric(-INF, INF, 1),
                "housing", NaturalDomain.levels(Set.of(), List.of(new NaturalDomain.Transition("no", "yes"))),
                "loan", NaturalDomain.levels(Set.of(), List.of(new NaturalDomain.Transition("no", "yes"))),
                "contact", NaturalDomain.levels(Set.of(UNKNOWN), List.of()),
                "day", NaturalDomain.numeric(1, 31, 1),
                "campaign", NaturalDomain.numeric(1, INF, 1),
                "pdays", NaturalDomain.numeric(-1, INF, 1)));
        m.put("previous", NaturalDomain.numeric(0, INF, 1));
        if (keepDuration) {
            m.put("duration", NaturalDomain.numeric(0, INF, 1));
        }
        return m;
    }

    @Override
    public String subgroupFeature() {
        return "marital";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
        Path file = files.get(FILE.fileName());
        return Splits.trainValidationTest(name(), read(file, fileSchema, ROWS), file.toString(), splitSeed);
    }

    /**
     * Reads the semicolon-separated file (quoted strings, header row); columns are found by name.
     *
     * @param expectedRows the data rows the file must hold (the canonical file's 45,211)
     * @throws InvalidInputException naming the file, line and column of what is wrong
     */
    static Table read(Path file, FeatureSchema schema, int expectedRows) {
        String name = file.getFileName().toString();
        TableBuilder out = new TableBuilder(schema);
        double[] row = new double[schema.size()];
        String[] cells = new String[schema.size()];
        String rowFix = LoaderSupport.replaceWith(FILE.uri());
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(r, CSVFormat.DEFAULT.builder().setDelimiter(';').get())) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new InvalidInputException(file.toString(), "the file is empty", LoaderSupport.replaceFrom(FILE.uri()));
            }
            List<String> header = it.next().toList();
            int[] cols = new int[schema.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = column(header, schema.feature(i).name(), file);
            }
            int label = column(header, "y", file);
            while (it.hasNext()) {
                CSVRecord rec = it.next();
                String at = name + " line " + parser.getCurrentLineNumber();
                LoaderSupport.checkFieldCount(rec.size(), header.size(), "semicolon-separated fields", at, rowFix);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = rec.get(cols[i]).trim();
                }
                LoaderSupport.parseFeatures(schema, cells, row, at);
                String y = rec.get(label).trim();
                out.add(row, LoaderSupport.label(y, "yes", "no", () -> new InvalidInputException(at + ", column 'y'",
                        "expected 'yes' or 'no', found '" + y + "'", rowFix)));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read as CSV (" + e.getMessage() + ")",
                    LoaderSupport.replaceFrom(FILE.uri()), e);
        }
        LoaderSupport.checkRowCount(file, out.rows(), expectedRows, "data rows", FILE.uri());
        return out.build();
    }

    private static int column(List<String> header, String name, Path file) {
        int idx = header.indexOf(name);
        if (idx < 0) {
            throw new InvalidInputException(file + " line 1 (header)", "no column '" + name + "'",
                    LoaderSupport.replaceWith(FILE.uri()));
        }
        return idx;
    }
}
