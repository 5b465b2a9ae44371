package org.cfq.bounds;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.encode.Encoder;

/**
 * Where an applicant may land around a counterfactual: per feature a tolerance in original
 * units. A numeric feature (continuous or integer) the counterfactual changes may end anywhere
 * within {@code +-tolerance} of its target; every other feature (unchanged ones, and binary,
 * ordinal and categorical targets, which are met exactly) stays where the counterfactual puts it.
 *
 * <p>The model-space box holds the float32 encoding of every such row: each end is encoded as
 * the encoder does ({@code (v - center) / scale}, cast to float) and moved out by one float
 * step, which covers the rounding of both the encoding and the decoding.
 *
 * <p>Default tolerance: one step of each numeric feature in original units (the schema's step:
 * one year, one hour, one dollar; one unit for a continuous feature without a declared step).
 */
public final class Neighbourhood {
    private final Encoder encoder;
    private final double[] tolerance;

    private Neighbourhood(Encoder encoder, double[] tolerance) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.tolerance = tolerance;
    }

    /** One unit of every numeric feature; levels exact. */
    public static Neighbourhood defaults(Encoder encoder) {
        return steps(encoder, 1);
    }

    /** {@code multiple} units (steps) of every numeric feature; levels exact. */
    public static Neighbourhood steps(Encoder encoder, double multiple) {
        if (!(multiple >= 0 && multiple < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("multiple must be finite and >= 0, got " + multiple);
        }
        int n = encoder.schema().size();
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = numeric(encoder, i) ? multiple * step(encoder, i) : 0;
        }
        return new Neighbourhood(encoder, t);
    }

    /** The exact point: no tolerance anywhere. */
    public static Neighbourhood point(Encoder encoder) {
        return steps(encoder, 0);
    }

    /**
     * The default, with the tolerances of the named features replaced.
     *
     * @param amounts feature name to tolerance in original units
     * @throws InvalidInputException for an unknown feature, a level feature with a nonzero
     *                               tolerance, or a negative or non-finite amount
     */
    public static Neighbourhood of(Encoder encoder, Map<String, Double> amounts) {
        double[] t = defaults(encoder).tolerance.clone();
        for (Map.Entry<String, Double> e : amounts.entrySet()) {
            int i = encoder.schema().indexOf(e.getKey());
            String what = "--tolerance " + e.getKey() + "=" + e.getValue();
            if (i < 0) {
                throw new InvalidInputException(what, "no feature named '" + e.getKey() + "'",
                        "Use one of the schema's feature names");
            }
            double v = e.getValue();
            if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                throw new InvalidInputException(what, "a tolerance must be finite and >= 0",
                        "Give an amount in the feature's original units, e.g. hours-per-week=2");
            }
            if (!numeric(encoder, i) && v != 0) {
                throw new InvalidInputException(what, "'" + e.getKey() + "' takes levels, which are met exactly",
                        "Give tolerances only for continuous and integer features");
            }
            t[i] = v;
        }
        return new Neighbourhood(encoder, t);
    }

    /**
     * The step of a numeric feature in original units: the schema's ({@link
     * org.cfq.data.FeatureSpec#step()}: the natural domain's step, 1 for integer features), or one
     * unit for a continuous feature that declares none.
     */
    static double step(Encoder encoder, int feature) {
        double s = encoder.schema().feature(feature).step();
        return s > 0 ? s : 1.0;
    }

    private static boolean numeric(Encoder e, int i) {
        FeatureKind k = e.schema().feature(i).kind();
        return k == FeatureKind.CONTINUOUS || k == FeatureKind.INTEGER;
    }

    public Encoder encoder() {
        return encoder;
    }

    /** {@return the tolerance of a feature in original units} */
    public double tolerance(int feature) {
        return tolerance[feature];
    }

    /** {@return a copy of every tolerance} */
    public double[] tolerances() {
        return tolerance.clone();
    }

    /** {@return true when every tolerance is 0 (the box is the point)} */
    public boolean isPoint() {
        for (double t : tolerance) {
            if (t != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The model-space box around a counterfactual: changed numeric features get their
     * tolerance, every other column is exact.
     *
     * @param factual (width) from {@code fo}; decides which features changed
     * @param cf      the counterfactual, (width) from {@code co}
     * @param lo      box lower ends, (width) written from {@code bo}
     * @param hi      box upper ends, same layout
     */
    public void box(float[] factual, int fo, float[] cf, int co, float[] lo, float[] hi, int bo) {
        fill(factual, fo, cf, co, lo, hi, bo, false);
    }

    /**
     * A box that contains {@link #box} for every counterfactual that changes any subset of the
     * mutable features: every mutable numeric feature gets its tolerance (a search uses it
     * before it knows which features its point will change).
     */
    public void mutableBox(float[] cf, int co, float[] lo, float[] hi, int bo) {
        fill(null, 0, cf, co, lo, hi, bo, true);
    }

    private void fill(float[] factual, int fo, float[] cf, int co, float[] lo, float[] hi, int bo,
                      boolean allMutable) {
        int w = encoder.width();
        System.arraycopy(cf, co, lo, bo, w);
        System.arraycopy(cf, co, hi, bo, w);
        for (int f = 0; f < tolerance.length; f++) {
            double t = tolerance[f];
            if (t == 0) {
                continue;
            }
            int col = encoder.layout().slot(f).start();
            boolean widen = allMutable
                    ? encoder.schema().feature(f).actionability() != Actionability.IMMUTABLE
                    : cf[co + col] != factual[fo + col];
            if (!widen) {
                continue;
            }
            double v = encoder.decodeValue(f, cf[co + col]);
            lo[bo + col] = Math.nextDown(Math.min(cf[co + col], encoder.encodeValue(f, v - t)));
            hi[bo + col] = Math.nextUp(Math.max(cf[co + col], encoder.encodeValue(f, v + t)));
        }
    }

    @Override
    public String toString() {
        return "Neighbourhood" + Arrays.toString(tolerance);
    }
}
