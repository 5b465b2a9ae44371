package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.junit.jupiter.api.Test;

class CfqStudentTest {
    private static final int WIDTH = 4;
    private static final int N = 6;
    private static final int M = 3;
    private static final int[] LABELS = {1, 0, 0, 1, 1, 0};
    private static final float[] T_MARGIN = {0.5f, 1.5f, 0.2f};

    private final Mlp teacher = withBiases(Mlp.initialize(WIDTH, new int[] {5, 3}, new SplittableRandom(21)));
    private final float[] x = rows(N + M, 22);
    private final float[][] noise = {{0.3f, -0.2f, 0.5f, 0.1f}, {-0.4f, 0.6f, 0.0f, 0.2f}, {0.1f, 0.1f, -0.3f, 0.7f}};

    /**
     * Random nonzero biases: with zero biases a row whose first hidden layer is all dead puts
     * the next pre-activation exactly at the ReLU kink, where finite differences are one-sided.
     */
    private static Mlp withBiases(Mlp m) {
        SplittableRandom r = new SplittableRandom(23);
        for (var layer : m.layers()) {
            for (int o = 0; o < layer.out(); o++) {
                layer.bias()[o] = (float) (r.nextDouble() * 0.6 - 0.1);
            }
        }
        return m;
    }

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    private CfqStudent student(CfqConfig c) {
        return new CfqStudent(teacher, c, x, N + M, new SplittableRandom(1), N + M);
    }

    /** The loss with every layer's soft sample set from the fixed noise at the current logits. */
    private double loss(CfqStudent s, CfqConfig c, float[] dLogits) {
        for (int l = 0; l < s.layers; l++) {
            s.mix[l].setNoise(noise[l], 0.7, false);
        }
        float[] logits = s.forward(x, N + M);
        return FaithfulnessLoss.evaluate(logits, LABELS, N, M, null, T_MARGIN, c.loss(), dLogits).total();
    }

    @Test
    void backward_softMixtureNoPact_logitAndBiasGradientsMatchFiniteDifferences() {
        CfqConfig c = CfqConfig.defaults().withPact(false, 8).withHinge(0.5, 0.25).withMatching(0.2);
        CfqStudent s = student(c);
        float[] d = new float[(N + M) * 2];
        loss(s, c, d);
        s.zeroGradients();
        s.backward(x, N + M, d);
        for (int l = 0; l < s.layers; l++) {
            float[] a = s.mix[l].logits();
            float[] g = s.mix[l].logitGrad().clone();
            for (int k = 0; k < a.length; k++) {
                float keep = a[k];
                a[k] = keep + 1e-3f;
                double up = loss(s, c, new float[d.length]);
                a[k] = keep - 1e-3f;
                double dn = loss(s, c, new float[d.length]);
                a[k] = keep;
                assertThat((double) g[k]).as("layer %d logit %d", l, k).isCloseTo((up - dn) / 2e-3, within(2e-4));
            }
            float[] b = s.b[l];
            float[] gb = s.gb[l].clone();
            for (int o = 0; o < b.length; o++) {
                float keep = b[o];
                b[o] = keep + 1e-3f;
                double up = loss(s, c, new float[d.length]);
                b[o] = keep - 1e-3f;
                double dn = loss(s, c, new float[d.length]);
                b[o] = keep;
                assertThat((double) gb[o]).as("layer %d bias %d", l, o).isCloseTo((up - dn) / 2e-3, within(2e-4));
            }
        }
    }

    @Test
    void forward_hardFixedWidthsWithPact_equalsTheDeployedStudentBitForBit() {
        CfqConfig c = CfqConfig.defaults();
        CfqStudent s = student(c);
        int[] choice = {1, 0, 3};
        for (int l = 0; l < 3; l++) {
            s.mix[l].fix(choice[l]);
        }
        float[] trained = s.forward(x, N + M).clone();
        QuantizedMlp q = s.snapshot(choice);
        float[] deployed = new float[(N + M) * 2];
        q.logits(x, N + M, deployed);
        assertThat(q.bitsPerLayer()).containsExactly(3, 2, 8);
        assertThat(q.quantizesActivations()).isTrue();
        assertThat(q.layers().get(0).activationQuantizer().spec().bits()).isEqualTo(8);
        assertThat(java.util.Arrays.copyOf(trained, deployed.length)).containsExactly(deployed);
    }

    @Test
    void constructor_pact_clipStartsAtTheTeachersActivationRange() {
        CfqStudent s = student(CfqConfig.defaults());
        // a percentile clip lies within the observed range of the teacher's first hidden layer
        Mlp.Workspace ws = teacher.workspace(N + M);
        teacher.forward(x, N + M, ws);
        float max = 0f;
        for (int i = 0; i < (N + M) * 5; i++) {
            max = Math.max(max, ws.activation(0)[i]);
        }
        assertThat(s.alpha[0][0]).isPositive().isLessThanOrEqualTo(max * 1.0001f);
        assertThat(s.alpha[2]).isNull();
    }

    @Test
    void constructor_pactOff_noClipsAndNoActivationQuantizers() {
        CfqStudent s = student(CfqConfig.defaults().withPact(false, 8));
        assertThat(s.alpha[0]).isNull();
        assertThat(s.snapshot(new int[] {2, 2, 2}).quantizesActivations()).isFalse();
    }
}
