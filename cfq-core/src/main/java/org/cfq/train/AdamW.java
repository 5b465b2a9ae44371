package org.cfq.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * Adam with decoupled weight decay (AdamW) over float parameter arrays.
 *
 * <p>Register each parameter array with the gradient array that the training loop fills,
 * then call {@link #step()} once per mini-batch. One step, for every registered entry
 * {@code p} with gradient {@code g}, at step count {@code t} (1-based), mirrors
 * {@code torch.optim.AdamW}:
 * <pre>
 *   p = p * (1 - lr * weightDecay)          only for arrays registered with decay
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The decay is decoupled: it shrinks the parameter directly instead of being added to
 * the gradient, so Adam's per-entry scaling does not weaken it for entries with large
 * gradients (Loshchilov and Hutter, ICLR 2019).
 *
 * <p>Decay is a per-array choice: weight matrices take it, biases (and, for quantizers,
 * step sizes or ranges) should not, because shrinking an offset or a scale towards zero
 * is not a regularizer of the function's complexity. {@link #registerMlp} follows that
 * rule.
 *
 * <p>The optimizer keeps references to the registered arrays: it reads the gradients and
 * updates the parameters in place. It never zeroes gradients on its own; call
 * {@link #zeroGradients()} (or zero them yourself) before each accumulation. Moments are
 * kept in float32, like PyTorch; the arithmetic of one entry is done in double. Not
 * thread-safe.
 */
public final class AdamW {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private double learningRate;
    private long steps;
    private final List<Group> groups = new ArrayList<>();

    private record Group(float[] param, float[] grad, float[] m, float[] v, boolean decay) {
    }

    /** AdamW with the default betas (0.9, 0.999) and epsilon 1e-8. */
    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, weightDecay);
    }

    /**
     * @param learningRate step size, positive and finite
     * @param beta1        first-moment decay, in [0, 1)
     * @param beta2        second-moment decay, in [0, 1)
     * @param epsilon      denominator guard, positive
     * @param weightDecay  decoupled decay per unit learning rate, in [0, 1)
     */
    public AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        checkLearningRate(learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("epsilon must be positive and finite, got " + epsilon);
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /**
     * Registers a parameter array and the array its gradient is accumulated into.
     *
     * @param param the live parameters, updated in place by {@link #step()}
     * @param grad  the gradient of the loss with respect to {@code param}, same length; read by {@link #step()}
     * @param decay whether weight decay applies (true for weight matrices, false for biases and scales)
     * @return the index of the registered group
     */
    public int register(float[] param, float[] grad, boolean decay) {
        if (param.length != grad.length) {
            throw new IllegalArgumentException("parameter and gradient lengths must match, got " + param.length
                    + " and " + grad.length);
        }
        for (Group g : groups) {
            if (g.param == param) {
                throw new IllegalArgumentException("parameter array of length " + param.length
                        + " is already registered (group " + groups.indexOf(g) + ")");
            }
        }
        groups.add(new Group(param, grad, new float[param.length], new float[param.length], decay));
        return groups.size() - 1;
    }

    /** Registers every layer of a network: weights with decay, biases without. */
    public void registerMlp(Mlp net, Mlp.Gradients grads) {
        List<DenseLayer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            register(layers.get(l).weight(), grads.weight(l), true);
            register(layers.get(l).bias(), grads.bias(l), false);
        }
    }

    /** Applies one update to every registered array from its current gradient. */
    public void step() {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = learningRate / bc1;
        double shrink = 1 - learningRate * weightDecay;
        for (Group g : groups) {
            float[] p = g.param;
            float[] gr = g.grad;
            float[] m = g.m;
            float[] v = g.v;
            boolean decay = g.decay && weightDecay > 0;
            for (int i = 0; i < p.length; i++) {
                double gi = gr[i];
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                double pi = decay ? p[i] * shrink : p[i];
                p[i] = (float) (pi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + epsilon));
            }
        }
    }

    /** Sets every registered gradient array to zero. */
    public void zeroGradients() {
        for (Group g : groups) {
            Arrays.fill(g.grad, 0f);
        }
    }

    /** Forgets the moments and the step count (the registered arrays stay). */
    public void reset() {
        steps = 0;
        for (Group g : groups) {
            Arrays.fill(g.m, 0f);
            Arrays.fill(g.v, 0f);
        }
    }

    public double learningRate() {
        return learningRate;
    }

    /** Changes the step size for later steps (schedules). */
    public void setLearningRate(double lr) {
        checkLearningRate(lr);
        this.learningRate = lr;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** {@return the number of steps taken so far} */
    public long steps() {
        return steps;
    }

    /** {@return the number of registered arrays} */
    public int groupCount() {
        return groups.size();
    }

    private static void checkLearningRate(double lr) {
        if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + lr);
        }
    }
}
