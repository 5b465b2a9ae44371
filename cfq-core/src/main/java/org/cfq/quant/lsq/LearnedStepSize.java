package org.cfq.quant.lsq;

import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.UniformQuantizer;

/**
 * LSQ (Esser et al. 2020) for symmetric weight quantizers (zero point 0): the step size
 * {@code s} is a trained parameter.
 *
 * <p>Forward: {@code x_hat = clamp(rint(w * (1/s)), qmin, qmax) * s}, with the exact
 * semantics of {@link UniformQuantizer}. Backward, with {@code v = w * (1/s)} and
 * {@code q = rint(v)}:
 * <pre>
 *   d x_hat / d w = 1 if qmin &lt;= q &lt;= qmax, else 0                     (straight-through)
 *   d x_hat / d s = q - v if qmin &lt;= q &lt;= qmax, else the clamped code (qmin or qmax)
 * </pre>
 * and the step gradient is multiplied by {@code g = 1 / sqrt(n * qmax)}, where {@code n} is
 * the number of weights sharing the step. Initial step: {@code 2 * mean|w| / sqrt(qmax)}.
 * Steps are kept at or above {@link #MIN_STEP} so they stay strictly positive.
 *
 * <p>A tensor is (channels x groupSize) row-major; per-tensor steps have one channel.
 */
public final class LearnedStepSize {
    /** The smallest step a trained step is clamped to, keeping it strictly positive. */
    public static final float MIN_STEP = 1e-8f;

    private LearnedStepSize() {
    }

    /** {@return the LSQ initial step {@code 2 * mean|w| / sqrt(qmax)} of a slice, at least {@link #MIN_STEP}} */
    public static float initialStep(float[] w, int from, int to, int qmax) {
        if (to <= from) {
            throw new IllegalArgumentException("slice must be non-empty, got [" + from + ", " + to + ")");
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.abs(w[i]);
        }
        float s = (float) (2 * (sum / (to - from)) / Math.sqrt(qmax));
        return Math.max(s, MIN_STEP);
    }

    /**
     * {@return the initial steps of an (out x in) weight: one per row for per-channel specs, else one}
     */
    public static float[] initialSteps(float[] w, int out, QuantSpec spec) {
        checkSigned(spec);
        int channels = spec.granularity() == Granularity.CHANNEL ? out : 1;
        int g = w.length / channels;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = initialStep(w, c * g, (c + 1) * g, spec.qmax());
        }
        return s;
    }

    /** {@return the LSQ gradient scale {@code 1 / sqrt(n * qmax)}} */
    public static double gradScale(int n, int qmax) {
        if (n <= 0 || qmax <= 0) {
            throw new IllegalArgumentException("n and qmax must be > 0, got n=" + n + ", qmax=" + qmax);
        }
        return 1.0 / Math.sqrt((double) n * qmax);
    }

    /**
     * Fake-quantizes with the current steps.
     *
     * @param w     latent weights, (channels x groupSize)
     * @param steps one step per channel, &gt; 0
     * @param out   fake-quantized weights, same length; overwritten
     */
    public static void forward(float[] w, float[] steps, QuantSpec spec, float[] out) {
        int g = w.length / steps.length;
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        for (int c = 0; c < steps.length; c++) {
            float s = steps[c];
            float inv = 1f / s;
            for (int i = c * g; i < (c + 1) * g; i++) {
                out[i] = UniformQuantizer.dequantize(UniformQuantizer.code(w[i], inv, 0, qmin, qmax), s, 0);
            }
        }
    }

    /**
     * Back-propagates an upstream gradient through the quantizer.
     *
     * @param w        latent weights, (channels x groupSize)
     * @param steps    the steps used in the forward pass
     * @param upstream dL/dx_hat, same length as {@code w}
     * @param dw       dL/dw, accumulated into (straight-through, masked outside the clamp range)
     * @param dSteps   dL/ds per channel, accumulated into, already multiplied by the gradient scale
     */
    public static void backward(float[] w, float[] steps, QuantSpec spec, float[] upstream, float[] dw,
                                float[] dSteps) {
        int g = w.length / steps.length;
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        double scale = gradScale(g, qmax);
        for (int c = 0; c < steps.length; c++) {
            float inv = 1f / steps[c];
            double ds = 0;
            for (int i = c * g; i < (c + 1) * g; i++) {
                float v = w[i] * inv;
                double q = Math.rint(v);
                if (q < qmin) {
                    ds += (double) upstream[i] * qmin;
                } else if (q > qmax) {
                    ds += (double) upstream[i] * qmax;
                } else {
                    ds += (double) upstream[i] * (q - v);
                    dw[i] += upstream[i];
                }
            }
            dSteps[c] += (float) (ds * scale);
        }
    }

    /** Clamps every step to at least {@link #MIN_STEP} (after an optimizer step). */
    public static void keepPositive(float[] steps) {
        for (int c = 0; c < steps.length; c++) {
            if (!(steps[c] >= MIN_STEP)) {
                steps[c] = MIN_STEP;
            }
        }
    }

    private static void checkSigned(QuantSpec spec) {
        if (!spec.signed()) {
            throw new IllegalArgumentException("LSQ weight steps need a signed spec, got " + spec);
        }
    }
}
