package org.cfq.audit;

import java.util.Objects;
import org.cfq.bounds.Neighbourhood;

/**
 * How an audit chooses its factuals and runs its diagnostics.
 *
 * @param factuals        which test rows get recourse
 * @param maxFactuals     at most this many factuals (the first selected ones), 0 for all
 * @param sampledNetworks networks drawn inside the certificate's intervals for the (not
 *                        sound) published diagnostic, &gt;= 1
 * @param seed            seeds the sampled networks
 * @param neighbourhood   where the applicant may land around a teacher counterfactual, for the
 *                        sound certificates; null for the exact point
 */
public record AuditConfig(FactualSelection factuals, int maxFactuals, int sampledNetworks, long seed,
                          Neighbourhood neighbourhood) {
    /** Without a neighbourhood (the exact point). */
    public AuditConfig(FactualSelection factuals, int maxFactuals, int sampledNetworks, long seed) {
        this(factuals, maxFactuals, sampledNetworks, seed, null);
    }

    public AuditConfig {
        Objects.requireNonNull(factuals, "factuals");
        if (maxFactuals < 0) {
            throw new IllegalArgumentException("maxFactuals must be >= 0 (0 = all), got " + maxFactuals);
        }
        if (sampledNetworks < 1) {
            throw new IllegalArgumentException("sampledNetworks must be >= 1, got " + sampledNetworks);
        }
    }

    /** Teacher negatives, all of them, 16 sampled networks, seed 0. */
    public static AuditConfig defaults() {
        return new AuditConfig(FactualSelection.NEGATIVES, 0, 16, 0L);
    }

    public AuditConfig withFactuals(FactualSelection f) {
        return new AuditConfig(f, maxFactuals, sampledNetworks, seed, neighbourhood);
    }

    public AuditConfig withMaxFactuals(int m) {
        return new AuditConfig(factuals, m, sampledNetworks, seed, neighbourhood);
    }

    public AuditConfig withSeed(long s) {
        return new AuditConfig(factuals, maxFactuals, sampledNetworks, s, neighbourhood);
    }

    /** {@return this config with the applicant's neighbourhood (null: the exact point)} */
    public AuditConfig withNeighbourhood(Neighbourhood n) {
        return new AuditConfig(factuals, maxFactuals, sampledNetworks, seed, n);
    }
}
