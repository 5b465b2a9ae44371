package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.lsq.LearnedStepSize;
import org.junit.jupiter.api.Test;

class MixedPrecisionWeightTest {
    private static final int[] CANDIDATES = {2, 3, 4, 8};
    // a 2 x 3 weight with mean |w| = 0.5
    private static final float[] W = {0.3f, -0.8f, 0.55f, -0.1f, 0.9f, -0.35f};

    private static MixedPrecisionWeight make() {
        return new MixedPrecisionWeight(3, 2, W, CANDIDATES, Granularity.TENSOR, 4, 2f);
    }

    @Test
    void constructor_lsqInitialStepsPerWidth_andLogitsTowardInitialBits() {
        MixedPrecisionWeight m = make();
        // LSQ init 2 * mean|w| / sqrt(qmax): qmax = 1, 3, 7, 127
        assertThat((double) m.steps(0)[0]).isCloseTo(1.0, within(1e-6));
        assertThat((double) m.steps(1)[0]).isCloseTo(1.0 / Math.sqrt(3), within(1e-6));
        assertThat((double) m.steps(2)[0]).isCloseTo(1.0 / Math.sqrt(7), within(1e-6));
        assertThat((double) m.steps(3)[0]).isCloseTo(1.0 / Math.sqrt(127), within(1e-6));
        assertThat(m.logits()).containsExactly(0f, 0f, 2f, 0f);
        assertThat(m.argmax()).isEqualTo(2);
        assertThat(m.weight()).containsExactly(W).isNotSameAs(W);
    }

