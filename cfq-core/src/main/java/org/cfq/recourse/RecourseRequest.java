package org.cfq.recourse;

import java.util.Objects;

/**
 * What a recourse search must achieve and under which limits.
 *
 * <p>A counterfactual x' is <em>valid</em> when the model's favorable margin
 * {@code logit[1] - logit[0]} at x' is strictly above {@link #requiredMargin()}
 * ({@code threshold + margin}).
 *
 * @param margin    target margin m &gt;= 0 required beyond the decision threshold
 * @param threshold decision threshold on the favorable margin (0 = argmax decision)
 * @param cost      how cost is measured (and minimized)
 * @param sparsity  at most this many changed features (a categorical group counts once);
 *                  0 means no limit
 * @param seed      seed of every random choice (restarts, sampling)
 */
public record RecourseRequest(double margin, double threshold, CostKind cost, int sparsity, long seed) {
    /** Published sparsity limits: Adult 5, German 4, COMPAS 3. */
    public static final int ADULT_SPARSITY = 5;
    public static final int GERMAN_SPARSITY = 4;
    public static final int COMPAS_SPARSITY = 3;
    /** The published limit on changed features for Bank Marketing. */
    public static final int BANK_SPARSITY = 5;
    /** The published limit on changed features for Default of Credit Card Clients. */
    public static final int DEFAULT_CREDIT_SPARSITY = 4;

    public RecourseRequest {
        if (!(margin >= 0 && margin < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("margin must be in [0, inf), got " + margin);
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite, got " + threshold);
        }
        Objects.requireNonNull(cost, "cost");
        if (sparsity < 0) {
            throw new IllegalArgumentException("sparsity must be >= 0 (0 = no limit), got " + sparsity);
        }
    }

    /** Margin 0, threshold 0, L1 cost, no sparsity limit, seed 0. */
    public static RecourseRequest defaults() {
        return new RecourseRequest(0, 0, CostKind.L1, 0, 0L);
    }

    /** {@return the favorable margin a valid counterfactual must exceed} */
    public double requiredMargin() {
        return threshold + margin;
    }

    /** {@return true when a favorable margin makes a counterfactual valid} */
    public boolean isValid(double favorableMargin) {
        return favorableMargin > requiredMargin();
    }

    public RecourseRequest withMargin(double m) {
        return new RecourseRequest(m, threshold, cost, sparsity, seed);
    }

    public RecourseRequest withThreshold(double t) {
        return new RecourseRequest(margin, t, cost, sparsity, seed);
    }

    public RecourseRequest withCost(CostKind c) {
        return new RecourseRequest(margin, threshold, c, sparsity, seed);
    }

    public RecourseRequest withSparsity(int k) {
        return new RecourseRequest(margin, threshold, cost, k, seed);
    }

    public RecourseRequest withSeed(long s) {
        return new RecourseRequest(margin, threshold, cost, sparsity, s);
    }
}
