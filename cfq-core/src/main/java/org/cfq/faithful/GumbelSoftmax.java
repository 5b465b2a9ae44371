package org.cfq.faithful;

import java.util.SplittableRandom;

/**
 * The Gumbel-softmax relaxation of a categorical choice over {@code k} candidates, with the
 * straight-through (hard) variant (Jang et al. 2017; Maddison et al. 2017).
 *
 * <pre>
 *   g_j      = -log(-log(u_j)),  u_j ~ U(0, 1)                  (Gumbel noise)
 *   y_j      = softmax((alpha + g) / tau)_j                      (soft sample)
 *   hard     = argmax_j (alpha_j + g_j)                          (does not depend on tau)
 *   forward  = one-hot(hard);  backward = the soft sample's Jacobian (straight-through)
 *   dL/dalpha_j = (y_j / tau) * (dL/dy_j - sum_i y_i dL/dy_i)
 * </pre>
 * The probability that {@code hard == j} is exactly {@code softmax(alpha)_j}, which is why
 * the expected width of a layer is taken under {@link #probabilities}.
 *
 * <p>All methods are static, allocate nothing, and take the arrays at an offset so the
 * logits of several layers can live in one array.
 */
public final class GumbelSoftmax {
    private GumbelSoftmax() {
    }

    /**
     * Draws {@code k} standard Gumbel values.
     *
     * @param noise output, written at {@code [off, off + k)}
     */
    public static void sampleNoise(SplittableRandom rng, float[] noise, int off, int k) {
        for (int j = 0; j < k; j++) {
            // u in [MIN_VALUE, 1): -log(u) in (0, 745], so g is finite
            double u = Math.max(rng.nextDouble(), Double.MIN_VALUE);
            noise[off + j] = (float) -Math.log(-Math.log(u));
        }
    }

    /**
     * The soft sample {@code softmax((alpha + g) / tau)}.
     *
     * @param logits alpha at {@code [off, off + k)}
     * @param noise  g at {@code [off, off + k)}; null for no noise
     * @param tau    temperature, &gt; 0
     * @param out    written at {@code [off, off + k)}
     */
    public static void soft(float[] logits, float[] noise, int off, int k, double tau, double[] out) {
        checkTau(tau);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double z = (logits[off + j] + (noise == null ? 0 : noise[off + j])) / tau;
            out[off + j] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(out[off + j] - max);
            out[off + j] = e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            out[off + j] /= sum;
        }
    }

    /** {@return softmax(alpha): the probability of each candidate under the hard sample} */
    public static void probabilities(float[] logits, int off, int k, double[] out) {
        soft(logits, null, off, k, 1.0, out);
    }

    /**
     * {@return the index in [0, k) of the largest {@code alpha + g}} Ties go to the lowest
     * index, so the result is deterministic.
     *
     * @param noise null for the plain argmax of the logits
     */
    public static int hard(float[] logits, float[] noise, int off, int k) {
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double v = (double) logits[off + j] + (noise == null ? 0 : noise[off + j]);
            if (v > bestV) {
                bestV = v;
                best = j;
            }
        }
        return best;
    }

    /**
     * Back-propagates through the soft sample (the straight-through gradient of the hard one).
     *
     * @param y       the soft sample at {@code [off, off + k)}
     * @param tau     the temperature it was drawn at
     * @param dY      dL/dy at {@code [off, off + k)}
     * @param dLogits dL/dalpha, accumulated into at {@code [off, off + k)}
     */
    public static void backward(double[] y, int off, int k, double tau, double[] dY, float[] dLogits) {
        checkTau(tau);
        double dot = 0;
        for (int j = 0; j < k; j++) {
            dot += y[off + j] * dY[off + j];
        }
        for (int j = 0; j < k; j++) {
            dLogits[off + j] += (float) (y[off + j] * (dY[off + j] - dot) / tau);
        }
    }

    private static void checkTau(double tau) {
        if (!(tau > 0 && tau < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + tau);
        }
    }
}
