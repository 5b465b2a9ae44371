package org.cfq.io.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Splits;
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * UCI Statlog German Credit: 1,000 rows of 20 attributes and the class (1 good =
 * favorable, 2 bad), split 70/30 stratified with the default seed, then 15% of training
 * for validation. Level features keep the file's codes (A11, A12, ...) as level names; the
 * attribute names follow the UCI documentation. {@code employment_since} (A71 unemployed ..
 * A75 seven years or more) is ordinal; the other coded attributes are categorical, except the
 * two-level telephone and foreign_worker, which are binary.
 */
final class GermanLoader extends DownloadedDataset {
    static final RemoteFile FILE = new RemoteFile("german.data",
            URI.create("https://archive.ics.uci.edu/ml/machine-learning-databases/statlog/german/german.data"),
            "e2bc10785808eeb5e30462f0805edb73a672f295bc671dec0bca6e2fb5c8e1ca");
    static final int ROWS = 1000;
    private static final int FIELDS = 21;

    private static final FeatureSchema SCHEMA = new FeatureSchema("german", List.of(
            FeatureSpec.categorical("checking_status", codes("A1", 1, 4), Actionability.FREE),
            FeatureSpec.integer("duration", Actionability.FREE),
            FeatureSpec.categorical("credit_history", codes("A3", 0, 4), Actionability.FREE),
            FeatureSpec.categorical("purpose", List.of("A40", "A41", "A42", "A43", "A44", "A45", "A46", "A47",
                    "A48", "A49", "A410"), Actionability.FREE),
            FeatureSpec.continuous("credit_amount", Actionability.FREE),
            FeatureSpec.categorical("savings", codes("A6", 1, 5), Actionability.FREE),
            FeatureSpec.ordinal("employment_since", codes("A7", 1, 5), Actionability.FREE),
            FeatureSpec.integer("installment_rate", Actionability.FREE),
            FeatureSpec.categorical("personal_status_sex", codes("A9", 1, 5), Actionability.FREE),
            FeatureSpec.categorical("other_debtors", codes("A10", 1, 3), Actionability.FREE),
            FeatureSpec.integer("residence_since", Actionability.FREE),
            FeatureSpec.categorical("property", codes("A12", 1, 4), Actionability.FREE),
            FeatureSpec.integer("age", Actionability.FREE),
            FeatureSpec.categorical("other_installment_plans", codes("A14", 1, 3), Actionability.FREE),
            FeatureSpec.categorical("housing", codes("A15", 1, 3), Actionability.FREE),
            FeatureSpec.integer("existing_credits", Actionability.FREE),
            FeatureSpec.categorical("job", codes("A17", 1, 4), Actionability.FREE),
            FeatureSpec.integer("num_dependents", Actionability.FREE),
            FeatureSpec.binary("telephone", codes("A19", 1, 2), Actionability.FREE),
            FeatureSpec.binary("foreign_worker", codes("A20", 1, 2), Actionability.FREE)),
            "credit_risk", "1");

    private static List<String> codes(String prefix, int from, int to) {
        String[] out = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = prefix + i;
        }
        return List.of(out);
    }

    GermanLoader() {
        super("german", "UCI Statlog German credit (good credit favorable)", List.of(FILE), SCHEMA,
                RecourseRequest.GERMAN_SPARSITY, List.of("age", "personal_status_sex", "foreign_worker"), List.of(
                        Map.entry("credit_history", Actionability.IMMUTABLE),
                        Map.entry("num_dependents", Actionability.IMMUTABLE),
                        Map.entry("residence_since", Actionability.INCREASE_ONLY),
                        Map.entry("employment_since", Actionability.INCREASE_ONLY),
                        Map.entry("existing_credits", Actionability.DECREASE_ONLY)));
    }

    @Override
    public Dataset load(Map<String, Path> files) {
        Path file = files.get(FILE.fileName());
        TableBuilder out = new TableBuilder(SCHEMA);
        double[] row = new double[SCHEMA.size()];
        String fix = LoaderSupport.replaceWith(FILE.uri());
        LoaderSupport.forEachLine(file, (line, at) -> {
            // One line of the known copy carries a trailing space: trim before splitting.
            String t = line.trim();
            if (t.isEmpty()) {
                return;
            }
            String[] cells = t.split("\\s+");
            LoaderSupport.checkFieldCount(cells.length, FIELDS, "space-separated fields (20 attributes and the class)",
                    at, fix);
            LoaderSupport.parseFeatures(SCHEMA, cells, row, at);
            out.add(row, LoaderSupport.label(cells[20], "1", "2", () -> new InvalidInputException(at
                    + ", column 'credit_risk'", "unknown class '" + cells[20] + "'; expected 1 (good) or 2 (bad)", fix)));
        });
        LoaderSupport.checkRowCount(file, out.rows(), ROWS, "rows", FILE.uri());
        return Splits.trainValidationTest(name(), out.build(), file.toString(), Splits.DEFAULT_SEED);
    }
}
