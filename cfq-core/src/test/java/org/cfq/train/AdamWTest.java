package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void step_firstStep_matchesHandComputation() {
        float[] w = {1f, -2f};
        float[] gw = {0.5f, -0.25f};
        float[] b = {1f};
        float[] gb = {0.5f};
        AdamW opt = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.01);
        opt.register(w, gw, true);
        opt.register(b, gb, false);
        opt.step();
        // m = 0.1 g, v = 0.001 g^2; step size = lr / (1 - 0.9) = 1; sqrt(v) / sqrt(0.001) = |g|
        // so the Adam move is 1 * 0.1 g / |g| = 0.1 sign(g) (minus a 1e-8 epsilon effect).
        // decay first: w * (1 - 0.1 * 0.01) = w * 0.999
        assertThat(w[0]).isCloseTo(0.999f - 0.1f, within(1e-6f));
        assertThat(w[1]).isCloseTo(-1.998f + 0.1f, within(1e-6f));
        // the bias takes no decay
        assertThat(b[0]).isCloseTo(0.9f, within(1e-6f));
        assertThat(opt.steps()).isEqualTo(1);
    }

    @Test
    void step_secondStepSameGradient_biasCorrectionKeepsMoveAtLearningRate() {
        float[] p = {1f};
        float[] g = {0.5f};
        AdamW opt = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.0);
        opt.register(p, g, true);
        opt.step();
        opt.step();
        // m2 = 0.9*0.05 + 0.05 = 0.095, bc1 = 0.19 -> m^ = 0.5
        // v2 = 0.999*0.00025 + 0.00025 = 0.00049975, bc2 = 0.001999 -> v^ = 0.25, sqrt = 0.5
        // each step moves 0.1: 1 -> 0.9 -> 0.8
        assertThat(p[0]).isCloseTo(0.8f, within(1e-6f));
    }

    @Test
    void zeroGradients_afterRegistering_clearsEveryGradient() {
        float[] g1 = {1f, 2f};
        float[] g2 = {3f};
        AdamW opt = new AdamW(1e-3, 0);
        opt.register(new float[2], g1, true);
        opt.register(new float[1], g2, false);
        opt.zeroGradients();
        assertThat(g1).containsExactly(0f, 0f);
        assertThat(g2).containsExactly(0f);
    }

    @Test
    void registerMlp_twoLayerNet_decaysWeightsButNotBiases() {
        Mlp net = Mlp.initialize(3, new int[] {4}, new SplittableRandom(1));
        net.layers().get(0).bias()[0] = 1f;
        float w0 = net.layers().get(0).weight()[0];
        Mlp.Gradients grads = new Mlp.Gradients(net);
        AdamW opt = new AdamW(0.1, 0.5);
        opt.registerMlp(net, grads);
        opt.step();
        assertThat(opt.groupCount()).isEqualTo(4);
        // zero gradients: only the decay moves anything
        assertThat(net.layers().get(0).weight()[0]).isCloseTo(w0 * 0.95f, within(1e-6f));
        assertThat(net.layers().get(0).bias()[0]).isEqualTo(1f);
    }

    @Test
    void register_lengthMismatch_failsNamingLengths() {
        AdamW opt = new AdamW(1e-3, 0);
        assertThatThrownBy(() -> opt.register(new float[2], new float[3], true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2")
                .hasMessageContaining("3");
    }

    @Test
    void constructor_nanLearningRate_fails() {
        assertThatThrownBy(() -> new AdamW(Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate")
                .hasMessageContaining("NaN");
    }
}
