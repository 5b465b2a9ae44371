package org.cfq.data.encode;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.Table;

/**
 * The invertible map from rows in original units to model-space rows.
 *
 * <ul>
 *   <li>continuous, integer and ordinal (level index) features: one column,
 *       {@code (v - center) / scale}, with center/scale fitted on training rows;</li>
 *   <li>binary features: one 0/1 column (the level index);</li>
 *   <li>categorical features: one-hot over their levels.</li>
 * </ul>
 *
 * <p>Each feature also has an allowed box in original units: the schema's range when
 * given, else the training min/max widened by 5% of the span (levels for level kinds).
 * Instances are immutable.
 */
public final class Encoder {
    /** Share of the training span added on each side of a numeric feature's default box. */
    public static final double BOX_WIDENING = 0.05;

    private final FeatureSchema schema;
    private final ModelSpaceLayout layout;
    private final Scaling scaling;
    private final double[] center;
    private final double[] scale;
    private final Range[] box;

    /**
     * Rebuilds an encoder from stored parameters (model files).
     *
     * @param center per feature; 0 for binary and categorical features
     * @param scale  per feature, positive; 1 for binary and categorical features
     * @param box    per feature allowed box in original units (level index range for level kinds)
     */
    public Encoder(FeatureSchema schema, Scaling scaling, double[] center, double[] scale, Range[] box) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.scaling = Objects.requireNonNull(scaling, "scaling");
        int n = schema.size();
        if (center.length != n || scale.length != n || box.length != n) {
            throw new IllegalArgumentException("encoder needs " + n + " centers, scales and boxes, got "
                    + center.length + ", " + scale.length + ", " + box.length);
        }
        for (int i = 0; i < n; i++) {
            if (!(scale[i] > 0 && scale[i] < Double.POSITIVE_INFINITY) || !Double.isFinite(center[i])) {
                throw new IllegalArgumentException("feature '" + schema.feature(i).name()
                        + "': scale must be positive and finite and center finite, got center=" + center[i]
                        + ", scale=" + scale[i]);
            }
            Objects.requireNonNull(box[i], "box");
        }
        this.layout = ModelSpaceLayout.of(schema);
        this.center = center.clone();
        this.scale = scale.clone();
        this.box = box.clone();
    }

    /** Fits the scaling and the default boxes on training rows. */
    public static Encoder fit(Table train, Scaling scaling) {
        FeatureSchema schema = train.schema();
        int n = schema.size();
        double[] center = new double[n];
        double[] scale = new double[n];
        Range[] box = new Range[n];
        int rows = train.rows();
        if (rows == 0) {
            throw new IllegalArgumentException("cannot fit an encoder on zero training rows");
        }
        for (int i = 0; i < n; i++) {
            FeatureSpec f = schema.feature(i);
            if (f.kind() == FeatureKind.BINARY || f.kind() == FeatureKind.CATEGORICAL) {
                center[i] = 0;
                scale[i] = 1;
                box[i] = new Range(0, f.levels().size() - 1);
                continue;
            }
            double[] col = train.column(i);
            double min = min(col);
            double max = max(col);
            double mean = sum(col) / rows;
            double ss = squaredDeviations(col, mean);
            double std = Math.sqrt(ss / rows);
            if (scaling == Scaling.STANDARD) {
                center[i] = mean;
                scale[i] = std > 1e-12 ? std : 1;
            } else {
                center[i] = min;
                scale[i] = max - min > 1e-12 ? max - min : 1;
            }
            if (f.kind() == FeatureKind.ORDINAL) {
                box[i] = new Range(0, f.levels().size() - 1);
            } else if (f.range() != null) {
                box[i] = f.range();
            } else {
                double pad = BOX_WIDENING * (max - min);
                box[i] = new Range(min - pad, max + pad);
            }
        }
        return new Encoder(schema, scaling, center, scale, box);
    }

    // Column statistics as small loops of their own, cheap for a cold JIT (issue 16). The sums run
    // in row order, as before.
    private static double min(double[] col) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : col) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] col) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : col) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double sum(double[] col) {
        double s = 0;
        for (double v : col) {
            s += v;
        }
        return s;
    }

    private static double squaredDeviations(double[] col, double mean) {
        double ss = 0;
        for (double v : col) {
            double d = v - mean;
            ss += d * d;
        }
        return ss;
    }

    public FeatureSchema schema() {
        return schema;
    }

    public ModelSpaceLayout layout() {
        return layout;
    }

    public Scaling scaling() {
        return scaling;
    }

    /** Model-space width. */
    public int width() {
        return layout.width();
    }

    public double center(int feature) {
        return center[feature];
    }

    public double scale(int feature) {
        return scale[feature];
    }

    /** The allowed box of a feature in original units (level indices for level kinds). */
    public Range box(int feature) {
        return box[feature];
    }

    /** Encodes one value of a numeric or ordinal feature into its model-space column value. */
    public float encodeValue(int feature, double v) {
        return (float) ((v - center[feature]) / scale[feature]);
    }

    /** Maps a model-space column value of a numeric or ordinal feature back to original units. */
    public double decodeValue(int feature, double z) {
        return z * scale[feature] + center[feature];
    }

    /**
     * Encodes every row of a table.
     *
     * @return (rows x width) row-major
     * @throws IllegalArgumentException when the table's features differ from the encoder's
     */
    public float[] encode(Table t) {
        checkSchema(t.schema());
        int w = width();
        float[] x = new float[t.rows() * w];
        // One small loop per column and kind, not a switch per value: a fresh process runs this
        // over tens of thousands of rows before the JIT has compiled it (issue 16).
        for (int i = 0; i < schema.size(); i++) {
            double[] col = t.column(i);
            int start = layout.slot(i).start();
            switch (schema.feature(i).kind()) {
                case CATEGORICAL -> oneHot(col, x, start, w);
                case BINARY -> copy(col, x, start, w);
                default -> standardize(col, center[i], scale[i], x, start, w);
            }
        }
        return x;
    }

    private static void oneHot(double[] col, float[] x, int start, int w) {
        for (int r = 0, o = start; r < col.length; r++, o += w) {
            x[o + (int) col[r]] = 1f;
        }
    }

    private static void copy(double[] col, float[] x, int start, int w) {
        for (int r = 0, o = start; r < col.length; r++, o += w) {
            x[o] = (float) col[r];
        }
    }

    /** The same arithmetic as {@link #encodeValue}, one column at a time. */
    private static void standardize(double[] col, double center, double scale, float[] x, int start, int w) {
        for (int r = 0, o = start; r < col.length; r++, o += w) {
            x[o] = (float) ((col[r] - center) / scale);
        }
    }

    /**
     * Decodes one model-space row into original units: numeric values as they are
     * (integer features rounded), level features as the index of the nearest level
     * (the largest entry for a one-hot group).
     *
     * @param x      model-space rows
     * @param offset index of the row's first column in {@code x}
     * @return one value per schema feature
     */
    public double[] decodeRow(float[] x, int offset) {
        double[] v = new double[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec f = schema.feature(i);
            ModelSpaceLayout.Slot s = layout.slot(i);
            int o = offset + s.start();
            switch (f.kind()) {
                case CATEGORICAL -> {
                    int best = 0;
                    for (int k = 1; k < s.width(); k++) {
                        if (x[o + k] > x[o + best]) {
                            best = k;
                        }
                    }
                    v[i] = best;
                }
                case BINARY -> v[i] = x[o] >= 0.5f ? 1 : 0;
                case ORDINAL -> v[i] = clampLevel(Math.rint(decodeValue(i, x[o])), f.levels().size());
                case INTEGER -> v[i] = onStep(i, Math.rint(decodeValue(i, x[o])), x[o]);
                default -> v[i] = onStep(i, decodeValue(i, x[o]), x[o]);
            }
        }
        return v;
    }

    /**
     * A decoded value of a feature with a natural step, put exactly on the step grid when it is
     * within float32 round-off of it (four ulps of the model-space value), so what is written
     * is the value the validator checked; other values are returned as they are.
     */
    private double onStep(int i, double v, float z) {
        FeatureSpec f = schema.feature(i);
        if (f.natural() == null || f.step() <= 0) {
            return v;
        }
        double st = f.step();
        double k = Math.rint(v / st) * st;
        double tol = 4 * Math.ulp(Math.abs(z) + 1f) * scale[i] + 1e-9 * Math.abs(v);
        return Math.abs(v - k) <= tol ? k : v;
    }

    /** Renders a decoded value for people: the level name, or the number. */
    public String format(int feature, double value) {
        FeatureSpec f = schema.feature(feature);
        if (f.kind().hasLevels()) {
            return f.levels().get((int) value);
        }
        // A value within float32 round-off of zero (relative to the feature's scale) is zero.
        if (Math.abs(value) < 1e-6 * scale[feature]) {
            value = 0;
        }
        if (f.kind() == FeatureKind.INTEGER || value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) Math.rint(value));
        }
        return String.format(java.util.Locale.ROOT, "%.4g", value);
    }

    /**
     * Renders a decoded value for files: the level name, or the number in full precision
     * (the shortest decimal that parses back to the same double), so that encoding the
     * written text gives back the model-space point it was decoded from. Whole numbers are
     * written without a fraction.
     */
    public String formatExact(int feature, double value) {
        FeatureSpec f = schema.feature(feature);
        if (f.kind().hasLevels()) {
            return f.levels().get((int) value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static double clampLevel(double idx, int levels) {
        return Math.max(0, Math.min(levels - 1, idx));
    }

    private void checkSchema(FeatureSchema other) {
        if (other.size() != schema.size()) {
            throw new IllegalArgumentException("encoder was fitted on " + schema.size() + " features ('" + schema.name()
                    + "'), table has " + other.size());
        }
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec a = schema.feature(i);
            FeatureSpec b = other.feature(i);
            if (!a.name().equals(b.name()) || a.kind() != b.kind() || !a.levels().equals(b.levels())) {
                throw new IllegalArgumentException("feature " + i + " differs between encoder ('" + a.name() + "' "
                        + a.kind() + ") and table ('" + b.name() + "' " + b.kind() + ")");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoder e && e.schema.equals(schema) && e.scaling == scaling
                && Arrays.equals(e.center, center) && Arrays.equals(e.scale, scale) && Arrays.equals(e.box, box);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, scaling, Arrays.hashCode(center), Arrays.hashCode(scale));
    }
}
