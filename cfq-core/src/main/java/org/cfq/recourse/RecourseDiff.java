package org.cfq.recourse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cfq.data.encode.Encoder;

/**
 * The changes a counterfactual asks for, in original units ("hours-per-week 40 -> 45").
 *
 * @param changes one entry per changed feature, in schema order
 */
public record RecourseDiff(List<Change> changes) {

    /**
     * One changed feature.
     *
     * @param feature feature name
     * @param from    factual value, formatted for people (level name or number)
     * @param to      counterfactual value, formatted the same way
     */
    public record Change(String feature, String from, String to) {
        @Override
        public String toString() {
            return feature + " " + from + " -> " + to;
        }
    }

    public RecourseDiff {
        changes = List.copyOf(changes);
    }

    /**
     * The diff between a factual row and a counterfactual row, both model space. A feature is
     * listed when its formatted value differs.
     */
    public static RecourseDiff of(Encoder encoder, float[] x, int xo, float[] xp, int po) {
        Objects.requireNonNull(encoder, "encoder");
        double[] a = encoder.decodeRow(x, xo);
        double[] b = encoder.decodeRow(xp, po);
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            String from = encoder.format(i, a[i]);
            String to = encoder.format(i, b[i]);
            if (!from.equals(to)) {
                out.add(new Change(encoder.schema().feature(i).name(), readable(encoder, i, a[i], from),
                        readable(encoder, i, b[i], to)));
            }
        }
        return new RecourseDiff(out);
    }

    /** A whole number of a feature with a natural step, with thousands separators ("5,246"). */
    private static String readable(Encoder encoder, int i, double v, String formatted) {
        org.cfq.data.FeatureSpec f = encoder.schema().feature(i);
        if (f.kind().hasLevels() || f.natural() == null || v != Math.rint(v) || Math.abs(v) >= 1e15) {
            return formatted;
        }
        return String.format(java.util.Locale.ROOT, "%,d", (long) v);
    }

    /** {@return the changes joined by "; ", or "(no change)"} */
    @Override
    public String toString() {
        if (changes.isEmpty()) {
            return "(no change)";
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
