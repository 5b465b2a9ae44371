package org.cfq.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.junit.jupiter.api.Test;

class QuantizedMlpTest {

    /** 2 -> 2 (ReLU) -> 2, hand-set. */
    private static Mlp tiny() {
        DenseLayer h = new DenseLayer(2, 2, new float[] {1.0f, -0.5f, 0.25f, 0.75f}, new float[] {0.1f, -0.2f});
        DenseLayer o = new DenseLayer(2, 2, new float[] {0.5f, -1.0f, -0.25f, 1.0f}, new float[] {0f, 0.3f});
        return new Mlp(List.of(h, o));
    }

    private static QuantizedMlp quantize(Mlp m, int bits, UniformQuantizer act) {
        MinMaxCalibrator c = new MinMaxCalibrator();
        DenseLayer h = m.layers().get(0);
        DenseLayer o = m.layers().get(1);
        return new QuantizedMlp(List.of(
                QuantizedLayer.quantize(h, c.weightQuantizer(h.weight(), 2, QuantSpec.weights(bits)), act),
                QuantizedLayer.quantize(o, c.weightQuantizer(o.weight(), 2, QuantSpec.weights(bits)), null)));
    }

    @Test
    void logits_twoBitWeights_matchHandComputedForward() {
        // layer 0: max|w| = 1, 2 bits -> s = 1: w_hat = rint(1, -0.5, 0.25, 0.75) = 1, -0 (even), 0, 1
        // layer 1: max|w| = 1 -> s = 1: w_hat = rint(0.5, -1, -0.25, 1) = 0 (even), -1, -0, 1
        QuantizedMlp q = quantize(tiny(), 2, null);
        assertThat(q.layers().get(0).codes()).containsExactly(1, 0, 0, 1);
        assertThat(q.layers().get(1).codes()).containsExactly(0, -1, 0, 1);
        // x = (1, 2): h = relu(1 + 0.1, 2 - 0.2) = (1.1, 1.8); logits = (-1.8, 1.8 + 0.3)
        float[] logits = new float[2];
        q.logits(new float[] {1f, 2f}, 1, logits);
        assertThat(logits[0]).isCloseTo(-1.8f, within(1e-6f));
        assertThat(logits[1]).isCloseTo(2.1f, within(1e-6f));
        assertThat(q.bitsPerLayer()).containsExactly(2, 2);
    }

    @Test
    void logits_activationQuantizer_roundsHiddenOutputs() {
        // hidden (1.1, 1.8) on the unsigned 2-bit grid [0, 3] of s = 0.5: 2.2 -> 2 (1.0), 3.6 -> 4 -> 3 (1.5);
        // logits = (-h2, h2 + 0.3)
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        QuantizedMlp q = quantize(tiny(), 2, act);
        float[] logits = new float[2];
        q.logits(new float[] {1f, 2f}, 1, logits);
        assertThat(logits).containsExactly(-1.5f, 1.5f + 0.3f);
    }

    @Test
    void logits_noActivationQuantizer_equalDequantizedMlp() {
        Mlp teacher = Mlp.initialize(5, new int[] {7, 3}, new SplittableRandom(3));
        QuantizedMlp q = quantizeAll(teacher, 3);
        float[] x = randomRows(11, 5, 4);
        float[] a = new float[22];
        float[] b = new float[22];
        q.logits(x, 11, a);
        q.dequantizedMlp().logits(x, 11, b);
        assertThat(a).containsExactly(b);
    }

    @Test
    void logitsAndInputGradient_matchesCentralDifferences() {
        Mlp teacher = Mlp.initialize(4, new int[] {6}, new SplittableRandom(5));
        QuantizedMlp q = quantizeAll(teacher, 4);
        float[] x = randomRows(3, 4, 9);
        float[] dx = new float[12];
        float[] m = new float[3];
        q.marginsAndGradient(x, 3, m, dx);
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            float[] xp = x.clone();
            float[] xm = x.clone();
            xp[i] += (float) h;
            xm[i] -= (float) h;
            double fd = (q.margins(xp, 3)[i / 4] - q.margins(xm, 3)[i / 4]) / (2 * h);
            assertThat((double) dx[i]).isCloseTo(fd, within(2e-3));
        }
    }

    @Test
    void logitsAndInputGradient_activationClamped_gradientMasked() {
        // an activation quantizer whose top is 0.5 clamps both hidden units (1.1, 1.8): no gradient flows
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.1f));
        QuantizedMlp q = quantize(tiny(), 2, act);
        float[] dx = new float[2];
        q.marginsAndGradient(new float[] {1f, 2f}, 1, new float[1], dx);
        assertThat(dx).containsExactly(0f, 0f);
        // with a wide grid (s = 1, top 3) both pass: d margin / d h = (1 - 0, 1 - -1) = (1, 2)... via w_hat rows
        UniformQuantizer wide = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(1f));
        QuantizedMlp q2 = quantize(tiny(), 2, wide);
        q2.marginsAndGradient(new float[] {1f, 2f}, 1, new float[1], dx);
        // margin = h1 * (1 - (-1))? w_hat out = [[0, -1], [0, 1]] -> margin = 2 h2 + 0.3; dh = (0, 2);
        // dx = dh W0_hat = 0 * (1, 0) + 2 * (0, 1) = (0, 2)
        assertThat(dx).containsExactly(0f, 2f);
    }

    @Test
    void constructor_outputLayerWithActivationQuantizer_fails() {
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(1f));
        UniformQuantizer w = new UniformQuantizer(QuantSpec.weights(2), QuantParams.symmetric(1f));
        assertThatThrownBy(() -> new QuantizedMlp(List.of(new QuantizedLayer(2, 2, w, new int[4], new float[2], act))))
                .hasMessageContaining("output layer");
    }

    @Test
    void constructor_signedActivationQuantizer_fails() {
        UniformQuantizer w = new UniformQuantizer(QuantSpec.weights(2), QuantParams.symmetric(1f));
        assertThatThrownBy(() -> new QuantizedLayer(2, 2, w, new int[4], new float[2], w))
                .hasMessageContaining("unsigned");
    }

    static QuantizedMlp quantizeAll(Mlp teacher, int bits) {
        MinMaxCalibrator c = new MinMaxCalibrator();
        List<QuantizedLayer> ls = new java.util.ArrayList<>();
        for (DenseLayer l : teacher.layers()) {
            ls.add(QuantizedLayer.quantize(l, c.weightQuantizer(l.weight(), l.out(), QuantSpec.weights(bits)), null));
        }
        return new QuantizedMlp(ls);
    }

    static float[] randomRows(int rows, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
