package org.cfq.audit;

import java.util.Arrays;

/** Order statistics used by the audit metrics. */
final class Stats {
    private Stats() {
    }

    /** {@return the median of the values (mean of the middle two for an even count), NaN when empty} */
    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /**
     * Linear-interpolated quantile (the "type 7" rule of R and numpy's default).
     *
     * @return NaN when empty
     */
    static double quantile(double[] values, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + q);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
