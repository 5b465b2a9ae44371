package org.cfq.train;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;

/**
 * Knowledge distillation of a full-precision student from a frozen teacher (Hinton, Vinyals,
 * Dean, "Distilling the Knowledge in a Neural Network", 2015): the student's loss is
 * {@code (1 - alpha) CE(s, y) + alpha T^2 KL(softmax(t / T) || softmax(s / T))}. The paper's
 * {@code kd-q} baseline distils with T = 2 and alpha = 0.5, then quantizes the student.
 */
public final class Distillation {
    /** The paper's temperature. */
    public static final double TEMPERATURE = 2.0;
    /** The paper's weight of the distillation term. */
    public static final double ALPHA = 0.5;

    private Distillation() {
    }

    /**
     * Trains a fresh student of {@code hidden} widths (He-initialised from {@code config.seed()})
     * on the training rows with the teacher's soft labels, keeping the most accurate validation epoch.
     *
     * @param temperature T, &gt; 0
     * @param alpha       weight of the distillation term, in [0, 1]
     */
    public static TrainingResult train(Mlp teacher, TrainingConfig config, double temperature, double alpha,
                                       float[] x, int[] y, float[] xVal, int[] yVal) {
        if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        SplittableRandom root = new SplittableRandom(config.seed());
        Mlp student = Mlp.initialize(teacher.inputDim(), config.hiddenArray(), root.split());
        Mlp.Workspace tws = teacher.workspace(Math.min(config.batchSize(), y.length));
        float[] dLogits = new float[Math.min(config.batchSize(), y.length) * Mlp.OUTPUTS];
        MlpTrainer.Objective kd = (net, ws, grads, xb, yb, n) -> {
            net.forward(xb, n, ws);
            teacher.forward(xb, n, tws);
            double loss = (1 - alpha) * Losses.softmaxCrossEntropy(ws.logits(), yb, 0, n, (1 - alpha) / n, dLogits)
                    / n;
            loss += alpha * kl(tws.logits(), ws.logits(), n, temperature, alpha / n, dLogits);
            net.backward(xb, n, ws, dLogits, grads, null);
            return loss;
        };
        return new MlpTrainer(config).train(student, kd, x, y, xVal, yVal, root.split());
    }

    /**
     * {@return the mean of {@code T^2 KL(softmax(t/T) || softmax(s/T))} over the rows} and adds
     * {@code scale} times its per-row gradient with respect to the student logits,
     * {@code T (softmax(s/T) - softmax(t/T))}, to {@code dLogits}.
     */
    static double kl(float[] teacher, float[] student, int rows, double temperature, double scale,
                     float[] dLogits) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double mt = ((double) teacher[2 * r + 1] - teacher[2 * r]) / temperature;
            double ms = ((double) student[2 * r + 1] - student[2 * r]) / temperature;
            double pt = Losses.sigmoid(mt);
            double ps = Losses.sigmoid(ms);
            // KL of two Bernoullis through log-sigmoids: log p = -softplus(-m), log (1 - p) = -softplus(m)
            sum += pt * (Losses.softplus(-ms) - Losses.softplus(-mt)) + (1 - pt) * (Losses.softplus(ms)
                    - Losses.softplus(mt));
            double g = scale * temperature * (ps - pt);
            dLogits[2 * r + 1] += (float) g;
            dLogits[2 * r] -= (float) g;
        }
        return temperature * temperature * sum / rows;
    }
}
