package org.cfq.io.csv;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Table;

/** Collects parsed rows column by column, growing its arrays, then builds one {@link Table}. */
public final class TableBuilder {
    private final FeatureSchema schema;
    private double[][] columns;
    private int[] labels;
    private int rows;

    public TableBuilder(FeatureSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.columns = new double[schema.size()][256];
        this.labels = new int[256];
    }

    /**
     * Adds one row.
     *
     * @param values one value per schema feature (level index for level kinds); copied
     * @param label  1 favorable, 0 otherwise
     */
    public void add(double[] values, int label) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("row needs " + schema.size() + " values, got " + values.length);
        }
        if (rows == labels.length) {
            int cap = labels.length * 2;
            labels = Arrays.copyOf(labels, cap);
            for (int c = 0; c < columns.length; c++) {
                columns[c] = Arrays.copyOf(columns[c], cap);
            }
        }
        for (int c = 0; c < values.length; c++) {
            columns[c][rows] = values[c];
        }
        labels[rows++] = label;
    }

    public int rows() {
        return rows;
    }

    /** The table of the rows added so far. */
    public Table build() {
        double[][] cols = new double[columns.length][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = Arrays.copyOf(columns[c], rows);
        }
        return new Table(schema, cols, Arrays.copyOf(labels, rows));
    }
}
