package org.cfq.recourse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
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
 *
 * <p>The box is one check among others. When the schema states a natural domain (issue #11),
 * the validator also checks, from the schema's natural-domain section and not from any
 * generator's box, every changed value in original units: inside its natural range, on its
 * step grid (to within four float32 ulps of the model-space value), a level that may be
 * advised from the factual level, and every consistency rule that a changed feature takes
 * part in. The factual side can be the raw rows ({@link #check(float[], RecourseBatch,
 * RecourseRequest, Classifier, double[][])}), so a factual is compared as it was read.
 */
public final class RecourseValidator {
    private final Encoder encoder;

    public RecourseValidator(Encoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** Which rule a counterfactual broke. */
    public enum Rule {
        NOT_FINITE, IMMUTABLE_CHANGED, MONOTONE_VIOLATED, OUT_OF_BOX, NOT_INTEGER, NOT_ONE_HOT, NOT_ON_LEVEL,
        NOT_BINARY, TOO_MANY_CHANGES,
        /** A changed value outside the feature's natural range. */
        OUT_OF_NATURAL_RANGE,
        /** A changed value off the feature's step grid. */
        OFF_STEP,
        /** A level that is never advised, or a forbidden transition. */
        FORBIDDEN_TRANSITION,
        /** A changed feature breaks a consistency rule. */
        INCONSISTENT
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
        return check(factuals, batch, request, model, null);
    }

    /**
     * {@link #check(float[], RecourseBatch, RecourseRequest, Classifier)} with the factuals' raw
     * rows in original units (level index for level kinds), which the natural-domain checks
     * compare against instead of the decoded model-space factual.
     *
     * @param raw one row per batch instance, or null to decode the factuals
     */
    public Report check(float[] factuals, RecourseBatch batch, RecourseRequest request, Classifier model,
                        double[][] raw) {
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
            if (encoder.schema().hasNaturalDomain()) {
                out.addAll(checkNatural(i, raw != null ? raw[i] : decode(factuals, i * w), decode(cf, 0), cf, 0));
            }
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

    /**
     * The natural-domain checks of one pair in original units (level index for level kinds).
     *
     * @param before the factual's values (raw or decoded)
     * @param after  the counterfactual's decoded values
     * @param xp     the counterfactual's model-space row, for the float32 tolerance of the step check
     */
    public List<Violation> checkNatural(int row, double[] before, double[] after, float[] xp, int po) {
        FeatureSchema schema = encoder.schema();
        ModelSpaceLayout layout = encoder.layout();
        List<Violation> v = new ArrayList<>();
        boolean[] changed = new boolean[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec spec = schema.feature(i);
            NaturalDomain d = spec.natural();
            if (spec.kind().hasLevels()) {
                changed[i] = Math.rint(before[i]) != Math.rint(after[i]);
                if (changed[i] && d != null) {
                    String from = levelName(spec, before[i]);
                    String to = levelName(spec, after[i]);
                    if (!d.allows(from, to)) {
                        v.add(new Violation(row, spec.name(), Rule.FORBIDDEN_TRANSITION, from + " -> " + to
                                + (d.notTargets().contains(to) ? " (never advised)" : " (forbidden transition)")));
                    }
                }
                continue;
            }
            float z = xp[po + layout.slot(i).start()];
            double tol = 4 * Math.ulp(Math.abs(z) + 1f) * encoder.scale(i) + 1e-9 * Math.abs(after[i]);
            changed[i] = Math.abs(after[i] - before[i]) > tol;
            if (!changed[i] || d == null) {
                continue;
            }
            double lo = Math.min(d.min(), before[i]);
            double hi = Math.max(d.max(), before[i]);
            if (after[i] < lo - tol || after[i] > hi + tol) {
                v.add(new Violation(row, spec.name(), Rule.OUT_OF_NATURAL_RANGE, after[i] + " outside ["
                        + d.min() + ", " + d.max() + "]"));
            }
            double st = spec.step();
            if (st > 0 && Math.abs(after[i] - Math.rint(after[i] / st) * st) > tol) {
                v.add(new Violation(row, spec.name(), Rule.OFF_STEP, after[i] + " is not a multiple of " + st));
            }
        }
        for (ConsistencyRule r : schema.rules()) {
            int a = schema.indexOf(r.ifFeature());
            int b = schema.indexOf(r.thenFeature());
            if (!changed[a] && !changed[b]) {
                continue;
            }
            String la = levelName(schema.feature(a), after[a]);
            String lb = levelName(schema.feature(b), after[b]);
            if (!r.holds(la, lb)) {
                v.add(new Violation(row, r.ifFeature() + "/" + r.thenFeature(), Rule.INCONSISTENT,
                        r.ifFeature() + " " + la + " with " + r.thenFeature() + " " + lb + " breaks '" + r + "'"));
            }
        }
        return v;
    }

    private static String levelName(FeatureSpec spec, double idx) {
        int k = (int) Math.rint(idx);
        return k >= 0 && k < spec.levels().size() ? spec.levels().get(k) : "level " + idx;
    }

    /** Decodes a model-space row with this validator's own code: values as they are, levels by index. */
    private double[] decode(float[] x, int offset) {
        FeatureSchema schema = encoder.schema();
        ModelSpaceLayout layout = encoder.layout();
        double[] out = new double[schema.size()];
        for (int i = 0; i < out.length; i++) {
            ModelSpaceLayout.Slot slot = layout.slot(i);
            FeatureSpec spec = schema.feature(i);
            switch (spec.kind()) {
                case CATEGORICAL -> {
                    int best = 0;
                    for (int k = 1; k < slot.width(); k++) {
                        if (x[offset + slot.start() + k] > x[offset + slot.start() + best]) {
                            best = k;
                        }
                    }
                    out[i] = best;
                }
                case BINARY -> out[i] = x[offset + slot.start()] >= 0.5f ? 1 : 0;
                case ORDINAL -> out[i] = Math.rint(encoder.decodeValue(i, x[offset + slot.start()]));
                default -> out[i] = encoder.decodeValue(i, x[offset + slot.start()]);
            }
        }
        return out;
    }

    /** Float32 rounding of a standardized value z, in original units of feature i. */
    private double tolerance(int i, float z) {
        return 1e-5 * encoder.scale(i) * Math.max(1.0, Math.abs(z));
    }
}
