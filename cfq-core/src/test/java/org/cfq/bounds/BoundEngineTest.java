package org.cfq.bounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class BoundEngineTest {

    @Test
    void lowerBounds_linearModel_equalsHandComputedMinimumUpToRounding() {
        // margin = (w1 - w0) . x + (b1 - b0) = (3 - 1) x0 + (-1 - 1) x1 + (0.5 - 0) over x0 in [0, 1], x1 in [1, 2]:
        // minimum at x0 = 0, x1 = 2: -4 + 0.5 = -3.5
        Mlp m = new Mlp(List.of(new DenseLayer(2, 2, new float[] {1, 1, 3, -1}, new float[] {0, 0.5f})));
        BoundEngine e = new BoundEngine(BoundNetwork.of(m));
        double[] out = new double[1];
        for (BoundEngine.Method method : BoundEngine.Method.values()) {
            e.lowerBounds(new float[] {0, 1}, new float[] {1, 2}, 0, BoundEngine.MARGIN, method, out);
            assertThat(out[0]).as(method.name()).isLessThanOrEqualTo(-3.5).isGreaterThan(-3.5 - 1e-5);
        }
    }

    @Test
    void lowerBounds_reluNetworkOnePoint_matchesTheMarginWithinRounding() {
        Mlp m = Mlp.initialize(5, new int[] {8, 4}, new SplittableRandom(1));
        float[] x = {0.3f, -1f, 2f, 0.1f, -0.5f};
        BoundEngine e = new BoundEngine(BoundNetwork.of(m));
        double b = e.marginLowerBound(x, x, 0);
        double margin = m.margins(x, 1)[0];
        assertThat(b).isLessThanOrEqualTo(margin).isGreaterThan(margin - 1e-4);
    }

    @Test
    void lowerBounds_randomNetworksAndBoxes_neverAboveAnySampledMargin() {
        SplittableRandom rng = new SplittableRandom(7);
        int crownBetter = 0;
        for (int trial = 0; trial < 60; trial++) {
            int d = 4 + rng.nextInt(5);
            boolean quantized = trial % 2 == 1;
            Mlp m = Mlp.initialize(d, new int[] {12, 6}, rng.split());
            List<StepActivation> steps = new ArrayList<>();
            steps.add(quantized ? new StepActivation(0.25f, 0, 0, 15) : null);
            steps.add(quantized ? new StepActivation(0.5f, 1, 0, 7) : null);
            BoundNetwork net = BoundNetwork.of(m.layers(), steps);
            BoundEngine e = new BoundEngine(net);
            float[] lo = new float[d];
            float[] hi = new float[d];
            double width = trial < 30 ? 0.05 : 0.5;
            for (int i = 0; i < d; i++) {
                lo[i] = (float) (rng.nextDouble() * 2 - 1);
                hi[i] = (float) (lo[i] + (i % 2 == 0 ? rng.nextDouble() * width : 0));
            }
            double[] ibp = new double[1];
            double[] crown = new double[1];
            double[] best = new double[1];
            e.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.IBP, ibp);
            e.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.CROWN, crown);
            e.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.BEST, best);
            assertThat(best[0]).isGreaterThanOrEqualTo(Math.max(ibp[0], crown[0]) - 1e-12);
            if (crown[0] > ibp[0]) {
                crownBetter++;
            }
            float[] x = new float[d];
            float[] logits = new float[2];
            double minMargin = Double.POSITIVE_INFINITY;
            for (int s = 0; s < 2000; s++) {
                for (int i = 0; i < d; i++) {
                    double t = s < (1 << d) ? ((s >> i) & 1) : rng.nextDouble();
                    x[i] = (float) (lo[i] + t * (hi[i] - lo[i]));
                }
                net.logits(x, 1, logits);
                minMargin = Math.min(minMargin, (double) logits[1] - logits[0]);
                if (!quantized) {
                    float mm = m.margins(x, 1)[0];
                    minMargin = Math.min(minMargin, mm);
                }
            }
            assertThat(best[0]).as("trial %d", trial).isLessThanOrEqualTo(minMargin);
        }
        assertThat(crownBetter).as("CROWN should beat intervals on some boxes").isPositive();
    }

    @Test
    void stack_teacherAndPerturbedCopy_boundsTheLogitDifference() {
        SplittableRandom rng = new SplittableRandom(3);
        Mlp t = Mlp.initialize(6, new int[] {10, 5}, rng.split());
        Mlp s = t.copy();
        for (DenseLayer l : s.layers()) {
            for (int i = 0; i < l.weight().length; i++) {
                l.weight()[i] += (float) (0.01 * (rng.nextDouble() - 0.5));
            }
        }
        BoundNetwork net = BoundNetwork.stack(BoundNetwork.of(t), BoundNetwork.of(s));
        assertThat(net.outputs()).isEqualTo(4);
        // rows: z_S0 - z_T0, z_T0 - z_S0, z_S1 - z_T1, z_T1 - z_S1
        double[][] spec = {{-1, 0, 1, 0}, {1, 0, -1, 0}, {0, -1, 0, 1}, {0, 1, 0, -1}};
        float[] lo = new float[6];
        float[] hi = new float[6];
        Arrays.fill(hi, 0.1f);
        double[] out = new double[4];
        new BoundEngine(net).lowerBounds(lo, hi, 0, spec, BoundEngine.Method.BEST, out);
        double eps = 0;
        for (double v : out) {
            eps = Math.max(eps, -v);
        }
        float[] x = new float[6];
        for (int k = 0; k < 500; k++) {
            for (int i = 0; i < 6; i++) {
                x[i] = (float) (0.1 * rng.nextDouble());
            }
            float[] zt = new float[2];
            float[] zs = new float[2];
            t.logits(x, 1, zt);
            s.logits(x, 1, zs);
            assertThat(Math.abs(zs[0] - zt[0])).isLessThanOrEqualTo((float) eps);
            assertThat(Math.abs(zs[1] - zt[1])).isLessThanOrEqualTo((float) eps);
        }
        assertThat(eps).isLessThan(1.0);
    }

    @Test
    void lowerBounds_invertedBox_failsNamingTheColumn() {
        Mlp m = Mlp.initialize(2, new int[] {3}, new SplittableRandom(1));
        BoundEngine e = new BoundEngine(BoundNetwork.of(m));
        assertThatThrownBy(() -> e.marginLowerBound(new float[] {0, 1}, new float[] {1, 0}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("box column 1");
    }

    @Test
    void stepActivation_matchesThePyTorchFormulaAndStaysNearTheClippedRelu() {
        StepActivation s = new StepActivation(0.3f, 2, 0, 7);
        assertThat(s.top()).isEqualTo(5 * (double) 0.3f);
        double prev = -1;
        for (int k = 0; k < 10000; k++) {
            double v = k * 0.0003;
            double f = s.apply(v);
            assertThat(f).isGreaterThanOrEqualTo(prev);
            prev = f;
            assertThat(Math.abs(f - Math.min(v, s.top()))).isLessThanOrEqualTo(s.deviation());
        }
        // 0.45 / 0.3 = 1.5 (float: 0.45f * (1f/0.3f) rounds to 1.5 or nearby): code 2 + rint(...)
        float x = 0.45f;
        float inv = 1f / 0.3f;
        double q = Math.min(7, Math.max(0, Math.rint(x * inv) + 2));
        assertThat(s.apply(x)).isEqualTo((double) ((float) (q - 2) * 0.3f));
    }
}
