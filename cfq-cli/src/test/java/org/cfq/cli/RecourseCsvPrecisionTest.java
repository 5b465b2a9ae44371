package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.io.csv.Cells;
import org.cfq.io.csv.TableBuilder;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 1: what {@code recourse --out} writes is exactly what the validator accepted. */
class RecourseCsvPrecisionTest {
    @TempDir
    Path dir;

    @Test
    void recourse_wachterCsv_writtenCounterfactualsRescoreFavorableFromTheirText() throws Exception {
        Path model = RecourseCommandTest.teacher(dir, "synthetic", List.of(16), 5);
        Path csv = dir.resolve("r.csv");
        TestModels.Run r = TestModels.run("recourse", "--dataset", "synthetic", "--model",
                model.toString(), "--method", "wachter", "--out", csv.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();

        SavedModel saved = ModelFile.read(model);
        Encoder enc = saved.encoder();
        FeatureSchema s = enc.schema();
        int found = 0;
        int failedAtFourDigits = 0;
        try (Reader in = Files.newBufferedReader(csv);
             CSVParser p = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().get())) {
            for (CSVRecord rec : p) {
                if (!rec.get("found").equals("true")) {
                    continue;
                }
                found++;
                TableBuilder exact = new TableBuilder(s);
                TableBuilder rounded = new TableBuilder(s);
                double[] v = new double[s.size()];
                double[] w = new double[s.size()];
                for (int i = 0; i < s.size(); i++) {
                    String text = rec.get("cf_" + s.feature(i).name());
                    v[i] = Cells.parse(text, s.feature(i), "r.csv line " + p.getCurrentLineNumber());
                    // What the file held before: four significant digits.
                    w[i] = s.feature(i).kind().hasLevels() ? v[i] : Double.parseDouble(enc.format(i, v[i]));
                }
                exact.add(v, 0);
                rounded.add(w, 0);
                float written = rescore(saved, enc, exact.build());
                double reported = Double.parseDouble(rec.get("margin"));
                assertThat(written).as("row %s re-scored from its text", rec.get("test_row")).isPositive();
                assertThat((double) written).isCloseTo(reported, org.assertj.core.data.Offset.offset(1e-4));
                failedAtFourDigits += rescore(saved, enc, rounded.build()) <= 0 ? 1 : 0;
            }
        }
        assertThat(found).isGreaterThan(10);
        // The check above has teeth: boundary-hugging wachter counterfactuals written to 4 digits fail.
        assertThat(failedAtFourDigits).isPositive();
    }

    private static float rescore(SavedModel m, Encoder enc, Table t) {
        return m.model().margins(enc.encode(t), 1)[0];
    }
}
