package org.cfq.quant.calibrate;

import java.util.Arrays;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;

/**
 * Clips outliers: the range ends at the given percentile of |x| (signed specs) or of x
 * (unsigned specs), with linear interpolation between order statistics.
 *
 * @param percentile in (0, 100]; 100 is min-max
 */
public record PercentileCalibrator(double percentile) implements Calibrator {
    public PercentileCalibrator {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
    }

    /** The 99.99th percentile. */
    public static PercentileCalibrator defaults() {
        return new PercentileCalibrator(99.99);
    }

    @Override
    public QuantParams calibrate(float[] values, int channels, QuantSpec spec) {
        int g = Calibrator.groupSize(values, channels);
        float[] s = new float[channels];
        int[] z = new int[channels];
        double[] buf = new double[g];
        for (int c = 0; c < channels; c++) {
            if (spec.signed()) {
                for (int i = 0; i < g; i++) {
                    buf[i] = Math.abs(values[c * g + i]);
                }
                Arrays.sort(buf);
                double a = quantile(buf, percentile / 100);
                s[c] = Calibrator.scaleFromRange(-a, a, spec);
            } else {
                for (int i = 0; i < g; i++) {
                    buf[i] = values[c * g + i];
                }
                Arrays.sort(buf);
                double hi = quantile(buf, percentile / 100);
                double lo = quantile(buf, 1 - percentile / 100);
                s[c] = Calibrator.scaleFromRange(lo, hi, spec);
                z[c] = Calibrator.zeroPointFromRange(lo, hi, spec);
            }
        }
        return QuantParams.of(s, z);
    }

    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double f = pos - i;
        return sorted[i] + f * (sorted[i + 1] - sorted[i]);
    }

    @Override
    public String name() {
        return "percentile";
    }
}
