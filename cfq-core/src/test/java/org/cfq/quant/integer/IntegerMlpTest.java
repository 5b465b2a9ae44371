package org.cfq.quant.integer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class IntegerMlpTest {

    /** 2 -> 2 (ReLU) -> 2 at 2 bits with scale 1 (max |w| = 1), as in QuantizedMlpTest. */
    private static QuantizedMlp tiny(UniformQuantizer act) {
        DenseLayer h = new DenseLayer(2, 2, new float[] {1.0f, -0.5f, 0.25f, 0.75f}, new float[] {0.1f, -0.2f});
        DenseLayer o = new DenseLayer(2, 2, new float[] {0.5f, -1.0f, -0.25f, 1.0f}, new float[] {0f, 0.3f});
        MinMaxCalibrator c = new MinMaxCalibrator();
        return new QuantizedMlp(List.of(
                QuantizedLayer.quantize(h, c.weightQuantizer(h.weight(), 2, QuantSpec.weights(2)), act),
                QuantizedLayer.quantize(o, c.weightQuantizer(o.weight(), 2, QuantSpec.weights(2)), null)));
    }

    @Test
    void logits_quantizedHiddenLayer_matchHandComputedIntegerForward() {
        // layer 0 codes (1, 0; 0, 1), s = 1; x = (1, 2): pre = (1.1, 1.8) in float.
        // Requantize on unsigned 2 bits, s_a = 0.5: rint(2.2) = 2, rint(3.6) = 4 -> clamp 3; codes (2, 3).
        // Layer 1 codes (0, -1; 0, 1): acc = (0*2 - 1*3, 0*2 + 1*3) = (-3, 3) in int32;
        // rescale s_w * s_a = 0.5: logits = (-1.5 + 0, 1.5 + 0.3) = (-1.5, 1.8).
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        IntegerMlp m = IntegerMlp.of(tiny(act));
        assertThat(m.layers().get(0).integerInput()).isFalse();
        assertThat(m.layers().get(1).integerInput()).isTrue();
        float[] logits = new float[2];
        m.logits(new float[] {1f, 2f}, 1, logits);
        assertThat(logits).containsExactly(-1.5f, 1.8f);
        // 2 x 2 codes of 2 bits = 8 bits = 1 byte per layer
        assertThat(m.packedWeightBytes()).isEqualTo(2);
    }

    @Test
    void logits_nonZeroActivationZeroPoint_subtractsItBeforeMultiplying() {
        // Unsigned 2 bits [0, 3] with s_a = 1, za = 1: relu(1.1) -> rint(1.1) + 1 = 2, relu(1.8) -> 2 + 1 = 3;
        // centered (1, 2). acc = (0*1 - 1*2, 0*1 + 1*2) = (-2, 2); logits = (-2, 2 + 0.3).
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.perTensor(1f, 1));
        QuantizedMlp fake = tiny(act);
        float[] logits = new float[2];
        IntegerMlp.of(fake).logits(new float[] {1f, 2f}, 1, logits);
        assertThat(logits).containsExactly(-2f, 2.3f);
        float[] fakeLogits = new float[2];
        fake.logits(new float[] {1f, 2f}, 1, fakeLogits);
        assertThat(fakeLogits).containsExactly(-2f, 2.3f);
    }

    @Test
    void logits_floatActivations_equalFakeQuantizedModelBitForBit() {
        Mlp teacher = Mlp.initialize(9, new int[] {13, 5}, new SplittableRandom(7));
        MinMaxCalibrator c = new MinMaxCalibrator();
        for (int bits = 2; bits <= 8; bits++) {
            List<QuantizedLayer> layers = new java.util.ArrayList<>();
            for (DenseLayer d : teacher.layers()) {
                layers.add(QuantizedLayer.quantize(d, c.weightQuantizer(d.weight(), d.out(),
                        QuantSpec.weights(bits, org.cfq.quant.Granularity.CHANNEL)), null));
            }
            QuantizedMlp fake = new QuantizedMlp(layers);
            float[] x = new float[50 * 9];
            SplittableRandom rng = new SplittableRandom(bits);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            float[] a = new float[100];
            float[] b = new float[100];
            fake.logits(x, 50, a);
            IntegerMlp.of(fake).logits(x, 50, b);
            assertThat(b).as("%d bits", bits).containsExactly(a);
        }
    }

    @Test
    void logits_trainedTeacherEveryWidthAndMixed_sameDecisionsAsFakeQuantized() {
        Dataset d = SyntheticCredit.generate(2000, 11);
        Encoder e = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = e.encode(d.train());
        float[] xv = e.encode(d.validation());
        float[] xt = e.encode(d.test());
        Mlp teacher = new MlpTrainer(TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(4).withSeed(3))
                .train(x, d.train().labels(), xv, d.validation().labels()).model();
        var variants = QuantizedVariants.all(teacher, x, d.train().rows(), xv, d.validation().labels(),
                d.validation().rows(), 5);
        assertThat(variants).hasSize(30);
        for (var v : variants) {
            var agree = QuantizedVariants.compare(v.model(), IntegerMlp.of(v.model()), xt, d.test().rows());
            assertThat(agree.decisionMismatches()).as(v.name()).isZero();
            assertThat(agree.maxAbsLogitDiff()).as(v.name()).isLessThanOrEqualTo(1e-5 * (1 + agree.maxAbsLogit()));
        }
    }

    @Test
    void forward_valueOnRoundingTieAndZeroMargin_takeTheFakeQuantizedSums() {
        // 1 -> 1 -> 1 -> 2, 2-bit weights, unsigned 2-bit activations.
        // layer 0 (float input): w = 1 * 1, x = 1 -> pre 1 -> code rint(1 / 1) = 1.
        // layer 1 (integer input): code 1 * s_w 0.25, acc = 1 * 1 -> pre 0.25; next s_a = 0.5
        //   scales it to exactly 0.5, a rounding tie -> recomputed from the float32 sum (fallback 1),
        //   which rounds half to even: code 0.
        // layer 2 (integer input): w = (1, -1), bias 0 -> logits (0, 0), margin 0 -> both logits
        //   recomputed (fallback 2); the row is not favorable.
        UniformQuantizer a1 = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(1f));
        UniformQuantizer a2 = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        QuantizedMlp fake = new QuantizedMlp(List.of(
                new QuantizedLayer(1, 1, new UniformQuantizer(QuantSpec.weights(2), QuantParams.symmetric(1f)),
                        new int[] {1}, new float[] {0f}, a1),
                new QuantizedLayer(1, 1, new UniformQuantizer(QuantSpec.weights(2), QuantParams.symmetric(0.25f)),
                        new int[] {1}, new float[] {0f}, a2),
                new QuantizedLayer(1, 2, new UniformQuantizer(QuantSpec.weights(2), QuantParams.symmetric(1f)),
                        new int[] {1, -1}, new float[] {0f, 0f}, null)));
        IntegerMlp m = IntegerMlp.of(fake);
        IntegerMlp.Workspace ws = m.workspace(1);
        float[] logits = new float[2];
        m.forward(new float[] {1f}, 1, ws, logits);
        assertThat(ws.fallbacks()).isEqualTo(2);
        assertThat(logits).containsExactly(0f, 0f);
        assertThat(m.predict(new float[] {1f}, 1)).containsExactly(0);
        float[] fakeLogits = new float[2];
        fake.logits(new float[] {1f}, 1, fakeLogits);
        assertThat(fakeLogits).containsExactly(0f, 0f);
    }

    @Test
    void errorBound_matchesTheFormula() {
        // n = 10, sum |t_i| = 3, |b| = 1: 1.01 * (gamma(13) + 1.0001 u) * 4 with u = 2^-24
        double u = Math.pow(2, -24);
        double want = 1.01 * (13 * u / (1 - 13 * u) + 1.0001 * u) * 4;
        assertThat(IntegerLayer.errorBound(10, 3.0, -1f)).isEqualTo(want);
    }

    @Test
    void forward_workspaceOfAnotherModel_isRejected() {
        IntegerMlp a = IntegerMlp.of(tiny(null));
        IntegerMlp b = IntegerMlp.of(tiny(null));
        assertThatThrownBy(() -> a.forward(new float[2], 1, b.workspace(1), new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another model");
    }

    @Test
    void forward_moreRowsThanCapacity_failsNamingRange() {
        IntegerMlp a = IntegerMlp.of(tiny(null));
        assertThatThrownBy(() -> a.forward(new float[6], 3, a.workspace(2), new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 2], got 3");
    }

    @Test
    void constructor_accumulatorCouldOverflow_failsNamingTheLimit() {
        // 8-bit weights all -128 (|q| = 128) times unsigned 8-bit codes (255) over 66,000 inputs
        // reach 128 * 255 * 66,000 > 2^31 - 1.
        int in = 66_000;
        int[] codes = new int[in];
        java.util.Arrays.fill(codes, -128);
        PackedMatrix w = PackedMatrix.pack(codes, 1, in, QuantSpec.weights(8));
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(8), QuantParams.symmetric(1f));
        assertThatThrownBy(() -> new IntegerLayer(w, QuantParams.symmetric(1f), new float[1], act, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int32 limit");
    }

    @Test
    void constructor_firstLayerWithInputQuantizer_isRejected() {
        PackedMatrix w = PackedMatrix.pack(new int[] {0, 0}, 2, 1, QuantSpec.weights(4));
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(8), QuantParams.symmetric(1f));
        IntegerLayer l = new IntegerLayer(w, QuantParams.symmetric(1f), new float[2], act, null);
        assertThatThrownBy(() -> new IntegerMlp(List.of(l)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float model-space rows");
    }
}
