package org.cfq.audit;

/**
 * A non-decreasing map of one activation value, e.g. a student's activation fake-quantizer
 * (clip, round, rescale). Being non-decreasing is what lets an interval {@code [lo, hi]}
 * map to {@code [f(lo), f(hi)]} soundly.
 */
@FunctionalInterface
public interface MonotoneMap {
    /** {@return f(v)}; must satisfy {@code a <= b => f(a) <= f(b)}. */
    double apply(double v);

    /** The identity: activations kept in full precision. */
    MonotoneMap IDENTITY = v -> v;
}
