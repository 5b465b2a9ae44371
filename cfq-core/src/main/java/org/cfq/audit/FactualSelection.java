package org.cfq.audit;

import java.util.Arrays;
import java.util.Locale;

/** Which test rows the audit asks recourse for. */
public enum FactualSelection {
    /** The test rows the teacher scores unfavorably (CARLA's convention): the default. */
    NEGATIVES,
    /**
     * The first {@value #PAPER_ROWS} test rows, unfiltered, as the published code does: rows
     * the teacher already accepts get the zero action (cost 0), which enters VD but not CRG.
     */
    PAPER;

    /** Rows the published evaluation takes. */
    public static final int PAPER_ROWS = 512;

    /** {@return the lower-case name used on the command line and in files} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a selection name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static FactualSelection parse(String s) {
        for (FactualSelection f : values()) {
            if (f.id().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("factual selection must be negatives or paper, got '" + s + "'");
    }

    /**
     * The test-row indices selected, in test order.
     *
     * @param teacherMargins the teacher's favorable margin of every test row
     * @param threshold      decision threshold on the margin (a row at or below it is unfavorable)
     * @param limit          at most this many rows (the first ones), 0 for no limit
     */
    public int[] select(float[] teacherMargins, double threshold, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = no limit), got " + limit);
        }
        int n = teacherMargins.length;
        int[] idx = new int[n];
        int k = 0;
        if (this == PAPER) {
            k = Math.min(n, PAPER_ROWS);
            for (int i = 0; i < k; i++) {
                idx[i] = i;
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!(teacherMargins[i] > threshold)) {
                    idx[k++] = i;
                }
            }
        }
        return Arrays.copyOf(idx, limit > 0 ? Math.min(limit, k) : k);
    }
}
