package org.cfq.io.datasets;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * ProPublica COMPAS two-year recidivism, with ProPublica's filter (6,172 of 7,214 rows):
 * {@code -30 <= days_b_screening_arrest <= 30} (an empty value fails it),
 * {@code is_recid != -1}, {@code c_charge_degree != "O"}, {@code score_text != "N/A"}.
 * Label: {@code two_year_recid} 0 is favorable (class 1). Split 70/30 stratified with the
 * default seed, then 15% of training for validation.
 *
 * <p>The header repeats {@code decile_score} and {@code priors_count}; the header is read
 * as a plain record and each name maps to its first column (the repeats hold the same values).
 */
final class CompasLoader extends DownloadedDataset {
    static final RemoteFile FILE = new RemoteFile("compas-scores-two-years.csv",
            URI.create("https://raw.githubusercontent.com/propublica/compas-analysis/master/compas-scores-two-years.csv"),
            "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d");
    static final int RAW_ROWS = 7214;
    static final int ROWS = 6172;

    private static final FeatureSchema SCHEMA = new FeatureSchema("compas", List.of(
            FeatureSpec.integer("age", Actionability.FREE),
            FeatureSpec.binary("sex", List.of("Female", "Male"), Actionability.FREE),
            FeatureSpec.categorical("race", List.of("African-American", "Asian", "Caucasian", "Hispanic",
                    "Native American", "Other"), Actionability.FREE),
            FeatureSpec.integer("juv_fel_count", Actionability.FREE),
            FeatureSpec.integer("juv_misd_count", Actionability.FREE),
            FeatureSpec.integer("juv_other_count", Actionability.FREE),
            FeatureSpec.integer("priors_count", Actionability.FREE),
            FeatureSpec.binary("c_charge_degree", List.of("F", "M"), Actionability.FREE)),
            "two_year_recid", "0");

    CompasLoader() {
        super("compas", "ProPublica COMPAS two-year recidivism (no recidivism favorable)", List.of(FILE), SCHEMA,
                RecourseRequest.COMPAS_SPARSITY, List.of("age", "sex", "race"), List.of(
                        // Every feature describes the past: nothing a defendant could act on.
                        Map.entry("juv_fel_count", Actionability.IMMUTABLE),
                        Map.entry("juv_misd_count", Actionability.IMMUTABLE),
                        Map.entry("juv_other_count", Actionability.IMMUTABLE),
                        Map.entry("priors_count", Actionability.IMMUTABLE),
                        Map.entry("c_charge_degree", Actionability.IMMUTABLE)), Map.of(
                        "age", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1),
                        "juv_fel_count", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1),
                        "juv_misd_count", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1),
                        "juv_other_count", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1),
                        "priors_count", NaturalDomain.numeric(0, Double.POSITIVE_INFINITY, 1)), List.of());
    }

    @Override
    public String subgroupFeature() {
        return "race";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
        Path file = files.get(FILE.fileName());
        String name = file.getFileName().toString();
        TableBuilder out = new TableBuilder(SCHEMA);
        double[] row = new double[SCHEMA.size()];
        String[] cells = new String[SCHEMA.size()];
        String rowFix = LoaderSupport.replaceWith(FILE.uri());
        int raw = 0;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(r, CSVFormat.DEFAULT)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new InvalidInputException(file.toString(), "the file is empty",
                        LoaderSupport.replaceFrom(FILE.uri()));
            }
            List<String> header = it.next().toList();
            int[] cols = new int[SCHEMA.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = column(header, SCHEMA.feature(i).name(), file);
            }
            int days = column(header, "days_b_screening_arrest", file);
            int isRecid = column(header, "is_recid", file);
            int degree = column(header, "c_charge_degree", file);
            int scoreText = column(header, "score_text", file);
            int label = column(header, "two_year_recid", file);
            while (it.hasNext()) {
                CSVRecord rec = it.next();
                raw++;
                String at = name + " line " + parser.getCurrentLineNumber();
                LoaderSupport.checkFieldCount(rec.size(), header.size(), "fields", at, rowFix);
                if (!keep(rec.get(days), rec.get(isRecid), rec.get(degree), rec.get(scoreText))) {
                    continue;
                }
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = rec.get(cols[i]);
                }
                LoaderSupport.parseFeatures(SCHEMA, cells, row, at);
                String y = rec.get(label).trim();
                out.add(row, LoaderSupport.label(y, "0", "1", () -> new InvalidInputException(at
                        + ", column 'two_year_recid'", "expected 0 or 1, found '" + y + "'", rowFix)));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read as CSV (" + e.getMessage() + ")",
                    LoaderSupport.replaceFrom(FILE.uri()), e);
        }
        if (raw != RAW_ROWS || out.rows() != ROWS) {
            throw new InvalidInputException(file.toString(), "holds " + raw + " rows of which " + out.rows()
                    + " pass ProPublica's filter, expected " + RAW_ROWS + " and " + ROWS,
                    LoaderSupport.replaceFrom(FILE.uri()));
        }
        return Splits.trainValidationTest(name(), out.build(), file.toString(), splitSeed);
    }

    /** ProPublica's row filter; an empty or non-numeric day count fails it (R drops NA rows). */
    static boolean keep(String daysBeforeArrest, String isRecid, String chargeDegree, String scoreText) {
        double d;
        try {
            d = Double.parseDouble(daysBeforeArrest.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        return d >= -30 && d <= 30 && !isRecid.trim().equals("-1") && !chargeDegree.trim().equals("O")
                && !scoreText.trim().equals("N/A");
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
