package org.cfq.quant.qat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.junit.jupiter.api.Test;

class QatTrainerTest {
    private static final int WIDTH = 8;

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** A teacher and its own decisions as labels: agreement and accuracy coincide. */
    private static Mlp teacher() {
        return Mlp.initialize(WIDTH, new int[] {32, 16}, new SplittableRandom(21));
    }

    @Test
    void train_lsqTwoBits_beatsPostTrainingQuantization() {
        Mlp t = teacher();
        float[] x = rows(2000, 1);
        float[] xv = rows(500, 2);
        int[] y = t.predict(x, 2000);
        int[] yv = t.predict(xv, 500);
        QuantizedMlp ptq = PostTrainingQuantizer.quantize(t, 2, PtqConfig.defaults(), x, 2000, new SplittableRandom(1));
        double ptqAcc = QatTrainer.accuracy(ptq, xv, yv);
        QatResult r = new QatTrainer(QatConfig.defaults().withEpochs(15).withLearningRate(2e-3))
                .train(t, new int[] {2, 2, 2}, x, y, xv, yv, new SplittableRandom(5));
        double lsqAcc = QatTrainer.accuracy(r.model(), xv, yv);
        assertThat(lsqAcc).isEqualTo(r.validationAccuracy().get(r.bestEpoch()));
        assertThat(r.bestEpoch()).isPositive();
        assertThat(lsqAcc).isGreaterThan(ptqAcc);
        assertThat(r.model().bitsPerLayer()).containsExactly(2, 2, 2);
    }

    @Test
    void train_steThreeBits_improvesOnInitialQuantization() {
        Mlp t = teacher();
        float[] x = rows(2000, 3);
        float[] xv = rows(500, 4);
        int[] y = t.predict(x, 2000);
        int[] yv = t.predict(xv, 500);
        QatResult r = new QatTrainer(QatConfig.defaults().withWeightMode(WeightMode.STE).withEpochs(10)
                .withLearningRate(2e-3).withSelection(ModelSelection.ACCURACY)).train(t, new int[] {3, 3, 3}, x, y, xv, yv, new SplittableRandom(5));
        assertThat(r.validationAccuracy().get(r.bestEpoch())).isGreaterThan(r.validationAccuracy().get(0));
    }

    @Test
    void train_pact_quantizesHiddenActivationsWithPositiveClip() {
        Mlp t = teacher();
        float[] x = rows(1000, 5);
        int[] y = t.predict(x, 1000);
        QatResult r = new QatTrainer(QatConfig.defaults().withActivations(ActivationMode.PACT, 4).withEpochs(3))
                .train(t, new int[] {4, 4, 4}, x, y, new float[0], new int[0], new SplittableRandom(5));
        QuantizedMlp m = r.model();
        assertThat(m.quantizesActivations()).isTrue();
        assertThat(m.layers().get(0).activationQuantizer().params().scale(0)).isPositive();
        assertThat(m.layers().get(2).activationQuantizer()).isNull();
        assertThat(r.epochsRun()).isEqualTo(3);
        assertThat(r.bestEpoch()).isEqualTo(3);
    }

    @Test
    void train_sameSeed_sameModel() {
        Mlp t = teacher();
        float[] x = rows(600, 6);
        int[] y = t.predict(x, 600);
        QatConfig c = QatConfig.defaults().withEpochs(2).withDistillation(0.5, 2.0);
        QuantizedMlp a = new QatTrainer(c).train(t, new int[] {3, 3, 3}, x, y, new float[0], new int[0],
                new SplittableRandom(9)).model();
        QuantizedMlp b = new QatTrainer(c).train(t, new int[] {3, 3, 3}, x, y, new float[0], new int[0],
                new SplittableRandom(9)).model();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void train_teacherUnchanged() {
        Mlp t = teacher();
        Mlp before = t.copy();
        float[] x = rows(300, 7);
        new QatTrainer(QatConfig.defaults().withEpochs(1)).train(t, new int[] {2, 2, 2}, x, t.predict(x, 300),
                new float[0], new int[0], new SplittableRandom(1));
        assertThat(t).isEqualTo(before);
    }

    @Test
    void train_wrongBitsLength_fails() {
        Mlp t = teacher();
        assertThatThrownBy(() -> new QatTrainer(QatConfig.defaults()).train(t, new int[] {2}, rows(3, 1),
                new int[3], new float[0], new int[0], new SplittableRandom(1)))
                .hasMessageContaining("one width per layer (3), got 1");
    }

    @Test
    void train_smallData_eachEpochRunsAtLeastMinimumSteps() {
        Mlp t = teacher();
        float[] x = rows(100, 8);
        int[] y = t.predict(x, 100);
        // 100 rows in batches of 40: 3 steps per pass; at least 5 steps per epoch means 2 passes (6 steps)
        QatConfig c = new QatConfig(WeightMode.LSQ, new org.cfq.quant.calibrate.MinMaxCalibrator(),
                org.cfq.quant.Granularity.TENSOR, false, ActivationMode.NONE, 0,
                org.cfq.quant.calibrate.PercentileCalibrator.defaults(), 10, 2, 40, 5, 1e-3, 0, 4, 0, 2,
                ModelSelection.ACCURACY);
        QatResult r = new QatTrainer(c).train(t, new int[] {3, 3, 3}, x, y, new float[0], new int[0],
                new SplittableRandom(1));
        assertThat(r.epochsRun()).isEqualTo(2);
        assertThat(r.steps()).isEqualTo(12);
        assertThatThrownBy(() -> QatConfig.defaults().withMinStepsPerEpoch(0))
                .hasMessageContaining("minStepsPerEpoch must be >= 1, got 0");
    }

    @Test
    void config_activationBitsWithoutMode_fails() {
        assertThatThrownBy(() -> QatConfig.defaults().withActivations(ActivationMode.NONE, 4))
                .hasMessageContaining("activationBits must be 0");
        assertThatThrownBy(() -> QatConfig.defaults().withDistillation(1.5, 2))
                .hasMessageContaining("distillWeight must be in [0, 1], got 1.5");
    }

    @Test
    void defaults_lsqFineTuning_distilsOnlyAndSelectsByFidelity() {
        QatConfig c = QatConfig.defaults();
        assertThat(c.weightMode()).isEqualTo(WeightMode.LSQ);
        assertThat(c.distillWeight()).isEqualTo(1.0);
        assertThat(c.temperature()).isEqualTo(2.0);
        assertThat(c.selection()).isEqualTo(ModelSelection.FIDELITY);
    }

    /** A listener that keeps every epoch's model (epoch 0 first) in {@code seen}. */
    private static QatTrainer.Listener collecting(List<QuantizedMlp> seen) {
        return new QatTrainer.Listener() {
            @Override
            public void onEpoch(int epoch, int epochs, double loss, double acc, double seconds) {
            }

            @Override
            public void onModel(int epoch, QuantizedMlp model) {
                seen.add(model);
            }
        };
    }

    /** Labels that contradict the teacher on every row: task-loss training can only move away from it. */
    private static int[] flipped(int[] y) {
        int[] f = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = 1 - y[i];
        }
        return f;
    }