    @Test
    void constructor_initialBitsNotACandidate_failsNamingCandidates() {
        assertThatThrownBy(() -> new MixedPrecisionWeight(3, 2, W, CANDIDATES, Granularity.TENSOR, 5, 2f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5")
                .hasMessageContaining("[2, 3, 4, 8]");
    }

    @Test
    void forward_hard_isExactlyTheSampledWidthsLsqWeight() {
        MixedPrecisionWeight m = make();
        // noise that makes the 3-bit candidate win: alpha + g = (0, 5, 2, 0)
        m.setNoise(new float[] {0f, 5f, 0f, 0f}, 1.0, true);
        assertThat(m.chosen()).isEqualTo(1);
        float[] wHat = new float[6];
        m.forward(wHat);
        float[] expected = new float[6];
        LearnedStepSize.forward(W, m.steps(1), QuantSpec.weights(3), expected);
        assertThat(wHat).containsExactly(expected);
    }

    @Test
    void forward_soft_isTheSampleWeightedMixture() {
        MixedPrecisionWeight m = make();
        m.setNoise(new float[] {0.1f, -0.3f, 0.2f, 0.4f}, 2.0, false);
        double[] y = m.sample();
        float[] wHat = new float[6];
        m.forward(wHat);
        for (int i = 0; i < 6; i++) {
            double mix = 0;
            for (int k = 0; k < 4; k++) {
                float[] q = new float[6];
                LearnedStepSize.forward(W, m.steps(k), m.spec(k), q);
                mix += y[k] * q[i];
            }
            assertThat((double) wHat[i]).isCloseTo(mix, within(1e-6));
        }
    }

    @Test
    void backward_soft_logitGradientMatchesFiniteDifferences() {
        // L(alpha) = <V, W_hat(alpha)>, noise fixed, soft mixture: smooth in alpha
        float[] v = {0.7f, -1.2f, 0.4f, 2.1f, -0.6f, 0.9f};
        float[] noise = {0.3f, -0.5f, 0.8f, 0.1f};
        double tau = 1.5;
        MixedPrecisionWeight m = make();
        m.setNoise(noise, tau, false);
        m.forward(new float[6]);
        m.backward(v);
        float[] grad = m.logitGrad().clone();
        for (int k = 0; k < 4; k++) {
            float keep = m.logits()[k];
            m.logits()[k] = keep + 1e-3f;
            double up = loss(m, v, noise, tau);
            m.logits()[k] = keep - 1e-3f;
            double dn = loss(m, v, noise, tau);
            m.logits()[k] = keep;
            assertThat((double) grad[k]).as("logit %d", k).isCloseTo((up - dn) / 2e-3, within(5e-4));
        }
    }

    @Test
    void backward_hard_logitGradientIsTheSoftSamplesJacobian() {
        float[] v = {1f, 0f, 0f, 0f, 0f, -1f};
        MixedPrecisionWeight m = make();
        float[] noise = {0f, 0f, 0f, 1f};
        m.setNoise(noise, 0.5, true);
        m.forward(new float[6]);
        m.backward(v);
        double[] y = m.sample();
        double[] c = new double[4];
        double mean = 0;
        for (int k = 0; k < 4; k++) {
            float[] q = new float[6];
            LearnedStepSize.forward(W, m.steps(k), m.spec(k), q);
            c[k] = q[0] - q[5];
            mean += y[k] * c[k];
        }
        for (int k = 0; k < 4; k++) {
            assertThat((double) m.logitGrad()[k]).isCloseTo(y[k] * (c[k] - mean) / 0.5, within(1e-6));
        }
    }

    @Test
    void backward_hard_onlyTheSampledWidthGetsStepAndWeightGradients() {
        float[] v = {0.5f, -0.25f, 1f, 0.75f, -1f, 0.125f};
        MixedPrecisionWeight m = make();
        m.setNoise(new float[] {0f, 0f, 0f, 9f}, 1.0, true); // 8 bits wins
        m.forward(new float[6]);
        m.backward(v);
        float[] dw = new float[6];
        float[] ds = new float[1];
        LearnedStepSize.backward(W, m.steps(3), QuantSpec.weights(8), v, dw, ds);
        assertThat(m.weightGrad()).containsExactly(dw);
        assertThat(m.stepGrad(3)).containsExactly(ds);
        for (int k = 0; k < 3; k++) {
            assertThat(m.stepGrad(k)).as("candidate %d", k).containsExactly(0f);
        }
    }

    @Test
    void backward_softSaturatedWeights_stepGradientMatchesFiniteDifferences() {
        // every weight saturates at every width, so W_hat = sum_k y_k s_k q_k(clamped) is smooth in s_k;
        // the LSQ step gradient is reported times g = 1 / sqrt(n qmax)
        float[] w = {50f, -60f, 70f, -80f};
        float[] v = {0.4f, -0.9f, 1.3f, 0.2f};
        float[] noise = {0.2f, 0.1f, -0.4f, 0.3f};
        MixedPrecisionWeight m = new MixedPrecisionWeight(2, 2, w, CANDIDATES, Granularity.TENSOR, 4, 1f);
        for (int k = 0; k < 4; k++) {
            m.steps(k)[0] = 0.01f; // 80 / 0.01 = 8000 > 127: saturated even at 8 bits
        }
        m.setNoise(noise, 1.0, false);
        m.forward(new float[4]);
        m.backward(v);
        for (int k = 0; k < 4; k++) {
            float keep = m.steps(k)[0];
            double h = 1e-4;
            m.steps(k)[0] = (float) (keep + h);
            double up = loss(m, v, noise, 1.0);
            m.steps(k)[0] = (float) (keep - h);
            double dn = loss(m, v, noise, 1.0);
            m.steps(k)[0] = keep;
            double g = LearnedStepSize.gradScale(4, m.spec(k).qmax());
            assertThat(m.stepGrad(k)[0] / g).as("candidate %d", k).isCloseTo((up - dn) / (2 * h), within(2e-2));
        }
    }

    @Test
    void sample_sameSeed_sameChoices() {
        MixedPrecisionWeight a = make();
        MixedPrecisionWeight b = make();
        SplittableRandom ra = new SplittableRandom(5);
        SplittableRandom rb = new SplittableRandom(5);
        for (int i = 0; i < 50; i++) {
            a.sample(ra, 1.0, true);
            b.sample(rb, 1.0, true);
            assertThat(a.chosen()).isEqualTo(b.chosen());
            assertThat(a.sample()).containsExactly(b.sample());
        }
    }

    @Test
    void keepPositive_negativeStep_isRaisedToMinStep() {
        MixedPrecisionWeight m = make();
        m.steps(2)[0] = -0.5f;
        m.keepPositive();
        assertThat(m.steps(2)[0]).isEqualTo(LearnedStepSize.MIN_STEP);
    }

    private static double loss(MixedPrecisionWeight m, float[] v, float[] noise, double tau) {
        m.setNoise(noise, tau, false);
        float[] wHat = new float[v.length];
        m.forward(wHat);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += (double) v[i] * wHat[i];
        }
        return s;
    }
}
