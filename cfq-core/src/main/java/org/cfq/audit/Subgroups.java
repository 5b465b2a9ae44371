package org.cfq.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;

/**
 * Which group each test row belongs to, by one feature: a level feature's levels (those that
 * occur in the test rows, in schema order), or a numeric feature split at its training median
 * ({@code <= median}, {@code > median}), as issue 14's subgroup evaluation asks.
 *
 * @param feature    the feature the groups come from
 * @param names      the group names, in order
 * @param groupOfRow the group index of each test row
 */
public record Subgroups(String feature, List<String> names, int[] groupOfRow) {
    public Subgroups {
        Objects.requireNonNull(feature, "feature");
        names = List.copyOf(names);
        groupOfRow = groupOfRow.clone();
        for (int g : groupOfRow) {
            if (g < 0 || g >= names.size()) {
                throw new IllegalArgumentException("group index must be in [0, " + names.size() + "), got " + g);
            }
        }
    }

    @Override
    public int[] groupOfRow() {
        return groupOfRow.clone();
    }

    /** {@return the group index of a test row} */
    public int groupOf(int row) {
        return groupOfRow[row];
    }

    /**
     * Groups the test rows by a feature.
     *
     * @param train the training rows (the median of a numeric feature comes from them)
     * @param test  the rows to group
     * @throws IllegalArgumentException when the schema has no such feature
     */
    public static Subgroups of(Table train, Table test, String feature) {
        int c = test.schema().indexOf(feature);
        if (c < 0) {
            throw new IllegalArgumentException("no feature '" + feature + "' to form subgroups; the schema has "
                    + test.schema().features().stream().map(FeatureSpec::name).toList());
        }
        FeatureSpec f = test.schema().feature(c);
        int n = test.rows();
        int[] group = new int[n];
        if (f.kind().hasLevels()) {
            int levels = f.levels().size();
            boolean[] present = new boolean[levels];
            for (int r = 0; r < n; r++) {
                present[(int) test.value(r, c)] = true;
            }
            int[] index = new int[levels];
            List<String> names = new ArrayList<>();
            for (int l = 0; l < levels; l++) {
                index[l] = present[l] ? names.size() : -1;
                if (present[l]) {
                    names.add(f.levels().get(l));
                }
            }
            for (int r = 0; r < n; r++) {
                group[r] = index[(int) test.value(r, c)];
            }
            return new Subgroups(feature, names, group);
        }
        double median = Stats.median(train.column(c));
        String m = String.format(Locale.ROOT, "%.6g", median);
        for (int r = 0; r < n; r++) {
            group[r] = test.value(r, c) <= median ? 0 : 1;
        }
        return new Subgroups(feature, List.of(feature + " <= " + m, feature + " > " + m), group);
    }

    /** {@return the rows of each group's members among {@code rows} (e.g. the factuals' test rows)} */
    int[][] members(int[] rows) {
        int[] count = new int[names.size()];
        for (int r : rows) {
            count[groupOfRow[r]]++;
        }
        int[][] out = new int[names.size()][];
        for (int g = 0; g < out.length; g++) {
            out[g] = new int[count[g]];
        }
        Arrays.fill(count, 0);
        for (int i = 0; i < rows.length; i++) {
            int g = groupOfRow[rows[i]];
            out[g][count[g]++] = i;
        }
        return out;
    }
}
