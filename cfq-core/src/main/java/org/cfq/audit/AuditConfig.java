package org.cfq.audit;

import java.util.Objects;

/**
 * How an audit chooses its factuals and runs its diagnostics.
 *
 * @param factuals        which test rows get recourse
 * @param maxFactuals     at most this many factuals (the first selected ones), 0 for all
 * @param sampledNetworks networks drawn inside the certificate's intervals for the (not
 *                        sound) published diagnostic, &gt;= 1
 * @param seed            seeds the sampled networks
 */
public record AuditConfig(FactualSelection factuals, int maxFactuals, int sampledNetworks, long seed) {
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
        return new AuditConfig(f, maxFactuals, sampledNetworks, seed);
    }

    public AuditConfig withMaxFactuals(int m) {
        return new AuditConfig(factuals, m, sampledNetworks, seed);
    }

    public AuditConfig withSeed(long s) {
        return new AuditConfig(factuals, maxFactuals, sampledNetworks, s);
    }
}
