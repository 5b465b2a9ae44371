package org.cfq.quant.calibrate;

import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.UniformQuantizer;

/**
 * MSE-optimal step search: for each channel, tries the clip fractions
 * {@code k / gridSteps, k = 1..gridSteps} of the min-max range and keeps the one with the
 * smallest sum of squared fake-quantization errors (ties keep the wider range). Clipping a
 * few large values buys a finer step for all the others, which pays at 2 to 4 bits.
 *
 * @param gridSteps number of candidate clip fractions, in [1, 10000]
 */
public record MseCalibrator(int gridSteps) implements Calibrator {
    public MseCalibrator {
        if (gridSteps < 1 || gridSteps > 10_000) {
            throw new IllegalArgumentException("gridSteps must be in [1, 10000], got " + gridSteps);
        }
    }

    /** 100 candidate clip fractions. */
    public static MseCalibrator defaults() {
        return new MseCalibrator(100);
    }

    @Override
    public QuantParams calibrate(float[] values, int channels, QuantSpec spec) {
        int g = Calibrator.groupSize(values, channels);
        float[] s = new float[channels];
        int[] z = new int[channels];
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        for (int c = 0; c < channels; c++) {
            int from = c * g;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + g; i++) {
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
            double best = Double.POSITIVE_INFINITY;
            for (int k = gridSteps; k >= 1; k--) {
                double a = (double) k / gridSteps;
                float sc = Calibrator.scaleFromRange(lo * a, hi * a, spec);
                int zp = Calibrator.zeroPointFromRange(lo * a, hi * a, spec);
                float inv = 1f / sc;
                double err = 0;
                for (int i = from; i < from + g; i++) {
                    float d = values[i] - UniformQuantizer.dequantize(
                            UniformQuantizer.code(values[i], inv, zp, qmin, qmax), sc, zp);
                    err += (double) d * d;
                }
                if (err < best) {
                    best = err;
                    s[c] = sc;
                    z[c] = zp;
                }
            }
        }
        return QuantParams.of(s, z);
    }

    @Override
    public String name() {
        return "mse";
    }
}
