package org.cfq.io.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Splits;
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * UCI Statlog German Credit: 1,000 rows of 20 attributes and the class (1 good =
 * favorable, 2 bad), split 70/30 stratified with the default seed, then 15% of training
 * for validation. Level features are named by the UCI documentation's words for the file's
 * codes (A14 is "no account", A43 "radio/television"); the attribute names follow the UCI
 * documentation. {@code employment_since} (A71 unemployed ..
 * A75 seven years or more) is ordinal; the other coded attributes are categorical, except the
 * two-level telephone and foreign_worker, which are binary.
 */
final class GermanLoader extends DownloadedDataset {
    static final RemoteFile FILE = new RemoteFile("german.data",
            URI.create("https://archive.ics.uci.edu/ml/machine-learning-databases/statlog/german/german.data"),
            "e2bc10785808eeb5e30462f0805edb73a672f295bc671dec0bca6e2fb5c8e1ca");
    static final int ROWS = 1000;
    private static final int FIELDS = 21;

    /** The UCI code of each level (A11, ...) and the words cfq uses for it, in code order. */
    private static final String[][] WORDS = {
            {"A11", "< 0 DM"}, {"A12", "0 to < 200 DM"}, {"A13", ">= 200 DM or salary assigned"},
            {"A14", "no account"},
            {"A30", "no credits taken or all paid back duly"}, {"A31", "all credits at this bank paid back duly"},
            {"A32", "existing credits paid back duly till now"}, {"A33", "delay in paying off in the past"},
            {"A34", "critical account or credits at other banks"},
            {"A40", "car (new)"}, {"A41", "car (used)"}, {"A42", "furniture/equipment"}, {"A43", "radio/television"},
            {"A44", "domestic appliances"}, {"A45", "repairs"}, {"A46", "education"}, {"A47", "vacation"},
            {"A48", "retraining"}, {"A49", "business"}, {"A410", "others"},
            {"A61", "< 100 DM"}, {"A62", "100 to < 500 DM"}, {"A63", "500 to < 1000 DM"}, {"A64", ">= 1000 DM"},
            {"A65", "unknown or no savings account"},
            {"A71", "unemployed"}, {"A72", "< 1 year"}, {"A73", "1 to < 4 years"}, {"A74", "4 to < 7 years"},
            {"A75", ">= 7 years"},
            {"A91", "male: divorced/separated"}, {"A92", "female: divorced/separated/married"},
            {"A93", "male: single"}, {"A94", "male: married/widowed"}, {"A95", "female: single"},
            {"A101", "none"}, {"A102", "co-applicant"}, {"A103", "guarantor"},
            {"A121", "real estate"}, {"A122", "building society savings or life insurance"},
            {"A123", "car or other property"}, {"A124", "unknown or no property"},
            {"A141", "bank"}, {"A142", "stores"}, {"A143", "none"},
            {"A151", "rent"}, {"A152", "own"}, {"A153", "for free"},
            {"A171", "unemployed or unskilled non-resident"}, {"A172", "unskilled resident"},
            {"A173", "skilled employee or official"}, {"A174", "management/self-employed/highly qualified"},
            {"A191", "none"}, {"A192", "yes, registered under the customer's name"},
            {"A201", "yes"}, {"A202", "no"}};

    private static final FeatureSchema SCHEMA = new FeatureSchema("german", List.of(
            FeatureSpec.categorical("checking_status", words("A1", 1, 4), Actionability.FREE),
            FeatureSpec.integer("duration", Actionability.FREE),
            FeatureSpec.categorical("credit_history", words("A3", 0, 4), Actionability.FREE),
            FeatureSpec.categorical("purpose", words("A4", 0, 10), Actionability.FREE),
            FeatureSpec.continuous("credit_amount", Actionability.FREE),
            FeatureSpec.categorical("savings", words("A6", 1, 5), Actionability.FREE),
            FeatureSpec.ordinal("employment_since", words("A7", 1, 5), Actionability.FREE),
            FeatureSpec.integer("installment_rate", Actionability.FREE),
            FeatureSpec.categorical("personal_status_sex", words("A9", 1, 5), Actionability.FREE),
            FeatureSpec.categorical("other_debtors", words("A10", 1, 3), Actionability.FREE),
            FeatureSpec.integer("residence_since", Actionability.FREE),
            FeatureSpec.categorical("property", words("A12", 1, 4), Actionability.FREE),
            FeatureSpec.integer("age", Actionability.FREE),
            FeatureSpec.categorical("other_installment_plans", words("A14", 1, 3), Actionability.FREE),
            FeatureSpec.categorical("housing", words("A15", 1, 3), Actionability.FREE),
            FeatureSpec.integer("existing_credits", Actionability.FREE),
            FeatureSpec.categorical("job", words("A17", 1, 4), Actionability.FREE),
            FeatureSpec.integer("num_dependents", Actionability.FREE),
            FeatureSpec.binary("telephone", words("A19", 1, 2), Actionability.FREE),
            FeatureSpec.binary("foreign_worker", words("A20", 1, 2), Actionability.FREE)),
            "credit_risk", "1");

