package org.cfq.quant.lsq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearnedClipTest {

    @Test
    void forward_clipsAndRoundsOnUnsignedGrid() {
        // alpha = 1.5, 2 bits (qmax 3): s = 0.5; -1 -> 0; 0.6 -> 1.2 -> 1 (0.5); 0.75 -> 1.5 -> 2 (1.0); 4 -> 1.5
        float[] out = new float[4];
        LearnedClip.forward(new float[] {-1f, 0.6f, 0.75f, 4f}, 4, 1.5f, 3, out);
        assertThat(out).containsExactly(0f, 0.5f, 1.0f, 1.5f);
    }

    @Test
    void backward_masksAndCollectsAlphaGradient() {
        float[] pre = {-1f, 0.6f, 2f, 1.5f};
        float[] up = {1f, 2f, 3f, 4f};
        float[] dPre = new float[4];
        double dAlpha = LearnedClip.backward(pre, 4, 1.5f, up, dPre);
        assertThat(dPre).containsExactly(0f, 2f, 0f, 0f);
        assertThat(dAlpha).isEqualTo(7.0);
    }

    @Test
    void backward_clippedInputs_alphaGradientMatchesFiniteDifferences() {
        // all inputs above alpha: y = alpha exactly, so d(sum up * y)/d alpha = sum up
        float[] pre = {3f, 5f};
        float[] up = {0.5f, -2f};
        float[] out = new float[2];
        double h = 1e-3;
        LearnedClip.forward(pre, 2, (float) (1.0 + h), 7, out);
        double lp = up[0] * out[0] + up[1] * out[1];
        LearnedClip.forward(pre, 2, (float) (1.0 - h), 7, out);
        double lm = up[0] * out[0] + up[1] * out[1];
        double analytic = LearnedClip.backward(pre, 2, 1.0f, up, new float[2]);
        assertThat(analytic).isCloseTo((lp - lm) / (2 * h), within(1e-4));
    }

    @Test
    void keepPositive_belowMinimum_raised() {
        assertThat(LearnedClip.keepPositive(-3f)).isEqualTo(LearnedClip.MIN_ALPHA);
        assertThat(LearnedClip.keepPositive(Float.NaN)).isEqualTo(LearnedClip.MIN_ALPHA);
        assertThat(LearnedClip.keepPositive(2f)).isEqualTo(2f);
    }
}
