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
 */
public record FeatureSchema(String name, List<FeatureSpec> features, String labelColumn, String favorableLabel) {
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
        return new FeatureSchema(name, out, labelColumn, favorableLabel);
    }
}
