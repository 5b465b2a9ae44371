package org.cfq.quant.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.OutputCalibration;
import org.cfq.train.Losses;
import org.junit.jupiter.api.Test;

class MixedPtqTest {
    private static final int WIDTH = 8;

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void greedy_handExample_narrowsTheLeastSensitivePerWeightFirst() {
        // n = (100, 10), s = (1, 5): ratios 0.01 and 0.5. Budget 3: cap 330 bits.
        // start (8, 8) = 880; layer 0 goes 8 -> 4 -> 3 -> 2 (used 200 + 80 = 280 <= 330).
        BitAllocation a = GreedyAllocator.allocate(new int[] {100, 10}, new double[] {1, 5}, BitBudget.of(3));
        assertThat(a.bits()).containsExactly(2, 8);
        assertThat(a.weightBits()).isEqualTo(280);
        assertThatThrownBy(() -> GreedyAllocator.allocate(new int[] {10}, new double[] {1},
                new BitBudget(2, List.of(3, 4)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void meanAbsGradient_matchesCentralDifferencesOfTheMeanCrossEntropy() {
        Mlp t = Mlp.initialize(WIDTH, new int[] {4}, new SplittableRandom(3));
        float[] x = rows(50, 4);
        int[] y = new int[50];
        for (int i = 0; i < 50; i++) {
            y[i] = i % 2;
        }
        double[] s = GradientSensitivity.meanAbsGradient(t, x, y, 50);
        // layer 1 (4 x 2 weights + ...): finite differences of every weight
        for (int l = 0; l < 2; l++) {
            DenseLayer layer = t.layers().get(l);
            float[] w = layer.weight();
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                float keep = w[i];
                double h = 1e-2;
                w[i] = keep + (float) h;
                double up = ce(t, x, y);
                w[i] = keep - (float) h;
                double down = ce(t, x, y);
                w[i] = keep;
                sum += Math.abs((up - down) / (2 * h));
            }
            assertThat(s[l]).isCloseTo(sum / w.length, within(2e-3 + 0.02 * s[l]));
        }
    }

    @Test
    void quantize_budgetThree_staysWithinBudgetBothWays() {
        Mlp t = Mlp.initialize(WIDTH, new int[] {32, 16}, new SplittableRandom(21));
        float[] x = rows(600, 5);
        int[] y = t.predict(x, 600);
        OutputCalibration.Config c = new OutputCalibration.Config(2, 128, 5e-3, true);
        for (MixedPtq.Allocation a : MixedPtq.Allocation.values()) {
            MixedPtq.Result r = MixedPtq.quantize(t, BitBudget.of(3), a, c, x, y, 600, new SplittableRandom(1));
            assertThat(r.model().averageBits()).isLessThanOrEqualTo(3.0);
            assertThat(r.model().bitsPerLayer()).containsExactly(r.allocation().bits());
            assertThat(r.sensitivity()).hasSize(3);
            assertThat(java.util.Arrays.stream(r.sensitivity()).min().getAsDouble()).isPositive();
        }
    }

    private static double ce(Mlp t, float[] x, int[] y) {
        float[] z = new float[100];
        t.logits(x, 50, z);
        return Losses.softmaxCrossEntropy(z, y, 0, 50, 1, null) / 50;
    }
}
