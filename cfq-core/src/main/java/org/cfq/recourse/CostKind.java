package org.cfq.recourse;

/**
 * How the cost of moving a factual x to a counterfactual x' is measured. In every kind a
 * categorical group that changes level counts once (cost 1 in L1, one feature in L0).
 */
public enum CostKind {
    /**
     * Weighted L1 in model space with weight 1 per numeric / ordinal / binary column. The
     * encoder standardizes, so this is L1 with per-feature weights 1/std in original units:
     * the published setup.
     */
    L1,
    /** Weighted L1 with per-feature weights 1/MAD in original units (Wachter et al. 2017). */
    L1_MAD,
    /** Number of changed features. */
    L0,
    /** Euclidean distance in model space (a categorical change contributes 1). */
    L2,
    /**
     * {@code 0.5 L1 + 0.5 L2} over the same weights: the paper's "mixed" cost (an elastic-net
     * distance, as in Mothilal et al.'s DiCE proximity); both halves as defined above.
     */
    MIXED;

    /**
     * {@return the kind a user names: l1, mad (or l1-mad), l0, l2 or mixed, in any case, trimmed}
     *
     * @throws IllegalArgumentException naming the kinds when {@code text} is not one
     */
    public static CostKind parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "l1" -> L1;
            case "mad", "l1-mad" -> L1_MAD;
            case "l0" -> L0;
            case "l2" -> L2;
            case "mixed" -> MIXED;
            default -> throw new IllegalArgumentException("not a cost kind: '" + text + "'; use l1, mad, l0, l2 or mixed");
        };
    }
}
