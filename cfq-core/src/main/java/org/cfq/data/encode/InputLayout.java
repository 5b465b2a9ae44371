package org.cfq.data.encode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.Table;

/**
 * The input layout of a model trained outside cfq: what each of its input columns is, in
 * terms of a schema's features. A column is one feature's value standardised with a given
 * mean and std, min-max scaled, passed through, or the one-hot indicator of one level.
 *
 * <p>Level features (binary, ordinal) under a numeric transform contribute their level
 * index (0-based, in schema order). Once {@link #resolve resolved} against a schema, the
 * layout maps raw rows to the model's inputs ({@link Resolved#encode}) and says how each
 * model input is an affine function of one column of cfq's own model space
 * ({@link Resolved#affine}), which is what lets an imported network run behind cfq's
 * {@link Encoder} and its counterfactuals be read back as rows.
 *
 * @param columns one entry per model input, in input order
 */
public record InputLayout(List<Column> columns) {

    /**
     * One model input.
     *
     * @param feature   the schema feature it is computed from
     * @param transform how
     */
    public record Column(String feature, Transform transform) {
        public Column {
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(transform, "transform");
        }
    }

    /** How a model input is computed from its feature. */
    public sealed interface Transform permits Standardize, MinMax, OneHot, PassThrough {
        /** {@return the name used in layout files} */
        String id();
    }

    /** {@code (v - mean) / std}. */
    public record Standardize(double mean, double std) implements Transform {
        public Standardize {
            if (!Double.isFinite(mean) || !(std > 0 && std < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("standardize needs a finite mean and a positive finite std, got mean="
                        + mean + ", std=" + std);
            }
        }

        @Override
        public String id() {
            return "standardize";
        }
    }

    /** {@code (v - min) / (max - min)}. */
    public record MinMax(double min, double max) implements Transform {
        public MinMax {
            if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
                throw new IllegalArgumentException("min_max needs finite min < max, got min=" + min + ", max=" + max);
            }
        }

        @Override
        public String id() {
            return "min_max";
        }
    }

    /** 1 when the feature takes the level, else 0. */
    public record OneHot(String level) implements Transform {
        public OneHot {
            Objects.requireNonNull(level, "level");
        }

        @Override
        public String id() {
            return "one_hot";
        }
    }

    /** The value itself. */
    public record PassThrough() implements Transform {
        @Override
        public String id() {
            return "pass_through";
        }
    }

