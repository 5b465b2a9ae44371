package org.cfq.quant.calibrate;

import org.cfq.quant.Granularity;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.UniformQuantizer;

/**
 * Chooses quantizer parameters from observed values.
 *
 * <p>Signed specs get symmetric parameters (zero point 0, {@code s = a / qmax} for a
 * chosen magnitude {@code a}). Unsigned specs get zero point 0 and {@code s = hi / qmax}
 * when every value is &gt;= 0, and affine parameters over {@code [min(lo, 0), max(hi, 0)]}
 * otherwise. An all-zero channel gets the smallest scale {@value #EPS} (PyTorch's float32
 * eps), which maps every value to 0.
 */
public interface Calibrator {
    /** The scale of an all-zero channel: float32 machine epsilon, as PyTorch's observers. */
    float EPS = 1.1920929e-7f;

    /**
     * Computes the parameters of each channel.
     *
     * @param values   observed values, (channels x groupSize) row-major
     * @param channels 1 for per-tensor, else the number of rows
     * @param spec     the integer grid
     * @return one scale and zero point per channel
     */
    QuantParams calibrate(float[] values, int channels, QuantSpec spec);

    /** A short name for files and reports ("minmax", "percentile", "mse"). */
    String name();

    /**
     * Builds a quantizer for an (out x in) weight with the spec's granularity.
     *
     * @param weight (out x in) row-major
     */
    default UniformQuantizer weightQuantizer(float[] weight, int out, QuantSpec spec) {
        int channels = spec.granularity() == Granularity.CHANNEL ? out : 1;
        return new UniformQuantizer(spec, calibrate(weight, channels, spec));
    }

    /** {@return the quantizer parameters that map the range [lo, hi] onto the spec's grid} */
    static QuantParams fromRange(double lo, double hi, QuantSpec spec) {
        return QuantParams.perTensor(scaleFromRange(lo, hi, spec), zeroPointFromRange(lo, hi, spec));
    }

    /** The scale for the range [lo, hi] (see the class comment). */
    static float scaleFromRange(double lo, double hi, QuantSpec spec) {
        double s;
        if (spec.signed()) {
            s = Math.max(Math.abs(lo), Math.abs(hi)) / spec.qmax();
        } else if (lo >= 0) {
            s = hi / spec.qmax();
        } else {
            s = (Math.max(hi, 0) - lo) / (spec.qmax() - spec.qmin());
        }
        float f = (float) s;
        return f > EPS ? f : EPS;
    }

    /** The zero point for the range [lo, hi]: 0 unless the spec is unsigned and lo &lt; 0. */
    static int zeroPointFromRange(double lo, double hi, QuantSpec spec) {
        if (spec.signed() || lo >= 0) {
            return 0;
        }
        float s = scaleFromRange(lo, hi, spec);
        long z = spec.qmin() - Math.round(Math.rint(lo / s));
        return (int) Math.max(spec.qmin(), Math.min(spec.qmax(), z));
    }

    /** Checks the shape of a calibration call. */
    static int groupSize(float[] values, int channels) {
        if (channels <= 0 || values.length == 0 || values.length % channels != 0) {
            throw new IllegalArgumentException("values length " + values.length
                    + " must be a positive multiple of channels " + channels);
        }
        return values.length / channels;
    }
}
