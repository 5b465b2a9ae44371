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
        this(Objects.requireNonNull(schema, "schema"), columns, labels, validated(schema, columns, labels));
    }

    /**
     * A table whose columns and labels are known to be valid for {@code schema}: checked by
     * {@link #validated} (which returns true or throws) or taken from a valid table.
     */
    private Table(FeatureSchema schema, double[][] columns, int[] labels, boolean checked) {
        this.schema = schema;
        this.columns = columns;
        this.labels = labels;
    }

    /*
     * Validation runs once per table of a fresh process (tens of thousands of rows), mostly before
     * the JIT has compiled anything: each check is a small loop over one column, so the interpreter
     * runs it fast and the compiler spends little on it (docs/benchmarks.md, issue 16).
     */
    private static boolean validated(FeatureSchema schema, double[][] columns, int[] labels) {
        if (columns.length != schema.size()) {
            throw new IllegalArgumentException("table needs " + schema.size() + " columns for schema '"
                    + schema.name() + "', got " + columns.length);
        }
        for (int c = 0; c < columns.length; c++) {
            FeatureSpec f = schema.feature(c);
            double[] col = columns[c];
            if (col.length != labels.length) {
                throw new IllegalArgumentException("column '" + f.name() + "' has " + col.length
                        + " rows but there are " + labels.length + " labels");
            }
            int r = firstNonFinite(col);
            if (r >= 0) {
                throw new IllegalArgumentException("column '" + f.name() + "' row " + r + " is " + col[r]);
            }
            if (f.kind().hasLevels()) {
                int levels = f.levels().size();
                r = firstBadLevel(col, levels);
                if (r >= 0) {
                    throw new IllegalArgumentException("column '" + f.name() + "' row " + r
                            + ": level index must be in [0, " + (levels - 1) + "], got " + col[r]);
                }
            }
        }
        int r = firstNonBinary(labels);
        if (r >= 0) {
            throw new IllegalArgumentException("label at row " + r + " must be 0 or 1, got " + labels[r]);
        }
        return true;
    }

    /** {@return the first row holding NaN or an infinity, or -1} */
    private static int firstNonFinite(double[] col) {
        for (int r = 0; r < col.length; r++) {
            if (!Double.isFinite(col[r])) {
                return r;
            }
        }
        return -1;
    }

    /** {@return the first row that is not a whole number in [0, levels), or -1} */
    private static int firstBadLevel(double[] col, int levels) {
        for (int r = 0; r < col.length; r++) {
            double v = col[r];
            if (v != Math.rint(v) || v < 0 || v >= levels) {
                return r;
            }
        }
        return -1;
    }

    /** {@return the first label that is neither 0 nor 1, or -1} */
    private static int firstNonBinary(int[] labels) {
        for (int r = 0; r < labels.length; r++) {
            if ((labels[r] & ~1) != 0) {
                return r;
            }
        }
        return -1;
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
        double[][] cols = new double[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            cols[c] = gather(columns[c], rowIndices);
        }
        int[] y = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            y[i] = labels[rowIndices[i]];
        }
        // Rows of a valid table are valid: no second validation pass.
        return new Table(schema, cols, y, true);
    }

    private static double[] gather(double[] column, int[] rowIndices) {
        double[] out = new double[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            out[i] = column[rowIndices[i]];
        }
        return out;
    }

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
        // Same names, kinds and levels: the values stay valid.
        return new Table(other, columns, labels, true);
    }
}
