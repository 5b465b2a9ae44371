package org.cfq.bounds;

/**
 * An unsigned uniform fake quantizer applied after a ReLU, with PyTorch's exact float32
 * semantics: {@code q = clamp(rint(v * (1f / s)) + z, qmin, qmax)}, value {@code (q - z) * s}
 * (float32). It is non-decreasing, which is what lets bounds pass through it.
 *
 * <p>On {@code v >= 0} it stays within {@link #deviation()} of the clipped ReLU
 * {@code min(v, top())}: half a step from rounding, plus the float32 rounding of the product
 * {@code v * (1f / s)}, of the reciprocal and of the dequantized value (each at most
 * {@code 2^-24} relative, bounded together by {@code 1e-6 (top + s)}).
 *
 * @param scale     s, positive and finite
 * @param zeroPoint z, in [qmin, qmax]
 * @param qmin      smallest code
 * @param qmax      largest code, &gt; qmin
 */
public record StepActivation(float scale, int zeroPoint, int qmin, int qmax) {
    public StepActivation {
        if (!(scale > 0 && scale < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (qmax <= qmin || zeroPoint < qmin || zeroPoint > qmax) {
            throw new IllegalArgumentException("need qmin < qmax and zeroPoint in [qmin, qmax], got " + qmin + ", "
                    + qmax + ", " + zeroPoint);
        }
    }

    /** {@return the fake-quantized value of the float32 value nearest to {@code v}} (bit-exact with the student) */
    public double apply(double v) {
        float x = (float) v;
        float inv = 1f / scale;
        double q = Math.rint(x * inv) + zeroPoint;
        int c = q < qmin ? qmin : q > qmax ? qmax : (int) q;
        return (float) (c - zeroPoint) * scale;
    }

    /** {@return the largest value, {@code (qmax - z) * s}} (in double, exact) */
    public double top() {
        return (double) (qmax - zeroPoint) * scale;
    }

    /** {@return a bound of {@code |apply(v) - min(v, top())|} over {@code v >= 0}} */
    public double deviation() {
        return 0.5 * scale + 1e-6 * (top() + scale);
    }
}
