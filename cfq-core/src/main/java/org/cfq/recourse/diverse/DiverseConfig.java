package org.cfq.recourse.diverse;

import org.cfq.recourse.gradient.PgdConfig;

/**
 * Settings of the diverse search.
 *
 * @param count           counterfactuals wanted per instance (k)
 * @param candidates      searches per instance, each on its own random subset of the features
 * @param keepShare       share of the mutable features each search (after the first) may use
 * @param proximityWeight weight of the cost against diversity when choosing (DiCE's lambda_1)
 * @param pgd             settings of each search (its restarts field is ignored)
 */
public record DiverseConfig(int count, int candidates, double keepShare, double proximityWeight, PgdConfig pgd) {
    public DiverseConfig {
        if (count < 1 || candidates < count) {
            throw new IllegalArgumentException("count must be >= 1 and candidates >= count, got " + count + ", "
                    + candidates);
        }
        if (!(keepShare > 0 && keepShare <= 1)) {
            throw new IllegalArgumentException("keepShare must be in (0, 1], got " + keepShare);
        }
        if (!(proximityWeight >= 0 && proximityWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("proximityWeight must be in [0, inf), got " + proximityWeight);
        }
        java.util.Objects.requireNonNull(pgd, "pgd");
    }

    /** 4 counterfactuals out of 12 searches, each on 60% of the features, proximity weight 0.5. */
    public static DiverseConfig defaults() {
        return new DiverseConfig(4, 12, 0.6, 0.5, PgdConfig.defaults());
    }
}
