package org.cfq.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values a feature can really take, in original units, whatever the training data shows:
 * what recourse may advise (issue #11, "recourse a person could act on").
 *
 * <ul>
 *   <li>numeric kinds (continuous, integer): a natural range {@code [min, max]} (either end may
 *       be infinite: {@code min = 0, max = +inf} for money and counts) that the generators' box
 *       never leaves, and a {@code step} (0 = any real value; 1 for whole units: years, hours,
 *       dollars, months, counts): a changed value is always {@code k * step} for an integer k;</li>
 *   <li>level kinds (binary, categorical, ordinal): the levels that may never be advised
 *       ({@code notTargets}: "unknown", "Never-worked", "Widowed", ...) and the forbidden
 *       transitions {@code from -> to}. A feature may always stay on its factual level.</li>
 * </ul>
 *
 * <p>A schema states this per feature ({@link FeatureSpec#natural()}); cross-feature rules are
 * {@link ConsistencyRule}s of the {@link FeatureSchema}. Instances are immutable.
 *
 * @param min        lowest natural value (numeric kinds; {@code -inf} for none; NaN for level kinds)
 * @param max        highest natural value (numeric kinds; {@code +inf} for none; NaN for level kinds)
 * @param step       the grid of changed values (numeric kinds; 0 = continuous; 0 for level kinds)
 * @param notTargets levels that are never advised (level kinds; empty for numeric kinds), in the order
 *                   given; a {@link FeatureSpec} lists them in its feature's level order
 * @param forbidden  transitions that are never advised (level kinds; empty for numeric kinds)
 */
public record NaturalDomain(double min, double max, double step, Set<String> notTargets,
                            List<Transition> forbidden) {
    /**
     * A forbidden move from one level to another.
     *
     * @param from the factual level
     * @param to   the level that must not be advised from it
     */
    public record Transition(String from, String to) {
        public Transition {
            if (from == null || to == null || from.equals(to)) {
                throw new IllegalArgumentException("a transition needs two different levels, got " + from + " -> " + to);
            }
        }

        @Override
        public String toString() {
            return from + " -> " + to;
        }
    }

    public NaturalDomain {
        notTargets = notTargets == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(notTargets));
        forbidden = forbidden == null ? List.of() : List.copyOf(forbidden);
        boolean levels = Double.isNaN(min) && Double.isNaN(max);
        if (levels) {
            if (step != 0) {
                throw new IllegalArgumentException("a level domain takes no step, got " + step);
            }
        } else {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max || min == Double.POSITIVE_INFINITY
                    || max == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("natural range must have min <= max (infinite ends allowed), got ["
                        + min + ", " + max + "]");
            }
            if (!(step >= 0) || !Double.isFinite(step)) {
                throw new IllegalArgumentException("step must be finite and >= 0 (0 = continuous), got " + step);
            }
            if (!notTargets.isEmpty() || !forbidden.isEmpty()) {
                throw new IllegalArgumentException("a numeric domain takes no level targets or transitions");
            }
        }
    }

    /** A numeric domain: range {@code [min, max]} (infinite ends allowed) and step (0 = continuous). */
    public static NaturalDomain numeric(double min, double max, double step) {
        return new NaturalDomain(min, max, step, Set.of(), List.of());
    }

    /** A level domain: levels never advised and forbidden transitions. */
    public static NaturalDomain levels(Set<String> notTargets, List<Transition> forbidden) {
        return new NaturalDomain(Double.NaN, Double.NaN, 0, notTargets, forbidden);
    }

    /**
     * This domain with {@code notTargets} in the feature's level order. A schema keeps its
     * domains in this form so that it, and every file written from it, lists them the same way
     * whatever set they were built from: {@code Set.of} iterates in an order that changes with
     * each JVM start, so insertion order alone made model files differ between two runs.
     */
    NaturalDomain inLevelOrder(List<String> levels) {
        return isNumeric() ? this : new NaturalDomain(min, max, step, inLevelOrder(notTargets, levels), forbidden);
    }

    /** {@code set} in the order of {@code levels}; members that are not levels (rejected elsewhere) last, sorted. */
    static Set<String> inLevelOrder(Set<String> set, List<String> levels) {
        LinkedHashSet<String> out = new LinkedHashSet<>(set.size() * 2);
        for (String l : levels) {
            if (set.contains(l)) {
                out.add(l);
            }
        }
        if (out.size() < set.size()) {
            set.stream().filter(l -> !out.contains(l)).sorted().forEach(out::add);
        }
        return out;
    }

    /** {@return true for a numeric domain (range and step)} */
    public boolean isNumeric() {
        return !Double.isNaN(min);
    }

    /** {@return true when a numeric value lies in the natural range} */
    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    /** {@return true when {@code v} is within {@code tol} of a multiple of the step (always true with no step)} */
    public boolean onStep(double v, double tol) {
        return step == 0 || Math.abs(v - Math.rint(v / step) * step) <= tol;
    }

    /** {@return the nearest multiple of the step (the value itself with no step)} */
    public double nearestOnStep(double v) {
        return step == 0 ? v : Math.rint(v / step) * step;
    }

    /** {@return true when a level may be advised from the factual level (staying is always allowed)} */
    public boolean allows(String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        return !notTargets.contains(to) && !forbidden.contains(new Transition(from, to));
    }

    /** Checks that every level this domain names is one of the feature's levels. */
    void checkLevels(String feature, List<String> levels) {
        List<String> unknown = new ArrayList<>();
        for (String l : notTargets) {
            if (!levels.contains(l)) {
                unknown.add(l);
            }
        }
        for (Transition t : forbidden) {
            for (String l : List.of(t.from(), t.to())) {
                if (!levels.contains(l)) {
                    unknown.add(l);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("feature '" + feature + "': natural domain names unknown levels "
                    + unknown + "; its levels are " + levels);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NaturalDomain d && Double.compare(d.min, min) == 0 && Double.compare(d.max, max) == 0
                && Double.compare(d.step, step) == 0 && d.notTargets.equals(notTargets) && d.forbidden.equals(forbidden);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(min, max, step, notTargets, forbidden);
    }
}
