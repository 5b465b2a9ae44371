package org.cfq.data;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A cross-feature rule on level features: whenever {@code ifFeature} takes one of
 * {@code ifLevels}, {@code thenFeature} must take one of {@code thenLevels} (Adult:
 * relationship Husband only with sex Male). A counterfactual that changes either feature
 * must satisfy it; a factual row that already breaks it is not the advice's fault and stays
 * as it is when neither feature changes.
 *
 * @param ifFeature   the condition's feature
 * @param ifLevels    the condition's levels (in the order given; a {@link FeatureSchema} lists them in the
 *                    feature's level order)
 * @param thenFeature the constrained feature
 * @param thenLevels  the levels it may then take (ordered likewise)
 * @param reason      why, for people and docs
 */
public record ConsistencyRule(String ifFeature, Set<String> ifLevels, String thenFeature, Set<String> thenLevels,
                              String reason) {
    public ConsistencyRule {
        Objects.requireNonNull(ifFeature, "ifFeature");
        Objects.requireNonNull(thenFeature, "thenFeature");
        reason = reason == null ? "" : reason;
        ifLevels = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(ifLevels));
        thenLevels = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(thenLevels));
        if (ifFeature.equals(thenFeature)) {
            throw new IllegalArgumentException("a consistency rule relates two different features, got '"
                    + ifFeature + "' twice");
        }
        if (ifLevels.isEmpty() || thenLevels.isEmpty()) {
            throw new IllegalArgumentException("consistency rule " + ifFeature + " -> " + thenFeature
                    + " needs at least one level on each side");
        }
    }

    /** This rule with both level sets in their features' level order (see {@link NaturalDomain#inLevelOrder}). */
    ConsistencyRule inLevelOrder(java.util.List<String> ifOrder, java.util.List<String> thenOrder) {
        return new ConsistencyRule(ifFeature, NaturalDomain.inLevelOrder(ifLevels, ifOrder), thenFeature,
                NaturalDomain.inLevelOrder(thenLevels, thenOrder), reason);
    }

    /** {@return true when the pair of levels satisfies the rule} */
    public boolean holds(String ifLevel, String thenLevel) {
        return !ifLevels.contains(ifLevel) || thenLevels.contains(thenLevel);
    }

    @Override
    public String toString() {
        return "if " + ifFeature + " in " + ifLevels + " then " + thenFeature + " in " + thenLevels;
    }
}