    @Test
    void train_fidelityAndTrainingAwayFromTeacher_keepsStartingQuantization() {
        Mlp t = teacher();
        float[] x = rows(600, 11);
        float[] xv = rows(200, 12);
        int[] y = flipped(t.predict(x, 600));
        int[] yv = t.predict(xv, 200);
        List<QuantizedMlp> seen = new ArrayList<>();
        QatConfig c = QatConfig.defaults().withEpochs(3).withDistillation(0.0, 2.0).withLearningRate(2e-3);
        QatResult r = new QatTrainer(c).train(t, new int[] {8, 8, 8}, x, y, xv, yv, new SplittableRandom(3),
                collecting(seen));
        assertThat(seen).hasSize(4);
        assertThat(r.bestEpoch()).isZero();
        assertThat(r.model()).isEqualTo(seen.get(0));
        // every fine-tuned epoch is further from the teacher than the start
        for (int e = 1; e < 4; e++) {
            assertThat(r.validationFidelity().get(e)).isGreaterThan(r.validationFidelity().get(0));
        }
    }

    @Test
    void train_fidelitySelection_returnsEpochWithLowestValidationDistillationLoss() {
        Mlp t = teacher();
        float[] x = rows(600, 13);
        float[] xv = rows(200, 14);
        int[] y = t.predict(x, 600);
        int[] yv = t.predict(xv, 200);
        float[] tv = new float[200 * 2];
        t.logits(xv, 200, tv);
        List<QuantizedMlp> seen = new ArrayList<>();
        QatConfig c = QatConfig.defaults().withEpochs(4).withLearningRate(2e-3);
        QatResult r = new QatTrainer(c).train(t, new int[] {2, 2, 2}, x, y, xv, yv, new SplittableRandom(4),
                collecting(seen));
        List<Double> fid = r.validationFidelity();
        assertThat(fid).hasSize(seen.size());
        for (int e = 0; e < seen.size(); e++) {
            assertThat(fid.get(e)).isEqualTo(QatTrainer.fidelityLoss(seen.get(e), xv, tv, 200, 2.0));
        }
        int argmin = fid.indexOf(Collections.min(fid));
        assertThat(r.bestEpoch()).isEqualTo(argmin).isPositive();
        assertThat(r.model()).isEqualTo(seen.get(argmin));
    }

    @Test
    void train_accuracySelection_returnsFirstEpochWithHighestValidationAccuracy() {
        Mlp t = teacher();
        float[] x = rows(600, 15);
        float[] xv = rows(200, 16);
        int[] y = t.predict(x, 600);
        int[] yv = t.predict(xv, 200);
        QatConfig c = QatConfig.defaults().withEpochs(4).withLearningRate(2e-3).withSelection(ModelSelection.ACCURACY);
        QatResult r = new QatTrainer(c).train(t, new int[] {2, 2, 2}, x, y, xv, yv, new SplittableRandom(4));
        List<Double> acc = r.validationAccuracy();
        assertThat(r.bestEpoch()).isEqualTo(acc.indexOf(Collections.max(acc)));
        assertThat(QatTrainer.accuracy(r.model(), xv, yv)).isEqualTo(acc.get(r.bestEpoch()));
    }

    @Test
    void fidelityLoss_modelAgainstItsOwnLogits_isZero() {
        Mlp t = teacher();
        float[] x = rows(50, 17);
        QuantizedMlp q = PostTrainingQuantizer.quantize(t, 4, PtqConfig.defaults(), x, 50, new SplittableRandom(1));
        float[] own = new float[100];
        q.logits(x, 50, own);
        assertThat(QatTrainer.fidelityLoss(q, x, own, 50, 2.0)).isZero();
        float[] flat = new float[100];
        assertThat(QatTrainer.fidelityLoss(q, x, flat, 50, 2.0)).isPositive();
    }

    @Test
    void modelSelection_parse_acceptsNamesAndRejectsOthers() {
        assertThat(ModelSelection.parse(" Fidelity ")).isEqualTo(ModelSelection.FIDELITY);
        assertThat(ModelSelection.parse("accuracy")).isEqualTo(ModelSelection.ACCURACY);
        assertThatThrownBy(() -> ModelSelection.parse("loss"))
                .hasMessageContaining("accuracy, fidelity").hasMessageContaining("'loss'");
    }
}
