package org.cfq.faithful;

/**
 * The published budget penalty on the expected average weight bits:
 * <pre>
 *   p_l      = softmax(alpha_l)                                (the law of the hard sample)
 *   E[bits]  = sum_l n_l sum_k p_lk b_k / sum_l n_l
 *   penalty  = lambda * relu(E[bits] - B)^2
 *   d penalty / d alpha_lj = 2 lambda relu(E[bits] - B) * (n_l / N) * p_lj (b_j - sum_k p_lk b_k)
 * </pre>
 * A penalty, not a constraint: the argmax widths can end above {@code B}, which is why
 * {@link CfqConfig.Budget#projectToBudget()} exists.
 */
public final class BudgetPenalty {
    private BudgetPenalty() {
    }

    /**
     * The penalty's value.
     *
     * @param expectedBits E[bits]
     * @param penalty      lambda * relu(E[bits] - B)^2
     */
    public record Value(double expectedBits, double penalty) {
    }

    /**
     * Evaluates the penalty and accumulates its gradient into each layer's logit gradient.
     *
     * @param layers     the searched layers
     * @param budget     B, average bits
     * @param lambda     the penalty weight, &gt;= 0
     * @param accumulate whether to add the gradient to {@link MixedPrecisionWeight#logitGrad()}
     */
    public static Value apply(MixedPrecisionWeight[] layers, double budget, double lambda, boolean accumulate) {
        if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        long total = 0;
        for (MixedPrecisionWeight m : layers) {
            total += m.size();
        }
        double expected = 0;
        double[][] p = new double[layers.length][];
        double[] layerBits = new double[layers.length];
        for (int l = 0; l < layers.length; l++) {
            MixedPrecisionWeight m = layers[l];
            int[] cand = m.candidates();
            p[l] = new double[cand.length];
            GumbelSoftmax.probabilities(m.logits(), 0, cand.length, p[l]);
            double eb = 0;
            for (int k = 0; k < cand.length; k++) {
                eb += p[l][k] * cand[k];
            }
            layerBits[l] = eb;
            expected += (double) m.size() / total * eb;
        }
        double excess = Math.max(0, expected - budget);
        double value = lambda * excess * excess;
        if (accumulate && excess > 0 && lambda > 0) {
            double dE = 2 * lambda * excess;
            for (int l = 0; l < layers.length; l++) {
                MixedPrecisionWeight m = layers[l];
                int[] cand = m.candidates();
                float[] g = m.logitGrad();
                double share = (double) m.size() / total;
                for (int j = 0; j < cand.length; j++) {
                    g[j] += (float) (dE * share * p[l][j] * (cand[j] - layerBits[l]));
                }
            }
        }
        return new Value(expected, value);
    }
}
