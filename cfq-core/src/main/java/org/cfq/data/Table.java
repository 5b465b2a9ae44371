package org.cfq.data;

import java.util.Objects;

/**
 * Rows of a dataset in original units, stored by column.
 *
 * <p>Numeric features hold their value; level features (binary, categorical, ordinal)
 * hold the level's index into {@link FeatureSpec#levels()} as a double. Labels are 1
 * for the favorable outcome and 0 otherwise. A table never holds NaN: loaders resolve
 * missing values before building one.
 */
public final class Table {
    private final FeatureSchema schema;
    private final double[][] columns;
    private final int[] labels;

    /**
     * @param columns one array per schema feature, each of length {@code labels.length};
     *                taken as is (not copied): the caller hands over ownership
     * @throws IllegalArgumentException on a shape mismatch, a NaN, or a level index out of range
     */
    public Table(FeatureSchema schema, double[][] columns, int[] labels) {
        this.schema = Objects.requireNonNull(schema, "schema");
        if (columns.length != schema.size()) {
            throw new IllegalArgumentException("table needs " + schema.size() + " columns for schema '"
                    + schema.name() + "', got " + columns.length);
        }
        for (int c = 0; c < columns.length; c++) {
            FeatureSpec f = schema.feature(c);
            if (columns[c].length != labels.length) {
                throw new IllegalArgumentException("column '" + f.name() + "' has " + columns[c].length
                        + " rows but there are " + labels.length + " labels");
            }
            for (int r = 0; r < labels.length; r++) {
                double v = columns[c][r];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("column '" + f.name() + "' row " + r + " is " + v);
                }
                if (f.kind().hasLevels() && (v != Math.rint(v) || v < 0 || v >= f.levels().size())) {
                    throw new IllegalArgumentException("column '" + f.name() + "' row " + r
                            + ": level index must be in [0, " + (f.levels().size() - 1) + "], got " + v);
                }
            }
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] != 0 && labels[r] != 1) {
                throw new IllegalArgumentException("label at row " + r + " must be 0 or 1, got " + labels[r]);
            }
        }
        this.columns = columns;
        this.labels = labels;
    }

    public FeatureSchema schema() {
        return schema;
    }

    public int rows() {
        return labels.length;
    }

    /** The value of feature {@code c} at row {@code r}, in original units (level index for level kinds). */
    public double value(int r, int c) {
        return columns[c][r];
    }

    /** A copy of one column. */
    public double[] column(int c) {
        return columns[c].clone();
    }

    public int label(int r) {
        return labels[r];
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** {@return the share of rows with the favorable label} */
    public double favorableRate() {
        long n = 0;
        for (int y : labels) {
            n += y;
        }
        return labels.length == 0 ? 0 : (double) n / labels.length;
    }

    /** A new table of the given rows, in the given order. */
    public Table select(int[] rowIndices) {
        double[][] cols = new double[columns.length][rowIndices.length];
        int[] y = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            int r = rowIndices[i];
            for (int c = 0; c < columns.length; c++) {
                cols[c][i] = columns[c][r];
            }
            y[i] = labels[r];
        }
        return new Table(schema, cols, y);
    }

    /** The same rows seen through another schema with the same features (e.g. other actionability). */
    public Table withSchema(FeatureSchema other) {
        if (other.size() != schema.size()) {
            throw new IllegalArgumentException("schema '" + other.name() + "' has " + other.size()
                    + " features, this table has " + schema.size());
        }
        for (int c = 0; c < schema.size(); c++) {
            FeatureSpec a = schema.feature(c);
            FeatureSpec b = other.feature(c);
            if (!a.name().equals(b.name()) || a.kind() != b.kind() || !a.levels().equals(b.levels())) {
                throw new IllegalArgumentException("feature " + c + " differs: '" + a.name() + "' " + a.kind()
                        + " vs '" + b.name() + "' " + b.kind());
            }
        }
        return new Table(other, columns, labels);
    }
}
