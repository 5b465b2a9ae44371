package org.cfq.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a row means: its features in order, the label column and the favorable label.
 *
 * @param name           a short name for the dataset ("adult")
 * @param features       the input features, in model order
 * @param labelColumn    the label's column name
 * @param favorableLabel the label value that is the favorable outcome (class 1)
 * @param rules          cross-feature consistency rules on level features (empty for none); their level
 *                       sets are kept in their features' level order
 */
public record FeatureSchema(String name, List<FeatureSpec> features, String labelColumn, String favorableLabel,
                            List<ConsistencyRule> rules) {
    /** A schema without consistency rules. */
    public FeatureSchema(String name, List<FeatureSpec> features, String labelColumn, String favorableLabel) {
        this(name, features, labelColumn, favorableLabel, List.of());
    }

    public FeatureSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labelColumn, "labelColumn");
        Objects.requireNonNull(favorableLabel, "favorableLabel");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("schema '" + name + "' has no features");
        }
        Set<String> seen = new HashSet<>();
        for (FeatureSpec f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("schema '" + name + "' names feature '" + f.name() + "' twice");
            }
        }
        if (seen.contains(labelColumn)) {
            throw new IllegalArgumentException("schema '" + name + "' uses '" + labelColumn
                    + "' both as a feature and as the label");
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
        List<ConsistencyRule> ordered = new ArrayList<>(rules.size());
        for (ConsistencyRule r : rules) {
            List<String> ifOrder = checkRuleSide(name, features, r, r.ifFeature(), r.ifLevels());
            List<String> thenOrder = checkRuleSide(name, features, r, r.thenFeature(), r.thenLevels());
            // Level order, not the caller's set order: files written from this schema must not depend on hash order.
            ordered.add(r.inLevelOrder(ifOrder, thenOrder));
        }
        rules = List.copyOf(ordered);
    }

    /** Checks one side of a rule; {@return the feature's levels} */
    private static List<String> checkRuleSide(String schema, List<FeatureSpec> features, ConsistencyRule r, String feature,
                                      java.util.Set<String> levels) {
        FeatureSpec f = features.stream().filter(s -> s.name().equals(feature)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("schema '" + schema + "': rule '" + r + "' names no feature '"
                        + feature + "'"));
        if (!f.kind().hasLevels()) {
            throw new IllegalArgumentException("schema '" + schema + "': rule '" + r + "' needs level features, '"
                    + feature + "' is " + f.kind());
        }
        for (String l : levels) {
            if (f.levelIndex(l) < 0) {
                throw new IllegalArgumentException("schema '" + schema + "': rule '" + r + "' names level '" + l
                        + "' that '" + feature + "' does not have; its levels are " + f.levels());
            }
        }
        return f.levels();
    }

    /** {@return true when some feature states a natural domain or the schema has consistency rules} */
    public boolean hasNaturalDomain() {
        return !rules.isEmpty() || features.stream().anyMatch(f -> f.natural() != null);
    }

    /** {@return the names of the numeric features that state no natural range (for the warning)} */
    public List<String> numericWithoutNatural() {
        return features.stream().filter(f -> !f.kind().hasLevels() && f.natural() == null)
                .map(FeatureSpec::name).toList();
    }

    /** A copy without natural domains and consistency rules: the box alone (the paper's setup). */
    public FeatureSchema withoutNaturalDomain() {
        return new FeatureSchema(name, features.stream().map(f -> f.withNatural(null)).toList(), labelColumn,
                favorableLabel, List.of());
    }

    /**
     * A copy with these natural domains (features not named keep theirs) and these consistency rules.
     *
     * @throws IllegalArgumentException when a name is not a feature of this schema
     */
    public FeatureSchema withNaturalDomain(Map<String, NaturalDomain> domains, List<ConsistencyRule> newRules) {
        for (String n : domains.keySet()) {
            if (indexOf(n) < 0) {
                throw new IllegalArgumentException("schema '" + name + "' has no feature '" + n + "'");
            }
        }
        List<FeatureSpec> out = new ArrayList<>(features.size());
        for (FeatureSpec f : features) {
            NaturalDomain d = domains.get(f.name());
            out.add(d == null ? f : f.withNatural(d));
        }
        return new FeatureSchema(name, out, labelColumn, favorableLabel, newRules);
    }

    public int size() {
        return features.size();
    }

    public FeatureSpec feature(int i) {
        return features.get(i);
    }

    /** {@return the index of the named feature, or -1} */
    public int indexOf(String featureName) {
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).name().equals(featureName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A copy with the given actionability per feature; features not named keep theirs.
     *
     * @throws IllegalArgumentException when a name is not a feature of this schema
     */
    public FeatureSchema withActionability(Map<String, Actionability> rules) {
        for (String n : rules.keySet()) {
            if (indexOf(n) < 0) {
                throw new IllegalArgumentException("schema '" + name + "' has no feature '" + n
                        + "'; its features are " + features.stream().map(FeatureSpec::name).toList());
            }
        }
        List<FeatureSpec> out = new ArrayList<>(features.size());
        for (FeatureSpec f : features) {
            Actionability a = rules.get(f.name());
            out.add(a == null ? f : f.withActionability(a));
        }
        return new FeatureSchema(name, out, labelColumn, favorableLabel, this.rules);
    }
}
