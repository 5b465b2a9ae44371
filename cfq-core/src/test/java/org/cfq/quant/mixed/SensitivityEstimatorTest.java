package org.cfq.quant.mixed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.junit.jupiter.api.Test;

class SensitivityEstimatorTest {

    private static float[] rows(int n, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void lossIncrease_eightBits_nearZeroAndBelowTwoBits() {
        Mlp m = Mlp.initialize(6, new int[] {8}, new SplittableRandom(1));
        float[] x = rows(200, 6, 2);
        int[] y = m.predict(x, 200);
        int[] cand = {2, 8};
        LayerSensitivity s = SensitivityEstimator.lossIncrease(m, x, y, 200, cand, QuantSpec::weights,
                new MinMaxCalibrator());
        for (int l = 0; l < 2; l++) {
            assertThat(Math.abs(s.score(l, 1))).isLessThan(1e-2);
            assertThat(s.score(l, 0)).isGreaterThan(s.score(l, 1));
        }
        assertThat(s.method()).isEqualTo("loss");
    }

    @Test
    void hutchinson_moreBits_smallerScore() {
        Mlp m = Mlp.initialize(4, new int[] {5}, new SplittableRandom(3));
        float[] x = rows(100, 4, 4);
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            y[i] = x[4 * i] > 0 ? 1 : 0;
        }
        LayerSensitivity s = SensitivityEstimator.hutchinson(m, x, y, 100, new int[] {2, 4, 8}, QuantSpec::weights,
                new MinMaxCalibrator(), 8, new SplittableRandom(9));
        for (int l = 0; l < 2; l++) {
            assertThat(s.score(l, 0)).isGreaterThan(s.score(l, 1));
            assertThat(s.score(l, 1)).isGreaterThan(s.score(l, 2));
        }
    }
}