    private static final double INF = Double.POSITIVE_INFINITY;

    /** The natural domain of each feature; docs/datasets.md gives each one's reason. */
    static final Map<String, NaturalDomain> NATURAL = Map.ofEntries(
            Map.entry("checking_status", NaturalDomain.levels(Set.of("no account"), List.of())),
            Map.entry("duration", NaturalDomain.numeric(1, INF, 1)),
            Map.entry("credit_amount", NaturalDomain.numeric(1, INF, 1)),
            Map.entry("savings", NaturalDomain.levels(Set.of("unknown or no savings account"), List.of())),
            Map.entry("employment_since", NaturalDomain.levels(Set.of("unemployed"), List.of())),
            Map.entry("installment_rate", NaturalDomain.numeric(1, 4, 1)),
            Map.entry("residence_since", NaturalDomain.numeric(1, 4, 1)),
            Map.entry("property", NaturalDomain.levels(Set.of("unknown or no property"), List.of())),
            Map.entry("age", NaturalDomain.numeric(18, INF, 1)),
            Map.entry("housing", NaturalDomain.levels(Set.of("for free"), List.of())),
            Map.entry("existing_credits", NaturalDomain.numeric(1, INF, 1)),
            Map.entry("job", NaturalDomain.levels(Set.of("unemployed or unskilled non-resident"), List.of())),
            Map.entry("num_dependents", NaturalDomain.numeric(0, INF, 1)));

    /** {@return the words of the levels with codes prefix+from .. prefix+to} */
    private static List<String> words(String prefix, int from, int to) {
        String[] out = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            out[i - from] = word(prefix + i);
        }
        return List.of(out);
    }

    /** {@return the words for a UCI code, or null when it is not a code of the file} */
    static String word(String code) {
        for (String[] w : WORDS) {
            if (w[0].equals(code)) {
                return w[1];
            }
        }
        return null;
    }

    GermanLoader() {
        super("german", "UCI Statlog German credit (good credit favorable)", List.of(FILE), SCHEMA,
                RecourseRequest.GERMAN_SPARSITY, List.of("age", "personal_status_sex", "foreign_worker"), List.of(
                        Map.entry("credit_history", Actionability.IMMUTABLE),
                        Map.entry("num_dependents", Actionability.IMMUTABLE),
                        Map.entry("residence_since", Actionability.INCREASE_ONLY),
                        Map.entry("employment_since", Actionability.INCREASE_ONLY),
                        Map.entry("existing_credits", Actionability.DECREASE_ONLY)), NATURAL, List.of());
    }

    @Override
    public String subgroupFeature() {
        return "personal_status_sex";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
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
            for (int i = 0; i < 20; i++) {
                if (SCHEMA.feature(i).kind().hasLevels()) {
                    String w = word(cells[i]);
                    if (w == null) {
                        throw new InvalidInputException(at + ", column '" + SCHEMA.feature(i).name() + "'",
                                "unknown code '" + cells[i] + "'", fix);
                    }
                    cells[i] = w;
                }
            }
            LoaderSupport.parseFeatures(SCHEMA, cells, row, at);
            out.add(row, LoaderSupport.label(cells[20], "1", "2", () -> new InvalidInputException(at
                    + ", column 'credit_risk'", "unknown class '" + cells[20] + "'; expected 1 (good) or 2 (bad)", fix)));
        });
        LoaderSupport.checkRowCount(file, out.rows(), ROWS, "rows", FILE.uri());
        return Splits.trainValidationTest(name(), out.build(), file.toString(), splitSeed);
    }
}
