package org.cfq.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;

class EncoderTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("t", List.of(
            FeatureSpec.continuous("x", Actionability.FREE),
            FeatureSpec.categorical("color", List.of("red", "green", "blue"), Actionability.FREE),
            FeatureSpec.binary("flag", List.of("no", "yes"), Actionability.FREE),
            FeatureSpec.ordinal("level", List.of("low", "mid", "high"), Actionability.FREE)), "y", "1");

    /** x = 1, 3, 5, 7 (mean 4, population std sqrt(5)); color red, green, blue, green; flag 0,1,1,0; level 0,1,2,1. */
    private static Table table() {
        return new Table(SCHEMA, new double[][] {{1, 3, 5, 7}, {0, 1, 2, 1}, {0, 1, 1, 0}, {0, 1, 2, 1}},
                new int[] {0, 1, 1, 0});
    }

    @Test
    void encode_categorical_isOneHotInItsSlot() {
        Encoder e = Encoder.fit(table(), Scaling.STANDARD);
        assertThat(e.width()).isEqualTo(6);
        float[] x = e.encode(table());
        // Row 2 (blue): columns 1..3 = 0, 0, 1.
        assertThat(new float[] {x[2 * 6 + 1], x[2 * 6 + 2], x[2 * 6 + 3]}).containsExactly(0f, 0f, 1f);
        assertThat(x[2 * 6 + 4]).isEqualTo(1f);
    }

    @Test
    void encode_standard_isZeroMeanUnitStd() {
        Encoder e = Encoder.fit(table(), Scaling.STANDARD);
        float[] x = e.encode(table());
        // (1 - 4) / sqrt(5) = -1.341641
        assertThat(x[0]).isCloseTo(-1.341641f, within(1e-5f));
        assertThat(x[3 * 6]).isCloseTo(1.341641f, within(1e-5f));
        // level index mean 1, std sqrt(0.5): (2 - 1) / 0.707107 = 1.414214
        assertThat(x[2 * 6 + 5]).isCloseTo(1.414214f, within(1e-5f));
    }

    @Test
    void fit_minMax_scalesSpanToOne() {
        Encoder e = Encoder.fit(table(), Scaling.MIN_MAX);
        assertThat(e.encode(table())[6]).isCloseTo(2f / 6f, within(1e-6f));
    }

    @Test
    void fit_numericWithoutRange_widensBoxByFivePercentOfSpan() {
        Encoder e = Encoder.fit(table(), Scaling.STANDARD);
        // span 6 -> pad 0.3 each side
        assertThat(e.box(0).min()).isCloseTo(0.7, within(1e-12));
        assertThat(e.box(0).max()).isCloseTo(7.3, within(1e-12));
        assertThat(e.box(3)).isEqualTo(new Range(0, 2));
    }

    @Test
    void fit_schemaRange_isUsedAsBox() {
        FeatureSchema s = new FeatureSchema("r", List.of(
                FeatureSpec.continuous("x", Actionability.FREE).withRange(new Range(0, 10))), "y", "1");
        Encoder e = Encoder.fit(new Table(s, new double[][] {{2, 4}}, new int[] {0, 1}), Scaling.STANDARD);
        assertThat(e.box(0)).isEqualTo(new Range(0, 10));
    }

    @Test
    void decodeRow_encodedRow_returnsOriginalValues() {
        Table t = table();
        Encoder e = Encoder.fit(t, Scaling.STANDARD);
        float[] x = e.encode(t);
        for (int r = 0; r < t.rows(); r++) {
            double[] v = e.decodeRow(x, r * e.width());
            for (int c = 0; c < SCHEMA.size(); c++) {
                assertThat(v[c]).as("row %d col %d", r, c).isCloseTo(t.value(r, c), within(1e-5));
            }
        }
    }

    @Test
    void formatExact_anyModelSpaceValue_parsesBackToTheSameFloat() {
        Encoder e = Encoder.fit(table(), Scaling.STANDARD);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int k = 0; k < 10_000; k++) {
            float z = (float) (rng.nextDouble(-50, 50));
            double v = e.decodeValue(0, z);
            String text = e.formatExact(0, v);
            // Before: "%.4g" kept 4 significant digits, so 10412.37 came back as 10410.
            assertThat(e.encodeValue(0, Double.parseDouble(text))).as(text).isEqualTo(z);
        }
        assertThat(e.formatExact(0, 10412.0)).isEqualTo("10412");
        assertThat(e.formatExact(1, 2)).isEqualTo("blue");
    }
}
