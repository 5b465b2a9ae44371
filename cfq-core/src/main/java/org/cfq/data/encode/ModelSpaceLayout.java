package org.cfq.data.encode;

import java.util.List;
import java.util.Objects;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;

/**
 * Which model-space columns each feature occupies. One-hot groups are explicit here:
 * nothing downstream finds a group by matching column names.
 *
 * @param schema the schema the layout was built from
 * @param slots  one slot per schema feature, in schema order; slots tile [0, width)
 */
public record ModelSpaceLayout(FeatureSchema schema, List<Slot> slots) {

    /**
     * The columns of one feature.
     *
     * @param feature index of the feature in the schema
     * @param start   first model-space column
     * @param width   number of columns: the level count for categorical features, else 1
     */
    public record Slot(int feature, int start, int width) {
        public Slot {
            if (feature < 0 || start < 0 || width < 1) {
                throw new IllegalArgumentException("slot needs feature >= 0, start >= 0, width >= 1; got "
                        + feature + ", " + start + ", " + width);
            }
        }

        /** One past the last column. */
        public int end() {
            return start + width;
        }
    }

    public ModelSpaceLayout {
        Objects.requireNonNull(schema, "schema");
        slots = List.copyOf(slots);
        if (slots.size() != schema.size()) {
            throw new IllegalArgumentException("layout needs one slot per feature (" + schema.size() + "), got "
                    + slots.size());
        }
        int next = 0;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            if (s.feature() != i || s.start() != next) {
                throw new IllegalArgumentException("slot " + i + " must cover feature " + i + " from column " + next
                        + ", got " + s);
            }
            next = s.end();
        }
    }

    /** The layout the encoder uses: one column per feature, a one-hot group per categorical feature. */
    public static ModelSpaceLayout of(FeatureSchema schema) {
        Slot[] slots = new Slot[schema.size()];
        int col = 0;
        for (int i = 0; i < schema.size(); i++) {
            FeatureSpec f = schema.feature(i);
            int w = f.kind() == org.cfq.data.FeatureKind.CATEGORICAL ? f.levels().size() : 1;
            slots[i] = new Slot(i, col, w);
            col += w;
        }
        return new ModelSpaceLayout(schema, List.of(slots));
    }

    /** Total number of model-space columns. */
    public int width() {
        return slots.isEmpty() ? 0 : slots.get(slots.size() - 1).end();
    }

    public Slot slot(int feature) {
        return slots.get(feature);
    }

    /** {@return the feature that owns a model-space column} */
    public int featureOfColumn(int column) {
        Objects.checkIndex(column, width());
        for (Slot s : slots) {
            if (column < s.end()) {
                return s.feature();
            }
        }
        throw new AssertionError("unreachable: column " + column);
    }
}
