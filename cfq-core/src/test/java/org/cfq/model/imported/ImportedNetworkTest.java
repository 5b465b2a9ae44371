package org.cfq.model.imported;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.InputLayout;
import org.cfq.data.encode.InputLayoutTest;
import org.cfq.data.encode.Scaling;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.model.imported.OutputHead.FinalActivation;
import org.junit.jupiter.api.Test;

class ImportedNetworkTest {
    private static DenseLayer random(int in, int out, SplittableRandom rng) {
        float[] w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < out; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        return new DenseLayer(in, out, w, b);
    }

    private static InputLayout.Resolved resolved() {
        return InputLayoutTest.layoutForTests().resolve(InputLayoutTest.SCHEMA, Map.of("job", Map.of("?", "unknown")), "l");
    }

    private static Encoder encoder(InputLayout.Resolved r) {
        double[][] cs = r.encoderScaling(new double[4], new double[] {1, 1, 1, 1});
        var box = r.impliedBoxes();
        box[0] = new org.cfq.data.Range(0, 100);
        return new Encoder(InputLayoutTest.SCHEMA, Scaling.STANDARD, cs[0], cs[1], box);
    }

    @Test
    void toCfq_sigmoidModel_marginIsTheLogitAndMatchesTheGraph() {
        SplittableRandom rng = new SplittableRandom(3);
        ImportedNetwork net = new ImportedNetwork(List.of(random(6, 5, rng), random(5, 1, rng)),
                new OutputHead(1, FinalActivation.SIGMOID, 0));
        InputLayout.Resolved r = resolved();
        Encoder enc = encoder(r);
        Mlp cfq = net.toCfq(r.affine(enc));
        Table t = InputLayoutTest.rowsForTests();
        float[] logits = new float[4];
        cfq.logits(enc.encode(t), 2, logits);
        float[] p = net.outputs(r.encode(t), 2);
        ImportedNetwork raw = new ImportedNetwork(net.layers(), new OutputHead(1, FinalActivation.NONE, 0));
        float[] s = raw.outputs(r.encode(t), 2);
        for (int row = 0; row < 2; row++) {
            assertThat(logits[2 * row]).isZero();
            assertThat(logits[2 * row + 1]).isCloseTo(s[row], within(1e-5f));
            assertThat(1 / (1 + Math.exp(-logits[2 * row + 1]))).isCloseTo(p[row], within(1e-6));
        }
    }

    @Test
    void toCfq_twoLogitsFavorableIndex0_putsTheFavorableRowSecond() {
        SplittableRandom rng = new SplittableRandom(4);
        DenseLayer only = random(6, 2, rng);
        ImportedNetwork net = new ImportedNetwork(List.of(only), new OutputHead(2, FinalActivation.SOFTMAX, 0));
        InputLayout.Resolved r = resolved();
        Encoder enc = encoder(r);
        Mlp cfq = net.toCfq(r.affine(enc));
        Table t = InputLayoutTest.rowsForTests();
        float[] logits = new float[4];
        cfq.logits(enc.encode(t), 2, logits);
        ImportedNetwork raw = new ImportedNetwork(net.layers(), new OutputHead(2, FinalActivation.NONE, 0));
        float[] y = raw.outputs(r.encode(t), 2);
        for (int row = 0; row < 2; row++) {
            assertThat(logits[2 * row + 1]).isCloseTo(y[2 * row], within(1e-5f));
            assertThat(logits[2 * row]).isCloseTo(y[2 * row + 1], within(1e-5f));
        }
    }

    @Test
    void toCfq_identityLayout_keepsWeightsBitForBit() {
        // standardize columns behind an encoder with the same mean and std, one-hot of a categorical: a pure move
        InputLayout l = new InputLayout(List.of(
                new InputLayout.Column("income", new InputLayout.Standardize(3, 7)),
                new InputLayout.Column("job", new InputLayout.OneHot("b")),
                new InputLayout.Column("age", new InputLayout.Standardize(40, 10))));
        InputLayout.Resolved r = l.resolve(InputLayoutTest.SCHEMA, Map.of(), "l");
        double[][] cs = r.encoderScaling(new double[4], new double[] {1, 1, 1, 1});
        var box = r.impliedBoxes();
        box[0] = new org.cfq.data.Range(0, 100);
        box[3] = new org.cfq.data.Range(0, 100);
        Encoder enc = new Encoder(InputLayoutTest.SCHEMA, Scaling.STANDARD, cs[0], cs[1], box);
        SplittableRandom rng = new SplittableRandom(5);
        DenseLayer first = random(3, 4, rng);
        ImportedNetwork net = new ImportedNetwork(List.of(first, random(4, 2, rng)),
                new OutputHead(2, FinalActivation.NONE, 1));
        DenseLayer folded = net.toCfq(r.affine(enc)).layers().get(0);
        float[] w = first.weight();
        float[] f = folded.weight();
        int zw = enc.width(); // age 0, job 1..3, sex 4, income 5
        for (int o = 0; o < 4; o++) {
            assertThat(f[o * zw + 5]).isEqualTo(w[o * 3]);
            assertThat(f[o * zw + 2]).isEqualTo(w[o * 3 + 1]);
            assertThat(f[o * zw]).isEqualTo(w[o * 3 + 2]);
            assertThat(f[o * zw + 1]).isZero();
            assertThat(f[o * zw + 4]).isZero();
        }
        assertThat(folded.bias()).containsExactly(first.bias());
    }
}
