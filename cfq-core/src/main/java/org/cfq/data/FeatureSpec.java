package org.cfq.data;

import java.util.List;
import java.util.Objects;

/**
 * One input feature: its column name, kind, levels, allowed range and actionability.
 *
 * @param name          the column name in the source file
 * @param kind          what values it takes
 * @param levels        the level names for {@link FeatureKind#hasLevels() level kinds}, in order
 *                      for ordinal features; empty for numeric kinds
 * @param range         the allowed box in original units for numeric kinds; null means
 *                      "the training min/max widened by 5% of the span"; always null for
 *                      level kinds (their levels are the range)
 * @param actionability how recourse may change it
 * @param natural       the values it can really take ({@link NaturalDomain}: natural range and
 *                      step for numeric kinds, levels never advised and forbidden transitions for
 *                      level kinds; its levels never advised are kept in this feature's level order),
 *                      or null when the schema does not say (then recourse uses the
 *                      box alone, the old behaviour)
 */
public record FeatureSpec(String name, FeatureKind kind, List<String> levels, Range range,
                          Actionability actionability, NaturalDomain natural) {
    /** A feature without a natural domain. */
    public FeatureSpec(String name, FeatureKind kind, List<String> levels, Range range, Actionability actionability) {
        this(name, kind, levels, range, actionability, null);
    }

    public FeatureSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actionability, "actionability");
        levels = levels == null ? List.of() : List.copyOf(levels);
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
        if (kind.hasLevels()) {
            int need = kind == FeatureKind.BINARY ? 2 : 1;
            if (kind == FeatureKind.BINARY ? levels.size() != 2 : levels.size() < need) {
                throw new IllegalArgumentException("feature '" + name + "' of kind " + kind + " needs "
                        + (kind == FeatureKind.BINARY ? "exactly 2" : "at least 1") + " levels, got " + levels);
            }
            if (levels.stream().distinct().count() != levels.size()) {
                throw new IllegalArgumentException("feature '" + name + "' has repeated levels: " + levels);
            }
            if (range != null) {
                throw new IllegalArgumentException("feature '" + name + "' of kind " + kind
                        + " takes its range from its levels; remove the range");
            }
        } else if (!levels.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "' of kind " + kind
                    + " is numeric and takes no levels, got " + levels);
        }
        if (natural != null) {
            if (natural.isNumeric() == kind.hasLevels()) {
                throw new IllegalArgumentException("feature '" + name + "' of kind " + kind + " needs a "
                        + (kind.hasLevels() ? "level" : "numeric") + " natural domain");
            }
            if (kind.hasLevels()) {
                natural.checkLevels(name, levels);
                // Level order, not the caller's set order: files written from this spec must not depend on hash order.
                natural = natural.inLevelOrder(levels);
            } else if (kind == FeatureKind.INTEGER && natural.step() != Math.rint(natural.step())) {
                throw new IllegalArgumentException("integer feature '" + name + "' needs a whole step, got "
                        + natural.step());
            }
        }
    }

    public static FeatureSpec continuous(String name, Actionability a) {
        return new FeatureSpec(name, FeatureKind.CONTINUOUS, List.of(), null, a);
    }

    public static FeatureSpec integer(String name, Actionability a) {
        return new FeatureSpec(name, FeatureKind.INTEGER, List.of(), null, a);
    }

    public static FeatureSpec categorical(String name, List<String> levels, Actionability a) {
        return new FeatureSpec(name, FeatureKind.CATEGORICAL, levels, null, a);
    }

    public static FeatureSpec ordinal(String name, List<String> levels, Actionability a) {
        return new FeatureSpec(name, FeatureKind.ORDINAL, levels, null, a);
    }

    public static FeatureSpec binary(String name, List<String> levels, Actionability a) {
        return new FeatureSpec(name, FeatureKind.BINARY, levels, null, a);
    }

    /** {@return the index of a level, or -1 when it is not one of this feature's levels} */
    public int levelIndex(String level) {
        return levels.indexOf(level);
    }

    public FeatureSpec withActionability(Actionability a) {
        return new FeatureSpec(name, kind, levels, range, a, natural);
    }

    public FeatureSpec withRange(Range r) {
        return new FeatureSpec(name, kind, levels, r, actionability, natural);
    }

    /** A copy with this natural domain (null removes it). */
    public FeatureSpec withNatural(NaturalDomain d) {
        return new FeatureSpec(name, kind, levels, range, actionability, d);
    }

    /**
     * The step of changed values in original units: the natural domain's step, else 1 for
     * integer and ordinal features, else 0 (continuous).
     */
    public double step() {
        if (natural != null && natural.isNumeric() && natural.step() > 0) {
            return natural.step();
        }
        return kind == FeatureKind.INTEGER || kind == FeatureKind.ORDINAL ? 1 : 0;
    }
}
