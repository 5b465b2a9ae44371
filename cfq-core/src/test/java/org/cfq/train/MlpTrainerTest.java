package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    private static final TrainingConfig SMALL = TrainingConfig.defaults().withHidden(List.of(16, 8))
            .withBatchSize(32).withMaxEpochs(40).withLearningRate(1e-2);

    private final ToyData train = ToyData.linearlySeparable(600, 4, 1);
    private final ToyData val = ToyData.linearlySeparable(200, 4, 2);
    private final ToyData test = ToyData.linearlySeparable(400, 4, 3);

    @Test
    void train_linearlySeparableMlp_reachesNearPerfectTestAccuracy() {
        TrainingResult r = new MlpTrainer(SMALL).train(train.x, train.y, val.x, val.y);
        assertThat(accuracy(r.model(), test)).isGreaterThanOrEqualTo(0.98);
        assertThat(r.trainLoss().get(r.epochsRun() - 1)).isLessThan(r.trainLoss().get(0));
    }

    @Test
    void train_linearlySeparableLogistic_reachesNearPerfectTestAccuracy() {
        TrainingConfig cfg = TrainingConfig.logistic().withBatchSize(32).withMaxEpochs(40).withLearningRate(5e-2);
        TrainingResult r = new MlpTrainer(cfg).train(train.x, train.y, val.x, val.y);
        assertThat(r.model().layers()).hasSize(1);
        assertThat(accuracy(r.model(), test)).isGreaterThanOrEqualTo(0.98);
    }

    @Test
    void train_sameSeed_givesIdenticalWeightBytes() {
        TrainingConfig cfg = SMALL.withMaxEpochs(5).withSeed(7);
        Mlp a = new MlpTrainer(cfg).train(train.x, train.y, val.x, val.y).model();
        Mlp b = new MlpTrainer(cfg).train(train.x, train.y, val.x, val.y).model();
        assertThat(weightBytes(a)).isEqualTo(weightBytes(b));
    }

    @Test
    void train_differentSeed_givesDifferentWeights() {
        Mlp a = new MlpTrainer(SMALL.withMaxEpochs(5).withSeed(7)).train(train.x, train.y, val.x, val.y).model();
        Mlp b = new MlpTrainer(SMALL.withMaxEpochs(5).withSeed(8)).train(train.x, train.y, val.x, val.y).model();
        assertThat(weightBytes(a)).isNotEqualTo(weightBytes(b));
    }

    @Test
    void train_validationGetsWorse_stopsAfterPatienceAndRestoresBestEpochWeights() {
        // Validation labels are the training labels flipped: the better the fit, the worse
        // the validation loss, so the best epoch is early and patience must stop the run.
        ToyData anti = train.flipped();
        TrainingConfig cfg = SMALL.withMaxEpochs(40).withPatience(3);
        List<EpochMetrics> seen = new ArrayList<>();
        TrainingResult r = new MlpTrainer(cfg).train(train.x, train.y, anti.x, anti.y, seen::add);

        int best = argMin(r.validationLoss()) + 1;
        assertThat(r.bestEpoch()).isEqualTo(best);
        assertThat(r.epochsRun()).isEqualTo(best + 3).isLessThan(40);
        assertThat(seen).hasSize(r.epochsRun());
        assertThat(seen.get(best - 1).improved()).isTrue();
        // the returned model is the best epoch's, not the last epoch's
        double restored = meanLoss(r.model(), anti);
        assertThat(restored).isCloseTo(r.bestValidationLoss(), within(1e-6));
        assertThat(restored).isLessThan(r.validationLoss().get(r.epochsRun() - 1));
    }

    @Test
    void train_accuracyCriterion_picksEpochWithHighestValidationAccuracy() {
        TrainingConfig cfg = SMALL.withMaxEpochs(6).withStopping(EarlyStopping.VALIDATION_ACCURACY);
        TrainingResult r = new MlpTrainer(cfg).train(train.x, train.y, val.x, val.y);
        double bestAcc = r.validationAccuracy().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(r.bestValidationAccuracy()).isEqualTo(bestAcc);
        assertThat(accuracy(r.model(), val)).isEqualTo(bestAcc);
    }

    @Test
    void train_noValidationRows_runsAllEpochsAndKeepsLast() {
        TrainingResult r = new MlpTrainer(SMALL.withMaxEpochs(3)).train(train.x, train.y, new float[0], new int[0]);
        assertThat(r.epochsRun()).isEqualTo(3);
        assertThat(r.bestEpoch()).isEqualTo(3);
        assertThat(r.validationLoss()).allMatch(v -> Double.isNaN(v));
    }

    @Test
    void train_xNotAMultipleOfRows_failsNamingLengths() {
        assertThatThrownBy(() -> new MlpTrainer(SMALL).train(new float[7], new int[2], new float[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7")
                .hasMessageContaining("2 labels");
    }

    @Test
    void train_labelThree_failsNamingSplitAndRow() {
        assertThatThrownBy(() -> new MlpTrainer(SMALL).train(new float[4], new int[] {0, 3}, new float[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("training label at row 1")
                .hasMessageContaining("got 3");
    }

    static double accuracy(Mlp m, ToyData d) {
        int[] p = m.predict(d.x, d.y.length);
        int ok = 0;
        for (int r = 0; r < p.length; r++) {
            ok += p[r] == d.y[r] ? 1 : 0;
        }
        return (double) ok / p.length;
    }

    private static double meanLoss(Mlp m, ToyData d) {
        float[] logits = new float[d.y.length * 2];
        m.logits(d.x, d.y.length, logits);
        return Losses.softmaxCrossEntropy(logits, d.y, 0, d.y.length, 1, null) / d.y.length;
    }

    private static int argMin(List<Double> v) {
        int best = 0;
        for (int i = 1; i < v.size(); i++) {
            if (v.get(i) < v.get(best)) {
                best = i;
            }
        }
        return best;
    }

    static byte[] weightBytes(Mlp m) {
        ByteBuffer b = ByteBuffer.allocate(4 * m.parameterCount());
        for (DenseLayer l : m.layers()) {
            for (float w : l.weight()) {
                b.putFloat(w);
            }
            for (float w : l.bias()) {
                b.putFloat(w);
            }
        }
        return b.array();
    }
}