    public InputLayout {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("an input layout needs at least one column");
        }
    }

    /** Number of model inputs. */
    public int width() {
        return columns.size();
    }

    /**
     * Checks the layout against a schema and fixes each column's feature and level.
     *
     * @param spellings per feature, level names as the model's source data spelled them,
     *                  mapped to the schema's level (e.g. adult's {@code ?} is cfq's
     *                  {@code unknown}); empty when the data was read as the schema names it
     * @param source    the layout file, for messages
     * @throws InvalidInputException naming the column, the problem and the fix when a column
     *                               names no feature or level of the schema, or applies a
     *                               transform its feature's kind cannot take
     */
    public Resolved resolve(FeatureSchema schema, Map<String, Map<String, String>> spellings, String source) {
        int n = columns.size();
        int[] feature = new int[n];
        int[] level = new int[n];
        for (int j = 0; j < n; j++) {
            Column c = columns.get(j);
            String at = source + ", inputs[" + j + "] ('" + c.feature() + "' " + c.transform().id() + ")";
            int i = schema.indexOf(c.feature());
            if (i < 0) {
                throw new InvalidInputException(at, "the schema '" + schema.name() + "' has no feature '" + c.feature()
                        + "'; its features are " + schema.features().stream().map(FeatureSpec::name).toList(),
                        "Name a schema feature, or add the feature to the schema");
            }
            FeatureSpec f = schema.feature(i);
            feature[j] = i;
            level[j] = -1;
            if (c.transform() instanceof OneHot oh) {
                if (f.kind() != FeatureKind.CATEGORICAL && f.kind() != FeatureKind.BINARY) {
                    throw new InvalidInputException(at, "one_hot needs a categorical or binary feature, but '"
                            + f.name() + "' is " + lower(f.kind()) + " in the schema",
                            f.kind() == FeatureKind.ORDINAL
                                    ? "Declare '" + f.name() + "' categorical in the schema (a one-hot model does not "
                                    + "use its order)"
                                    : "Use standardize, min_max or pass_through for a numeric feature");
                }
                String name = spellings.getOrDefault(f.name(), Map.of()).getOrDefault(oh.level(), oh.level());
                int k = f.levelIndex(name);
                if (k < 0) {
                    throw new InvalidInputException(at, "feature '" + f.name() + "' has no level '" + oh.level()
                            + "'; its levels are " + f.levels(),
                            "Spell the level as the schema does, or add it to the schema's levels");
                }
                for (int p = 0; p < j; p++) {
                    if (feature[p] == i && level[p] == k) {
                        throw new InvalidInputException(at, "inputs[" + p + "] is already the one-hot column of level '"
                                + oh.level() + "'", "List each level of '" + f.name() + "' once");
                    }
                }
                level[j] = k;
            } else if (f.kind() == FeatureKind.CATEGORICAL) {
                throw new InvalidInputException(at, "feature '" + f.name() + "' is categorical, and its levels have no "
                        + "order to " + c.transform().id(), "Give it one one_hot column per level the model uses");
            }
        }
        return new Resolved(this, schema, feature, level);
    }

    /**
     * A layout checked against a schema.
     */
    public static final class Resolved {
        private final InputLayout layout;
        private final FeatureSchema schema;
        private final int[] feature;
        private final int[] level;

        private Resolved(InputLayout layout, FeatureSchema schema, int[] feature, int[] level) {
            this.layout = layout;
            this.schema = schema;
            this.feature = feature;
            this.level = level;
        }

        public InputLayout layout() {
            return layout;
        }

        public FeatureSchema schema() {
            return schema;
        }

        /** Number of model inputs. */
        public int width() {
            return feature.length;
        }

        /** {@return the schema index of the feature input {@code j} is computed from} */
        public int feature(int j) {
            return feature[j];
        }

        /**
         * Maps raw rows (original units; level features as level indices) to the model's inputs.
         *
         * @return (rows x width) row-major float32, each value computed in double and rounded once
         */
        public float[] encode(Table t) {
            if (!t.schema().equals(schema) && !sameFeatures(t.schema())) {
                throw new IllegalArgumentException("table '" + t.schema().name() + "' has other features than the layout's schema '"
                        + schema.name() + "'");
            }
            int w = width();
            float[] x = new float[t.rows() * w];
            for (int j = 0; j < w; j++) {
                Transform tr = layout.columns().get(j).transform();
                for (int r = 0; r < t.rows(); r++) {
                    double v = t.value(r, feature[j]);
                    x[r * w + j] = (float) (level[j] >= 0 ? (v == level[j] ? 1 : 0) : numeric(tr, v));
                }
            }
            return x;
        }

        /**
         * The centre and scale cfq's encoder gives each feature so that the imported network
         * sees exactly its own inputs: the first numeric column's mean and std, min and span,
         * or (0, 1) for pass-through. Features without a numeric column keep {@code fallback}'s.
         *
         * @param fallbackCenter per feature, used where the layout has no numeric column
         * @param fallbackScale  per feature, positive
         * @return {center[], scale[]}
         */
        public double[][] encoderScaling(double[] fallbackCenter, double[] fallbackScale) {
            double[] center = fallbackCenter.clone();
            double[] scale = fallbackScale.clone();
            boolean[] set = new boolean[schema.size()];
            for (int j = 0; j < width(); j++) {
                int i = feature[j];
                FeatureKind k = schema.feature(i).kind();
                if (level[j] >= 0 || set[i] || k == FeatureKind.BINARY || k == FeatureKind.CATEGORICAL) {
                    continue;
                }
                Transform tr = layout.columns().get(j).transform();
                if (tr instanceof Standardize s) {
                    center[i] = s.mean();
                    scale[i] = s.std();
                } else if (tr instanceof MinMax m) {
                    center[i] = m.min();
                    scale[i] = m.max() - m.min();
                } else {
                    center[i] = 0;
                    scale[i] = 1;
                }
                set[i] = true;
            }
            return new double[][] {center, scale};
        }

        /**
         * A box for each feature that the layout itself implies, when it does: the level
         * range of level features, and {@code [min, max]} of a min-max column.
         *
         * @return per feature, null where the layout implies none
         */
        public Range[] impliedBoxes() {
            Range[] box = new Range[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                FeatureSpec f = schema.feature(i);
                if (f.kind().hasLevels()) {
                    box[i] = new Range(0, f.levels().size() - 1);
                } else if (f.range() != null) {
                    box[i] = f.range();
                }
            }
            for (int j = 0; j < width(); j++) {
                if (box[feature[j]] == null && layout.columns().get(j).transform() instanceof MinMax m) {
                    box[feature[j]] = new Range(m.min(), m.max());
                }
            }
            return box;
        }

        /**
         * How each model input is an affine function of one column of {@code encoder}'s model
         * space: {@code x[j] = coef[j] * z[column[j]] + offset[j]}. With the encoder built from
         * {@link #encoderScaling}, a feature's first standardise/min-max/pass-through column and
         * every one-hot column of a categorical feature have coefficient 1 and offset 0.
         *
         * @throws IllegalArgumentException when the encoder's schema is not the layout's
         */
        public Affine affine(Encoder encoder) {
            if (!encoder.schema().equals(schema) && !sameFeatures(encoder.schema())) {
                throw new IllegalArgumentException("encoder schema '" + encoder.schema().name()
                        + "' has other features than the layout's '" + schema.name() + "'");
            }
            int w = width();
            int[] column = new int[w];
            double[] coef = new double[w];
            double[] offset = new double[w];
            for (int j = 0; j < w; j++) {
                int i = feature[j];
                FeatureSpec f = schema.feature(i);
                int start = encoder.layout().slot(i).start();
                if (level[j] >= 0) {
                    if (f.kind() == FeatureKind.CATEGORICAL) {
                        column[j] = start + level[j];
                        coef[j] = 1;
                    } else {
                        // binary: z is the level index, so level 1's indicator is z and level 0's is 1 - z
                        column[j] = start;
                        coef[j] = level[j] == 1 ? 1 : -1;
                        offset[j] = level[j] == 1 ? 0 : 1;
                    }
                    continue;
                }
                column[j] = start;
                Transform tr = layout.columns().get(j).transform();
                double m;
                double s;
                if (tr instanceof Standardize st) {
                    m = st.mean();
                    s = st.std();
                } else if (tr instanceof MinMax mm) {
                    m = mm.min();
                    s = mm.max() - mm.min();
                } else {
                    m = 0;
                    s = 1;
                }
                // v = z (binary level index) or v = z * scale + center; x = (v - m) / s
                double zs = f.kind() == FeatureKind.BINARY ? 1 : encoder.scale(i);
                double zc = f.kind() == FeatureKind.BINARY ? 0 : encoder.center(i);
                coef[j] = zs == s ? 1 : zs / s;
                offset[j] = zc == m ? 0 : (zc - m) / s;
            }
            return new Affine(encoder.width(), column, coef, offset);
        }

        private boolean sameFeatures(FeatureSchema other) {
            if (other.size() != schema.size()) {
                return false;
            }
            for (int i = 0; i < schema.size(); i++) {
                FeatureSpec a = schema.feature(i);
                FeatureSpec b = other.feature(i);
                if (!a.name().equals(b.name()) || a.kind() != b.kind() || !a.levels().equals(b.levels())) {
                    return false;
                }
            }
            return true;
        }

        private static double numeric(Transform tr, double v) {
            if (tr instanceof Standardize s) {
                return (v - s.mean()) / s.std();
            }
            if (tr instanceof MinMax m) {
                return (v - m.min()) / (m.max() - m.min());
            }
            return v;
        }
    }

    /**
     * Model inputs as affine functions of cfq model-space columns:
     * {@code x[j] = coef[j] * z[column[j]] + offset[j]}.
     *
     * @param zWidth the model-space width
     */
    public record Affine(int zWidth, int[] column, double[] coef, double[] offset) {
        public Affine {
            column = column.clone();
            coef = coef.clone();
            offset = offset.clone();
            if (column.length != coef.length || coef.length != offset.length) {
                throw new IllegalArgumentException("affine map needs equal lengths, got " + column.length + ", "
                        + coef.length + ", " + offset.length);
            }
            for (int c : column) {
                Objects.checkIndex(c, zWidth);
            }
        }

        @Override
        public int[] column() {
            return column.clone();
        }

        @Override
        public double[] coef() {
            return coef.clone();
        }

        @Override
        public double[] offset() {
            return offset.clone();
        }

        /** Number of model inputs. */
        public int width() {
            return column.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Affine a && a.zWidth == zWidth && Arrays.equals(a.column, column)
                    && Arrays.equals(a.coef, coef) && Arrays.equals(a.offset, offset);
        }

        @Override
        public int hashCode() {
            return Objects.hash(zWidth, Arrays.hashCode(column), Arrays.hashCode(coef), Arrays.hashCode(offset));
        }

        @Override
        public String toString() {
            return "Affine[" + width() + " inputs over " + zWidth + " model-space columns]";
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@return the features no column uses, by name} (the model ignores them) */
    public List<String> unusedFeatures(FeatureSchema schema) {
        List<String> out = new ArrayList<>();
        for (FeatureSpec f : schema.features()) {
            if (columns.stream().noneMatch(c -> c.feature().equals(f.name()))) {
                out.add(f.name());
            }
        }
        return out;
    }
}
