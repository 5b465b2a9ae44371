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
    L2;

    /** {@return the kind a user names: l1, mad (or l1-mad), l0 or l2, in any case; empty for another name} */
    public static java.util.Optional<CostKind> parse(String name) {
        return java.util.Optional.ofNullable(switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "l1" -> L1;
            case "mad", "l1-mad" -> L1_MAD;
            case "l0" -> L0;
            case "l2" -> L2;
            default -> null;
        });
    }
}
