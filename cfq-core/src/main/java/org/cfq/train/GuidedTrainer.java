package org.cfq.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.math.Shuffle;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * The mini-batch loop of {@link MlpTrainer} with the batch objective supplied by the caller:
 * knowledge distillation ({@link Distillation}) and the recourse-aware reference models of the
 * paper's baselines (in {@code org.cfq.faithful}) train a full-precision network this way.
 *
 * <p>Per epoch: a seeded permutation of the training rows, batches of
 * {@link TrainingConfig#batchSize()}, for each the {@link Objective} runs the network forward and
 * backward (it may append rows of its own to the batch, up to {@link Objective#capacity}) and
 * AdamW steps. After each epoch the validation accuracy is measured; the most accurate epoch
 * (strictly better) is restored at the end, and training stops after
 * {@link TrainingConfig#patience()} epochs without improvement.
 */
public final class GuidedTrainer {
    private final TrainingConfig config;

    /** What one batch contributes: forward, loss, backward into the gradients. */
    public interface Objective {
        /** {@return the rows the workspace must hold for a batch of {@code batch} data rows} */
        default int capacity(int batch) {
            return batch;
        }

        /**
         * Runs {@code net} on the batch and accumulates the gradient of the batch loss into
         * {@code grads} (already zeroed).
         *
         * @param xb rows, {@code n} data rows first; room for {@link #capacity} rows
         * @param yb labels of the data rows
         * @return the batch loss
         */
        double step(Mlp net, Mlp.Workspace ws, Mlp.Gradients grads, float[] xb, int[] yb, int n);

        /** Called after every epoch (1-based) with the network's current weights. */
        default void afterEpoch(int epoch, Mlp net) {
        }
    }

    public GuidedTrainer(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Trains {@code start} (modified in place; pass a copy to keep it) on the training rows.
     *
     * @param rng seeds the epoch shuffles
     * @return the result; its model is {@code start} with the best epoch's weights
     */
    public TrainingResult train(Mlp start, Objective objective, float[] x, int[] y, float[] xVal, int[] yVal,
                                SplittableRandom rng) {
        long t0 = System.nanoTime();
        int rows = y.length;
        int width = start.inputDim();
        if (rows == 0 || x.length != rows * width) {
            throw new IllegalArgumentException("x must be " + rows + " x " + width + " floats with rows > 0, got "
                    + x.length);
        }
        if (xVal.length != yVal.length * width) {
            throw new IllegalArgumentException("validation x must be " + yVal.length + " x " + width + " floats, got "
                    + xVal.length);
        }
        Mlp net = start;
        Mlp.Gradients grads = new Mlp.Gradients(net);
        AdamW opt = new AdamW(config.learningRate(), config.weightDecay());
        opt.registerMlp(net, grads);
        int batch = Math.min(config.batchSize(), rows);
        Mlp.Workspace ws = net.workspace(Math.max(objective.capacity(batch), batch));
        float[] xb = new float[Math.max(objective.capacity(batch), batch) * width];
        int[] yb = new int[batch];
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        List<DenseLayer> layers = net.layers();
        float[][] bestW = new float[layers.size()][];
        float[][] bestB = new float[layers.size()][];
        List<Double> trainLoss = new ArrayList<>();
        List<Double> valLoss = new ArrayList<>();
        List<Double> valAcc = new ArrayList<>();
        double bestAcc = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        while (epoch < config.maxEpochs()) {
            epoch++;
            Shuffle.shuffle(order, rng);
            double lossSum = 0;
            int batches = 0;
            for (int b0 = 0; b0 < rows; b0 += batch) {
                int n = Math.min(batch, rows - b0);
                for (int i = 0; i < n; i++) {
                    int r = order[b0 + i];
                    System.arraycopy(x, r * width, xb, i * width, width);
                    yb[i] = y[r];
                }
                grads.zero();
                lossSum += objective.step(net, ws, grads, xb, yb, n);
                opt.step();
                batches++;
            }
            objective.afterEpoch(epoch, net);
            double acc = yVal.length == 0 ? Double.NaN : accuracy(net, xVal, yVal);
            trainLoss.add(lossSum / batches);
            valLoss.add(Double.NaN);
            valAcc.add(acc);
            if (yVal.length == 0 || acc > bestAcc) {
                bestAcc = acc;
                bestEpoch = epoch;
                for (int l = 0; l < layers.size(); l++) {
                    bestW[l] = layers.get(l).weight().clone();
                    bestB[l] = layers.get(l).bias().clone();
                }
            }
            if (epoch - bestEpoch >= config.patience()) {
                break;
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            System.arraycopy(bestW[l], 0, layers.get(l).weight(), 0, bestW[l].length);
            System.arraycopy(bestB[l], 0, layers.get(l).bias(), 0, bestB[l].length);
        }
        return new TrainingResult(net, config, epoch, bestEpoch, trainLoss, valLoss, valAcc,
                (System.nanoTime() - t0) / 1e9);
    }

    /** {@return the share of rows whose decision (margin &gt; 0) equals the label} */
    public static double accuracy(Mlp net, float[] x, int[] y) {
        float[] m = net.margins(x, y.length);
        int right = 0;
        for (int r = 0; r < y.length; r++) {
            if ((m[r] > 0f ? 1 : 0) == y[r]) {
                right++;
            }
        }
        return (double) right / y.length;
    }
}
