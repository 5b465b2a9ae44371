package org.cfq.experiment;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Mean and sample standard deviation (n - 1) over the defined (finite) values of a metric.
 *
 * @param mean NaN when no value is defined
 * @param std  NaN below two defined values
 * @param n    how many values were defined
 */
public record Stat(double mean, double std, int n) {
    /** {@return the statistic of {@code metric} over the results' metrics} */
    public static Stat of(List<CellResult> results, ToDoubleFunction<CellMetrics> metric) {
        double s = 0;
        int n = 0;
        for (CellResult r : results) {
            double v = metric.applyAsDouble(r.metrics());
            if (Double.isFinite(v)) {
                s += v;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : s / n;
        double ss = 0;
        for (CellResult r : results) {
            double v = metric.applyAsDouble(r.metrics());
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new Stat(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)), n);
    }

    /** {@return the statistic of the defined (finite) values} */
    public static Stat ofValues(double[] values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                s += v;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : s / n;
        double ss = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new Stat(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)), n);
    }
}
