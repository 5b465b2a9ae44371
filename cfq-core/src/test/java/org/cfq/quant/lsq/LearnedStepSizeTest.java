package org.cfq.quant.lsq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.junit.jupiter.api.Test;

class LearnedStepSizeTest {

    @Test
    void initialStep_isTwiceMeanAbsOverSqrtQmax() {
        // mean |w| = (0.5 + 1.5 + 1.0 + 1.0) / 4 = 1.0; 4 bits qmax = 7 -> 2 / sqrt(7)
        float s = LearnedStepSize.initialStep(new float[] {0.5f, -1.5f, 1.0f, -1.0f}, 0, 4, 7);
        assertThat((double) s).isCloseTo(2 / Math.sqrt(7), within(1e-7));
    }

    @Test
    void initialSteps_perChannel_onePerRow() {
        float[] s = LearnedStepSize.initialSteps(new float[] {1f, -1f, 0f, 0f}, 2, QuantSpec.weights(2, Granularity.CHANNEL));
        // row 0: 2 * 1 / sqrt(1) = 2; row 1: all zero -> MIN_STEP
        assertThat(s).containsExactly(2f, LearnedStepSize.MIN_STEP);
    }

    @Test
    void gradScale_isInverseSqrtOfNTimesQmax() {
        assertThat(LearnedStepSize.gradScale(100, 7)).isCloseTo(1 / Math.sqrt(700), within(1e-15));
    }

    @Test
    void backward_handValues_matchLsqFormula() {
        // 3 bits [-4, 3], s = 0.25: w = 0.3 -> v = 1.2, q = 1: ds = q - v = -0.2, dw = 1
        //                          w = 2.0 -> v = 8 -> clamped to 3: ds = 3, dw = 0
        //                          w = -1.3 -> v = -5.2, q = -5 -> clamped to -4: ds = -4, dw = 0
        float[] w = {0.3f, 2.0f, -1.3f};
        float[] dw = new float[3];
        float[] ds = new float[1];
        LearnedStepSize.backward(w, new float[] {0.25f}, QuantSpec.weights(3), new float[] {1f, 1f, 1f}, dw, ds);
        assertThat(dw).containsExactly(1f, 0f, 0f);
        double g = 1 / Math.sqrt(3 * 3);
        assertThat((double) ds[0]).isCloseTo((-0.2 + 3 - 4) * g, within(1e-6));
    }

    @Test
    void backward_saturatedWeights_stepGradientMatchesFiniteDifferences() {
        // every weight clamped: x_hat = qmax * s or qmin * s, a smooth function of s
        QuantSpec spec = QuantSpec.weights(4);
        float[] w = {5f, -7f, 9f, -6f};
        float[] up = {0.3f, -1.1f, 0.7f, 2.0f};
        double s = 0.5;
        double fd = (loss(w, (float) (s + 1e-3), spec, up) - loss(w, (float) (s - 1e-3), spec, up)) / 2e-3;
        float[] ds = new float[1];
        LearnedStepSize.backward(w, new float[] {(float) s}, spec, up, new float[4], ds);
        double g = LearnedStepSize.gradScale(4, spec.qmax());
        assertThat(ds[0] / g).isCloseTo(fd, within(1e-3));
    }

    @Test
    void backward_interiorWeights_matchesStraightThroughSurrogateFiniteDifferences() {
        // Away from rounding boundaries, LSQ differentiates the surrogate
        // x_hat(s, w) = s * (w / s + c), with c = rint(w / s0) - w / s0 held fixed (the straight-through
        // rounding). Central differences of that surrogate must match the analytic gradient.
        SplittableRandom r = new SplittableRandom(7);
        QuantSpec spec = QuantSpec.weights(8);
        int n = 50;
        float[] w = new float[n];
        float[] up = new float[n];
        float s0 = 0.05f;
        for (int i = 0; i < n; i++) {
            double k = r.nextInt(-100, 100);
            double frac = 0.1 + 0.3 * r.nextDouble();      // stay 0.1 away from a rounding boundary
            w[i] = (float) ((k + (r.nextBoolean() ? frac : -frac)) * s0);
            up[i] = (float) r.nextGaussian();
        }
        float[] dw = new float[n];
        float[] ds = new float[1];
        LearnedStepSize.backward(w, new float[] {s0}, spec, up, dw, ds);
        double h = 1e-4;
        double fdS = (surrogate(w, s0, s0 + h, up, 0, 0) - surrogate(w, s0, s0 - h, up, 0, 0)) / (2 * h);
        assertThat(ds[0] / LearnedStepSize.gradScale(n, spec.qmax())).isCloseTo(fdS, within(1e-3));
        for (int i = 0; i < n; i++) {
            double fdW = (surrogate(w, s0, s0, up, i, h) - surrogate(w, s0, s0, up, i, -h)) / (2 * h);
            assertThat((double) dw[i]).isCloseTo(fdW, within(1e-3));
        }
    }

    @Test
    void keepPositive_negativeOrNaN_raisedToMinimum() {
        float[] s = {-1f, Float.NaN, 0.5f};
        LearnedStepSize.keepPositive(s);
        assertThat(s).containsExactly(LearnedStepSize.MIN_STEP, LearnedStepSize.MIN_STEP, 0.5f);
    }

    private static double loss(float[] w, float s, QuantSpec spec, float[] up) {
        float[] out = new float[w.length];
        LearnedStepSize.forward(w, new float[] {s}, spec, out);
        double l = 0;
        for (int i = 0; i < w.length; i++) {
            l += up[i] * out[i];
        }
        return l;
    }

    /** sum_i up_i * s * (w_i / s + c_i) with c_i frozen at s0, weight i shifted by dwi. */
    private static double surrogate(float[] w, double s0, double s, float[] up, int i0, double dwi) {
        double l = 0;
        for (int i = 0; i < w.length; i++) {
            double c = Math.rint(w[i] / s0) - w[i] / s0;
            double wi = w[i] + (i == i0 ? dwi : 0);
            l += up[i] * s * (wi / s + c);
        }
        return l;
    }
}
