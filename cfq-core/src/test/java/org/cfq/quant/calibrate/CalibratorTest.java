package org.cfq.quant.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cfq.quant.Granularity;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.junit.jupiter.api.Test;

class CalibratorTest {

    @Test
    void minMax_signed_scaleIsMaxAbsOverQmax() {
        QuantParams p = new MinMaxCalibrator().calibrate(new float[] {-1.4f, 0.7f, 0.2f}, 1, QuantSpec.weights(8));
        // max |x| = 1.4, qmax = 127
        assertThat(p.scale(0)).isEqualTo((float) (1.4f / 127.0));
        assertThat(p.zeroPoint(0)).isZero();
    }

    @Test
    void minMax_perChannel_oneScalePerRow() {
        QuantSpec spec = QuantSpec.weights(2, Granularity.CHANNEL);
        QuantParams p = new MinMaxCalibrator().calibrate(new float[] {0.5f, -0.25f, 3f, 1f}, 2, spec);
        // 2 bits: qmax = 1, so s = max |row|
        assertThat(p.scales()).containsExactly(0.5f, 3f);
    }

    @Test
    void minMax_unsignedNonNegative_zeroPointZero() {
        QuantParams p = new MinMaxCalibrator().calibrate(new float[] {0f, 1.5f, 3f}, 1, QuantSpec.unsignedActivations(2));
        assertThat(p.scale(0)).isEqualTo(1f);
        assertThat(p.zeroPoint(0)).isZero();
    }

    @Test
    void minMax_unsignedWithNegatives_affineZeroPoint() {
        // range [-1, 2] over 4 bits unsigned [0, 15]: s = 3 / 15 = 0.2, z = 0 - rint(-1 / 0.2) = 5
        QuantParams p = new MinMaxCalibrator().calibrate(new float[] {-1f, 2f}, 1,
                new QuantSpec(4, false, false, Granularity.TENSOR));
        assertThat(p.scale(0)).isEqualTo(0.2f);
        assertThat(p.zeroPoint(0)).isEqualTo(5);
    }

    @Test
    void percentile_clipsOutlier() {
        float[] v = new float[101];
        for (int i = 0; i <= 100; i++) {
            v[i] = i / 100f;
        }
        v[100] = 100f;
        // |x| sorted: 0.00 .. 0.99, 100; the 99th percentile sits at position 99 -> 0.99
        QuantParams p = new PercentileCalibrator(99).calibrate(v, 1, QuantSpec.weights(2));
        assertThat(p.scale(0)).isEqualTo(0.99f);
    }

    @Test
    void percentile_outOfRange_fails() {
        assertThatThrownBy(() -> new PercentileCalibrator(0)).hasMessageContaining("(0, 100], got 0.0");
    }

    @Test
    void mse_withOutlier_clipsBelowMinMax() {
        float[] v = new float[200];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 20 - 10) / 100f;
        }
        v[0] = 0.5f;
        QuantSpec spec = QuantSpec.weights(3);
        float mse = new MseCalibrator(100).calibrate(v, 1, spec).scale(0);
        float mm = new MinMaxCalibrator().calibrate(v, 1, spec).scale(0);
        assertThat(mse).isLessThan(mm);
        assertThat(sse(v, mse, spec)).isLessThan(sse(v, mm, spec));
    }

    @Test
    void mse_valuesOnFinerGrid_findsThatGrid() {
        // min-max: s = max |x| / qmax = 2 / 1 = 2, where -1 -> -0.5 -> 0 and 1 -> 0.5 -> 0 cost
        // 1 + 1 + 1 = 3; the clip fraction 25/50 gives s = 1 and puts every value on the grid
        float[] v = {-2f, -1f, 0f, 1f, 1f};
        assertThat(new MinMaxCalibrator().calibrate(v, 1, QuantSpec.weights(2)).scale(0)).isEqualTo(2f);
        assertThat(new MseCalibrator(50).calibrate(v, 1, QuantSpec.weights(2)).scale(0)).isEqualTo(1f);
    }

    private static double sse(float[] v, float s, QuantSpec spec) {
        double e = 0;
        for (float x : v) {
            float y = org.cfq.quant.UniformQuantizer.fakeQuantize(x, s, 0, spec.qmin(), spec.qmax());
            e += (x - y) * (x - y);
        }
        return e;
    }
}
