package org.cfq.bounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class InputSplittingTest {

    /**
     * Random float and activation-quantized networks, boxes whose whole-box bound does not
     * clear the margin's sampled minimum: the refined bound is never above any sampled margin,
     * never below the whole-box bound, and certifies boxes the whole-box bound could not.
     */
    @Test
    void refine_randomNetworksAndBoxes_soundAndCertifiesMoreThanOneBox() {
        SplittableRandom rng = new SplittableRandom(11);
        int wholeCertified = 0;
        int refinedCertified = 0;
        int tightened = 0;
        for (int trial = 0; trial < 80; trial++) {
            int d = 3 + rng.nextInt(4);
            boolean quantized = trial % 2 == 1;
            Mlp m = Mlp.initialize(d, new int[] {16, 8}, rng.split());
            List<StepActivation> steps = new ArrayList<>();
            steps.add(quantized ? new StepActivation(0.25f, 0, 0, 15) : null);
            steps.add(quantized ? new StepActivation(0.5f, 1, 0, 7) : null);
            BoundNetwork net = BoundNetwork.of(m.layers(), steps);
            BoundEngine e = new BoundEngine(net);
            float[] lo = new float[d];
            float[] hi = new float[d];
            for (int i = 0; i < d; i++) {
                lo[i] = (float) (rng.nextDouble() * 2 - 1);
                hi[i] = (float) (lo[i] + (i < 2 ? 0.1 + 0.4 * rng.nextDouble() : 0));
            }
            double minMargin = sampledMinimum(net, lo, hi, rng);
            // Ask for a margin just below the true minimum: certifiable, but only by a tight bound.
            double required = minMargin - 0.05;
            double whole = e.marginLowerBound(lo, hi, 0);
            double refined = new InputSplitting(e, 64).refine(lo, hi, 0, whole, required);
            assertThat(refined).as("trial %d", trial).isGreaterThanOrEqualTo(whole).isLessThanOrEqualTo(minMargin);
            wholeCertified += whole > required ? 1 : 0;
            refinedCertified += refined > required ? 1 : 0;
            tightened += refined > whole ? 1 : 0;
        }
        assertThat(refinedCertified).isGreaterThan(wholeCertified);
        assertThat(tightened).isPositive();
    }

    @Test
    void refine_requiredAboveTheTrueMargin_stopsAtTheCounterexampleAndStaysSound() {
        SplittableRandom rng = new SplittableRandom(5);
        Mlp m = Mlp.initialize(4, new int[] {8}, rng.split());
        BoundNetwork net = BoundNetwork.of(m);
        BoundEngine e = new BoundEngine(net);
        float[] lo = {-0.2f, 0.1f, 0.3f, 0f};
        float[] hi = {0.2f, 0.4f, 0.3f, 0f};
        double minMargin = sampledMinimum(net, lo, hi, rng);
        double whole = e.marginLowerBound(lo, hi, 0);
        // Above the margin at every point: no refinement can certify, and the bound stays sound.
        double refined = new InputSplitting(e, 64).refine(lo, hi, 0, whole, minMargin + 10);
        assertThat(refined).isLessThanOrEqualTo(minMargin).isGreaterThanOrEqualTo(whole);
    }

    @Test
    void refine_wholeBoundAlreadyClears_returnsItUntouched() {
        Mlp m = Mlp.initialize(3, new int[] {4}, new SplittableRandom(2));
        BoundEngine e = new BoundEngine(BoundNetwork.of(m));
        float[] x = {0.1f, 0.2f, 0.3f};
        assertThat(new InputSplitting(e, 8).refine(x, x, 0, 0.7, 0.5)).isEqualTo(0.7);
        assertThatThrownBy(() -> new InputSplitting(e, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBoxes");
    }

    private static double sampledMinimum(BoundNetwork net, float[] lo, float[] hi, SplittableRandom rng) {
        int d = lo.length;
        float[] x = new float[d];
        float[] logits = new float[2];
        double min = Double.POSITIVE_INFINITY;
        for (int s = 0; s < 3000; s++) {
            for (int i = 0; i < d; i++) {
                double t = s < (1 << d) ? ((s >> i) & 1) : rng.nextDouble();
                x[i] = (float) (lo[i] + t * (hi[i] - lo[i]));
            }
            net.logits(x, 1, logits);
            min = Math.min(min, (double) logits[1] - logits[0]);
        }
        return min;
    }
}
