package org.cfq.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.math.Shuffle;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.model.Scores;

/**
 * Fits a teacher {@link Mlp} (or logistic regression) on model-space rows by mini-batch
 * AdamW on the mean two-class softmax cross-entropy.
 *
 * <ul>
 *   <li>Initial weights are He-uniform from {@link Mlp#initialize}, drawn from a generator
 *       split off {@code new SplittableRandom(config.seed())}; the per-epoch shuffles come
 *       from a second split. Same seed and data give bit-identical weights.</li>
 *   <li>Each epoch visits the training rows in a fresh seeded permutation, in batches of
 *       {@link TrainingConfig#batchSize()} (the last batch may be smaller). Batches are
 *       gathered into buffers allocated once per call: nothing is allocated per row or
 *       per batch.</li>
 *   <li>After each epoch the validation split is scored; the epoch with the best
 *       {@link TrainingConfig#stopping() stopping metric} is remembered, training stops
 *       after {@link TrainingConfig#patience()} epochs without improvement, and the best
 *       epoch's weights are restored. Without validation rows all epochs run and the last
 *       weights are kept.</li>
 * </ul>
 *
 * <p>The same loop trains a given network on a caller's {@link Objective} (knowledge
 * distillation, {@link Distillation}; the recourse-aware reference models of the paper's
 * baselines in {@code org.cfq.faithful}): {@link #train(Mlp, Objective, float[], int[], float[],
 * int[], SplittableRandom)}. There the most accurate validation epoch (strictly better) is kept.
 *
 * <p>The trainer holds only its configuration; each call owns its buffers, so one
 * trainer may be used from several threads on different data.
 */
public final class MlpTrainer {
    private final TrainingConfig config;

    /** Receives each finished epoch's metrics (e.g. for progress on stderr). */
    @FunctionalInterface
    public interface ProgressListener {
        void onEpoch(EpochMetrics metrics);

        /** A listener that ignores everything. */
        static ProgressListener none() {
            return m -> { };
        }
    }

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

