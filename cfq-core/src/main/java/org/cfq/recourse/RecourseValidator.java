package org.cfq.recourse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.ModelSpaceLayout;
import org.cfq.model.Classifier;

/**
 * Checks counterfactuals against the action set, <b>independently</b> of the generators: it
 * reads the schema, layout and boxes from the {@link Encoder} itself, decodes each row to
 * original units with its own code and checks every rule. It shares no code with
 * {@link FeasibilityProjector} or {@link ActionSpace}, so a projector bug cannot hide itself.
 *
 * <p>Rules, per feature of every pair (x, x'): finite values; immutable features unchanged;
 * increase-only / decrease-only respected; a changed value inside its box (widened to
 * the factual's own value when the factual lies outside it); integer
 * features integral; each one-hot group exactly one 1 and zeros; ordinal features on a level;
 * binary features 0 or 1; at most k changed features (a group counts once). Tolerances absorb
 * float32 rounding only: {@code 1e-5} standardized units relative to the value's magnitude.
 */
public final class RecourseValidator {
    private final Encoder encoder;

    public RecourseValidator(Encoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** Which rule a counterfactual broke. */
    public enum Rule {
        NOT_FINITE, IMMUTABLE_CHANGED, MONOTONE_VIOLATED, OUT_OF_BOX, NOT_INTEGER, NOT_ONE_HOT, NOT_ON_LEVEL,
        NOT_BINARY, TOO_MANY_CHANGES
    }

    /**
     * One broken rule.
     *
     * @param row     index of the instance in the batch
     * @param feature feature name ("" for row-level rules)
     * @param rule    the rule
     * @param detail  the offending values, for people
     */
    public record Violation(int row, String feature, Rule rule, String detail) {
    }

    /**
     * The violations of a batch's found counterfactuals.
     *
     * @param checked    number of counterfactuals checked
     * @param violations every broken constraint rule (outcome checks excluded)
     * @param invalid    number of counterfactuals whose model margin does not exceed the
     *                   request's required margin (0 when no model was given)
     */
    public record Report(int checked, List<Violation> violations, int invalid) {
        public Report {
            violations = List.copyOf(violations);
        }

        /** {@return the number of counterfactuals with at least one constraint violation} */
        public long violatingRows() {
            return violations.stream().mapToInt(Violation::row).distinct().count();
        }
    }

    /**
     * Checks every found result of a batch and, when a model is given, that it is valid.
     *
     * @param factuals the factual rows the batch was computed for, (size x width)
     * @param model    the model whose margin the request refers to, or null to skip outcome checks
     */
    public Report check(float[] factuals, RecourseBatch batch, RecourseRequest request, Classifier model) {
        int w = encoder.width();
        List<Violation> out = new ArrayList<>();
        int checked = 0;
        int invalid = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!(batch.get(i) instanceof RecourseResult.Found f)) {
                continue;
            }
            checked++;
            float[] cf = f.counterfactual();
            out.addAll(checkRow(i, factuals, i * w, cf, 0, request.sparsity()));
            if (model != null) {
                double m = model.margins(cf, 1)[0];
                if (!(m > request.requiredMargin())) {
                    invalid++;
                }
            }
        }
        return new Report(checked, out, invalid);
    }

    /**
     * Checks one pair.
     *
     * @param sparsity at most this many changed features, 0 for no limit
     * @return the broken rules, empty when the pair is feasible
     */
    public List<Violation> checkRow(int row, float[] x, int xo, float[] xp, int po, int sparsity) {
        FeatureSchema schema = encoder.schema();
        ModelSpaceLayout layout = encoder.layout();
        List<Violation> v = new ArrayList<>();
        for (int j = 0; j < encoder.width(); j++) {
            if (!Float.isFinite(xp[po + j])) {
                v.add(new Violation(row, schema.feature(layout.featureOfColumn(j)).name(), Rule.NOT_FINITE,
                        "column " + j + " is " + xp[po + j]));
                return v;
            }
        }
        int changed = 0;
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec spec = schema.feature(i);
            ModelSpaceLayout.Slot slot = layout.slot(i);
            String name = spec.name();
            double before;
            double after;
            if (spec.kind() == FeatureKind.CATEGORICAL) {
                int ones = 0;
                int level = -1;
                boolean clean = true;
                for (int k = 0; k < slot.width(); k++) {
                    float c = xp[po + slot.start() + k];
                    if (c == 1f) {
                        ones++;
                        level = k;
                    } else if (c != 0f) {
                        clean = false;
                    }
                }
                if (!clean || ones != 1) {
                    v.add(new Violation(row, name, Rule.NOT_ONE_HOT, "group is not exactly one-hot"));
                    continue;
                }
                int factualLevel = -1;
                for (int k = 0; k < slot.width(); k++) {
                    if (x[xo + slot.start() + k] > 0.5f) {
                        factualLevel = k;
                    }
                }
                before = factualLevel;
                after = level;
            } else if (spec.kind() == FeatureKind.BINARY) {
                float c = xp[po + slot.start()];
                if (c != 0f && c != 1f) {
                    v.add(new Violation(row, name, Rule.NOT_BINARY, "value " + c + " is not 0 or 1"));
                    continue;
                }
                before = x[xo + slot.start()];
                after = c;
            } else {
                before = encoder.decodeValue(i, x[xo + slot.start()]);
                after = encoder.decodeValue(i, xp[po + slot.start()]);
            }
            double tol = tolerance(i, xp[po + slot.start()]);
            boolean isChanged = spec.kind() == FeatureKind.CATEGORICAL || spec.kind() == FeatureKind.BINARY
                    ? before != after : Math.abs(after - before) > tol;
            if (!isChanged) {
                continue;
            }
            changed++;
            if (spec.actionability() == Actionability.IMMUTABLE) {
                v.add(new Violation(row, name, Rule.IMMUTABLE_CHANGED, before + " -> " + after));
                continue;
            }
            if (spec.kind() != FeatureKind.CATEGORICAL) {
                if (spec.actionability() == Actionability.INCREASE_ONLY && after < before - tol) {
                    v.add(new Violation(row, name, Rule.MONOTONE_VIOLATED, "increase-only: " + before + " -> " + after));
                }
                if (spec.actionability() == Actionability.DECREASE_ONLY && after > before + tol) {
                    v.add(new Violation(row, name, Rule.MONOTONE_VIOLATED, "decrease-only: " + before + " -> " + after));
                }
            }
            Range box = encoder.box(i);
            // A factual outside the box may stay there or move toward it, never further out.
            double lo = Math.min(box.min(), before);
            double hi = Math.max(box.max(), before);
            if (after < lo - tol || after > hi + tol) {
                v.add(new Violation(row, name, Rule.OUT_OF_BOX, after + " outside [" + box.min() + ", " + box.max() + "]"));
            }
            if (spec.kind() == FeatureKind.INTEGER && Math.abs(after - Math.rint(after)) > tol) {
                v.add(new Violation(row, name, Rule.NOT_INTEGER, after + " is not a whole number"));
            }
            if (spec.kind() == FeatureKind.ORDINAL && (Math.abs(after - Math.rint(after)) > tol
                    || Math.rint(after) < 0 || Math.rint(after) > spec.levels().size() - 1)) {
                v.add(new Violation(row, name, Rule.NOT_ON_LEVEL, after + " is not a level index in [0, "
                        + (spec.levels().size() - 1) + "]"));
            }
        }
        if (sparsity > 0 && changed > sparsity) {
            v.add(new Violation(row, "", Rule.TOO_MANY_CHANGES, changed + " changed features, limit " + sparsity));
        }
        return v;
    }

    /** Float32 rounding of a standardized value z, in original units of feature i. */
    private double tolerance(int i, float z) {
        return 1e-5 * encoder.scale(i) * Math.max(1.0, Math.abs(z));
    }
}
