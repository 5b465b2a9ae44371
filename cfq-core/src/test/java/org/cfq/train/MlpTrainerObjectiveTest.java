package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.model.Scores;
import org.junit.jupiter.api.Test;

/** The caller's-objective path of the one training loop. */
class MlpTrainerObjectiveTest {
    @Test
    void train_withObjective_runsItPerBatchAndKeepsTheMostAccurateEpoch() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 200;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = (float) rng.nextGaussian();
            x[2 * r + 1] = (float) rng.nextGaussian();
            y[r] = x[2 * r] + x[2 * r + 1] > 0 ? 1 : 0;
        }
        TrainingConfig c = TrainingConfig.defaults().withHidden(List.of(4)).withBatchSize(64).withMaxEpochs(5)
                .withPatience(5).withSeed(1);
        float[] dLogits = new float[64 * 2];
        List<Integer> epochs = new ArrayList<>();
        int[] batches = {0};
        MlpTrainer.Objective ce = new MlpTrainer.Objective() {
            @Override
            public double step(Mlp net, Mlp.Workspace ws, Mlp.Gradients grads, float[] xb, int[] yb, int n) {
                batches[0]++;
                net.forward(xb, n, ws);
                double loss = Losses.softmaxCrossEntropy(ws.logits(), yb, 0, n, 1.0 / n, dLogits) / n;
                net.backward(xb, n, ws, dLogits, grads, null);
                return loss;
            }

            @Override
            public void afterEpoch(int epoch, Mlp net) {
                epochs.add(epoch);
            }
        };
        Mlp start = Mlp.initialize(2, new int[] {4}, new SplittableRandom(9));
        TrainingResult r = new MlpTrainer(c).train(start, ce, x, y, x, y, new SplittableRandom(5));
        assertThat(r.model()).isSameAs(start);
        assertThat(epochs).containsExactly(1, 2, 3, 4, 5);
        assertThat(batches[0]).isEqualTo(5 * 4);
        double best = r.validationAccuracy().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(r.validationAccuracy().get(r.bestEpoch() - 1)).isEqualTo(best);
        assertThat(r.validationAccuracy().indexOf(best)).isEqualTo(r.bestEpoch() - 1);
        assertThat(Scores.accuracy(r.model(), x, y)).isEqualTo(best);
        assertThat(r.validationLoss()).allMatch(v -> Double.isNaN(v));
    }
}