        /** {@return an epoch's training loss from the sum of its batch losses (default: the mean per batch)} */
        default double epochLoss(double sum, int rows, int batches) {
            return sum / batches;
        }
    }

    /** The teacher's objective: mean two-class softmax cross-entropy; its epoch loss is the mean per row. */
    private static final class CrossEntropy implements Objective {
        private final float[] dLogits;

        CrossEntropy(int batch) {
            dLogits = new float[batch * Mlp.OUTPUTS];
        }

        @Override
        public double step(Mlp net, Mlp.Workspace ws, Mlp.Gradients grads, float[] xb, int[] yb, int n) {
            net.forward(xb, n, ws);
            double loss = Losses.softmaxCrossEntropy(ws.logits(), yb, 0, n, 1.0 / n, dLogits);
            net.backward(xb, n, ws, dLogits, grads, null);
            return loss;
        }

        @Override
        public double epochLoss(double sum, int rows, int batches) {
            return sum / rows;
        }
    }

    public MlpTrainer(TrainingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public TrainingConfig config() {
        return config;
    }

    /** Trains without progress reporting. See {@link #train(float[], int[], float[], int[], ProgressListener)}. */
    public TrainingResult train(float[] x, int[] y, float[] xVal, int[] yVal) {
        return train(x, y, xVal, yVal, ProgressListener.none());
    }

    /**
     * Trains a fresh network.
     *
     * @param x        training rows, (rows x width) row-major; read only
     * @param y        training labels, 0 or 1, one per row; read only
     * @param xVal     validation rows, (valRows x width); may be empty
     * @param yVal     validation labels, one per validation row; may be empty
     * @param listener called after every epoch
     * @throws IllegalArgumentException when there are no training rows, or shapes or labels disagree
     */
    public TrainingResult train(float[] x, int[] y, float[] xVal, int[] yVal, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        int rows = y.length;
        if (rows == 0) {
            throw new IllegalArgumentException("cannot train on zero rows");
        }
        if (x.length % rows != 0 || x.length == 0) {
            throw new IllegalArgumentException("x length " + x.length + " is not a positive multiple of the "
                    + rows + " labels");
        }
        int width = x.length / rows;
        int valRows = yVal.length;
        if (xVal.length != valRows * width) {
            throw new IllegalArgumentException("validation x must be " + valRows + " x " + width + " = "
                    + (valRows * width) + " floats, got " + xVal.length);
        }
        checkLabels(y, "training");
        checkLabels(yVal, "validation");

        long start = System.nanoTime();
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom initRng = root.split();
        SplittableRandom shuffleRng = root.split();

        config.checkSize(width);
        Mlp net = Mlp.initialize(width, config.hiddenArray(), initRng);
        return fit(net, new CrossEntropy(Math.min(config.batchSize(), rows)), x, y, xVal, yVal, shuffleRng, false,
                listener, start);
    }

    /**
     * Trains {@code start} (modified in place; pass a copy to keep it) on the caller's objective; the
     * most accurate validation epoch (strictly better than every earlier one) is restored at the end.
     *
     * @param shuffle seeds the epoch shuffles
     * @return the result; its model is {@code start} with the best epoch's weights
     */
    public TrainingResult train(Mlp start, Objective objective, float[] x, int[] y, float[] xVal, int[] yVal,
                                SplittableRandom shuffle) {
        long t0 = System.nanoTime();
        Batches.checkShapes(x, y, xVal, yVal, start.inputDim());
        return fit(start, Objects.requireNonNull(objective, "objective"), x, y, xVal, yVal, shuffle, true,
                ProgressListener.none(), t0);
    }

    /**
     * The one epoch loop: seeded permutation, batches, objective, AdamW step; then validation and
     * the best epoch's weights kept.
     *
     * @param accuracyOnly select on validation accuracy alone (scored by the network's decisions,
     *                     strictly better wins; no validation loss), else on {@link TrainingConfig#stopping()}
     */
    private TrainingResult fit(Mlp net, Objective objective, float[] x, int[] y, float[] xVal, int[] yVal,
                               SplittableRandom shuffleRng, boolean accuracyOnly, ProgressListener listener,
                               long start) {
        int rows = y.length;
        int width = net.inputDim();
        int valRows = yVal.length;
        Mlp.Gradients grads = new Mlp.Gradients(net);
        AdamW opt = new AdamW(config.learningRate(), config.weightDecay());
        opt.registerMlp(net, grads);

        int batch = Math.min(config.batchSize(), rows);
        int capacity = Math.max(objective.capacity(batch), batch);
        Mlp.Workspace ws = net.workspace(capacity);
        float[] xb = new float[capacity * width];
        int[] yb = new int[batch];
        int[] order = Batches.order(rows);
        List<DenseLayer> layers = net.layers();
        float[][] bestW = new float[layers.size()][];
        float[][] bestB = new float[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            bestW[l] = layers.get(l).weight().clone();
            bestB[l] = layers.get(l).bias().clone();
        }

        List<Double> trainLoss = new ArrayList<>();
        List<Double> valLoss = new ArrayList<>();
        List<Double> valAcc = new ArrayList<>();
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestAcc = Double.NEGATIVE_INFINITY;
        int epoch = 0;
        while (epoch < config.maxEpochs()) {
            epoch++;
            long epochStart = System.nanoTime();
            Shuffle.shuffle(order, shuffleRng);
            double lossSum = 0;
            int batches = 0;
            for (int b0 = 0; b0 < rows; b0 += batch) {
                int n = Math.min(batch, rows - b0);
                Batches.gather(x, y, width, order, b0, n, xb, yb);
                grads.zero();
                lossSum += objective.step(net, ws, grads, xb, yb, n);
                opt.step();
                batches++;
            }
            objective.afterEpoch(epoch, net);
            double epochTrainLoss = objective.epochLoss(lossSum, rows, batches);

            double vLoss = Double.NaN;
            double vAcc = Double.NaN;
            boolean improved;
            if (valRows == 0) {
                improved = true;
            } else if (accuracyOnly) {
                vAcc = Scores.accuracy(net, xVal, yVal);
                improved = vAcc > bestAcc;
            } else {
                // Scored in batch-sized chunks through the training buffers: memory stays
                // bounded by the batch size whatever the validation split's size.
                double lossTotal = 0;
                int right = 0;
                for (int v0 = 0; v0 < valRows; v0 += batch) {
                    int n = Math.min(batch, valRows - v0);
                    System.arraycopy(xVal, v0 * width, xb, 0, n * width);
                    net.forward(xb, n, ws);
                    lossTotal += Losses.softmaxCrossEntropy(ws.logits(), yVal, v0, n, 1, null);
                    right += Losses.correct(ws.logits(), yVal, v0, n);
                }
                vLoss = lossTotal / valRows;
                vAcc = (double) right / valRows;
                improved = config.stopping() == EarlyStopping.VALIDATION_LOSS
                        ? vLoss < bestLoss
                        : vAcc > bestAcc || (vAcc == bestAcc && vLoss < bestLoss);
            }
            if (improved) {
                bestEpoch = epoch;
                bestLoss = vLoss;
                bestAcc = vAcc;
                for (int l = 0; l < layers.size(); l++) {
                    System.arraycopy(layers.get(l).weight(), 0, bestW[l], 0, bestW[l].length);
                    System.arraycopy(layers.get(l).bias(), 0, bestB[l], 0, bestB[l].length);
                }
            }
            trainLoss.add(epochTrainLoss);
            valLoss.add(vLoss);
            valAcc.add(vAcc);
            listener.onEpoch(new EpochMetrics(epoch, config.maxEpochs(), epochTrainLoss, vLoss, vAcc, improved,
                    (System.nanoTime() - epochStart) / 1e9));
            if (epoch - bestEpoch >= config.patience()) {
                break;
            }
        }
        if (bestEpoch == 0) {
            // No epoch improved on +infinity loss: the validation loss was NaN throughout.
            throw new IllegalStateException("training diverged: validation loss was never finite over " + epoch
                    + " epochs; lower the learning rate (was " + config.learningRate() + ")");
        }
        for (int l = 0; l < layers.size(); l++) {
            System.arraycopy(bestW[l], 0, layers.get(l).weight(), 0, bestW[l].length);
            System.arraycopy(bestB[l], 0, layers.get(l).bias(), 0, bestB[l].length);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingResult(net, config, epoch, bestEpoch, trainLoss, valLoss, valAcc, seconds);
    }

    private static void checkLabels(int[] y, String split) {
        for (int r = 0; r < y.length; r++) {
            if (y[r] != 0 && y[r] != 1) {
                throw new IllegalArgumentException(split + " label at row " + r + " must be 0 or 1, got " + y[r]);
            }
        }
    }
}
