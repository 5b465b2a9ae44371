package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real files; skipped unless CFQ_DATA_DIR points at a directory holding them. */
class BuiltinLoadersTest {
    private static Dataset load(String name) {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR not set: skipping the " + name + " loader test");
        return DatasetRegistry.builtIn().load(name, ActionPreset.PAPER, new DataDirectory(List.of(dir.get())),
                Downloader.standard(), false);
    }

    private static int total(Dataset d) {
        return d.train().rows() + d.validation().rows() + d.test().rows();
    }

    /** Encoder fitted on train: no NaN anywhere, and decoding every encoded row gives the row back. */
    private static void assertEncodesFinitelyAndRoundTrips(Dataset d) {
        Encoder e = Encoder.fit(d.train(), Scaling.STANDARD);
        for (Table t : List.of(d.train(), d.validation(), d.test())) {
            float[] x = e.encode(t);
            for (float v : x) {
                assertThat(Float.isFinite(v)).as("finite model-space value").isTrue();
            }
            for (int r = 0; r < t.rows(); r++) {
                double[] back = e.decodeRow(x, r * e.width());
                for (int c = 0; c < back.length; c++) {
                    double want = t.value(r, c);
                    // The model space is float32 (relative rounding 2^-24 = 6e-8 of z = (v - center) / scale),
                    // so a continuous value comes back within about 1e-7 * (|v| + |center| + scale);
                    // integer and level features come back exactly.
                    double tol = 1e-6 * (Math.abs(want) + Math.abs(e.center(c)) + e.scale(c));
                    assertThat(back[c]).as("%s row %d feature %s", d.name(), r, t.schema().feature(c).name())
                            .isCloseTo(want, within(tol));
                    if (t.schema().feature(c).kind() != org.cfq.data.FeatureKind.CONTINUOUS) {
                        assertThat(back[c]).isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void load_adult_hasFileRowCountsAndValidationFromTrain() {
        Dataset d = load("adult");
        assertThat(d.train().rows() + d.validation().rows()).isEqualTo(32_561);
        assertThat(d.test().rows()).isEqualTo(16_281);
        // round(7841 * 0.15) + round(24720 * 0.15) = 1176 + 3708
        assertThat(d.validation().rows()).isEqualTo(4884);
        // 7841 of 32,561 train rows and 3846 of 16,281 test rows earn >50K.
        assertThat(d.train().favorableRate() * d.train().rows() + d.validation().favorableRate() * d.validation().rows())
                .isCloseTo(7841, within(1e-6));
        assertThat(d.test().favorableRate() * d.test().rows()).isCloseTo(3846, within(1e-6));
        assertEncodesFinitelyAndRoundTrips(d);
    }

    @Test
    void load_german_has1000RowsSplitSeventyThirty() {
        Dataset d = load("german");
        assertThat(total(d)).isEqualTo(1000);
        // 700 good / 300 bad: test round(700*.3)+round(300*.3) = 210 + 90
        assertThat(d.test().rows()).isEqualTo(300);
        assertThat(d.test().favorableRate()).isCloseTo(0.7, within(1e-12));
        assertEncodesFinitelyAndRoundTrips(d);
    }

    @Test
    void load_compas_keepsProPublica6172Rows() {
        Dataset d = load("compas");
        assertThat(total(d)).isEqualTo(6172);
        double favorable = d.train().favorableRate() * d.train().rows()
                + d.validation().favorableRate() * d.validation().rows() + d.test().favorableRate() * d.test().rows();
        // ProPublica: 2,809 of 6,172 filtered people reoffended within two years -> 3,363 favorable.
        assertThat(favorable).isCloseTo(3363, within(1e-6));
        assertEncodesFinitelyAndRoundTrips(d);
    }

    @Test
    void load_synthetic_encodesAndRoundTrips() {
        Dataset d = DatasetRegistry.builtIn().load("synthetic", ActionPreset.PAPER,
                new DataDirectory(List.of(Path.of("/nonexistent"))), Downloader.standard(), false);
        assertEncodesFinitelyAndRoundTrips(d);
    }

    @Test
    void load_twice_givesTheSameSplit() {
        Dataset a = load("german");
        Dataset b = load("german");
        assertThat(a.validation().column(1)).isEqualTo(b.validation().column(1));
        assertThat(a.test().labels()).isEqualTo(b.test().labels());
    }

    @Test
    void load_truncatedGermanFile_failsNamingShape(@TempDir Path tmp) throws Exception {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR not set: skipping the german shape test");
        List<String> lines = Files.readAllLines(dir.get().resolve("german.data"));
        Files.write(tmp.resolve("german.data"), lines.subList(0, 999));
        assertThatThrownBy(() -> new GermanLoader().load(Map.of("german.data", tmp.resolve("german.data"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("999 rows, expected 1000")
                .hasMessageContaining(GermanLoader.FILE.uri().toString());
    }

    @Test
    void load_germanRowWithWrongFieldCount_failsNamingLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("german.data"), "A11 6 A34\n");
        assertThatThrownBy(() -> new GermanLoader().load(Map.of("german.data", tmp.resolve("german.data"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("german.data line 1")
                .hasMessageContaining("found 3");
    }

    @Test
    void read_adultLineWithUnknownLevel_failsNamingLineAndColumn(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("adult.data");
        Files.writeString(f, "39, Space-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, Not-in-family, White,"
                + " Male, 2174, 0, 40, United-States, <=50K\n");
        assertThatThrownBy(() -> AdultLoader.read(f, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("adult.data line 1, column 'workclass'").hasMessageContaining("Space-gov");
    }

    @Test
    void read_adultTestFormat_skipsCommentAndStripsLabelPeriod(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("adult.test");
        Files.writeString(f, "|1x3 Cross validator\n25, ?, 226802, 11th, 7, Never-married, ?, Own-child, Black,"
                + " Male, 0, 0, 40, ?, >50K.\n\n");
        Table t = AdultLoader.read(f, 1);
        assertThat(t.label(0)).isEqualTo(1);
        var s = t.schema();
        assertThat(s.feature(1).levels().get((int) t.value(0, 1))).isEqualTo("unknown");
        assertThat(s.feature(11).levels().get((int) t.value(0, 11))).isEqualTo("unknown");
    }
}
