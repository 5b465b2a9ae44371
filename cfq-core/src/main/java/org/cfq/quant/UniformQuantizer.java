package org.cfq.quant;

import java.util.Objects;

/**
 * A uniform affine fake quantizer with PyTorch's exact float32 semantics:
 * <pre>
 *   inv   = 1f / s                                  (float32)
 *   q     = clamp(rint(x * inv) + z, qmin, qmax)    (rint: round half to even)
 *   x_hat = (q - z) * s                             (float32)
 * </pre>
 * Example, 4-bit signed full range ([-8, 7]), s = 0.5, z = 0: x = 0.75 gives
 * rint(1.5) = 2, x_hat = 1.0; x = 1.25 gives rint(2.5) = 2 (ties go to even), x_hat = 1.0;
 * x = 9.0 gives rint(18) = 18, clamped to 7, x_hat = 3.5.
 *
 * <p>A tensor is laid out as (channels x groupSize) row-major; with per-tensor parameters
 * the whole tensor is one channel. For an (out x in) weight, channel {@code c} is row {@code c}.
 */
public final class UniformQuantizer {
    private final QuantSpec spec;
    private final QuantParams params;

    /**
     * @throws IllegalArgumentException when a per-tensor spec gets more than one channel, or
     *                                  a zero point lies outside the integer range
     */
    public UniformQuantizer(QuantSpec spec, QuantParams params) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.params = Objects.requireNonNull(params, "params");
        if (spec.granularity() == Granularity.TENSOR && params.channels() != 1) {
            throw new IllegalArgumentException("a per-tensor quantizer needs 1 scale, got " + params.channels());
        }
        for (int c = 0; c < params.channels(); c++) {
            int z = params.zeroPoint(c);
            if (z < spec.qmin() || z > spec.qmax()) {
                throw new IllegalArgumentException("zero point " + c + " must be in [" + spec.qmin() + ", "
                        + spec.qmax() + "], got " + z);
            }
        }
    }

    public QuantSpec spec() {
        return spec;
    }

    public QuantParams params() {
        return params;
    }

    /** The integer code of one value: {@code clamp(rint(x * inv) + z, qmin, qmax)}. */
    public static int code(float x, float invScale, int zeroPoint, int qmin, int qmax) {
        // x * inv is a float32 product; rint of it is exact in double.
        double q = Math.rint(x * invScale) + zeroPoint;
        if (q < qmin) {
            return qmin;
        }
        if (q > qmax) {
            return qmax;
        }
        return (int) q;
    }

    /** The dequantized value of a code: {@code (q - z) * s} in float32. */
    public static float dequantize(int code, float scale, int zeroPoint) {
        return (float) (code - zeroPoint) * scale;
    }

    /** Fake-quantizes one value with the given parameters. */
    public static float fakeQuantize(float x, float scale, int zeroPoint, int qmin, int qmax) {
        return dequantize(code(x, 1f / scale, zeroPoint, qmin, qmax), scale, zeroPoint);
    }

    /**
     * The straight-through mask of one value: 1 where the unclamped code
     * {@code rint(x * inv) + z} lies in [qmin, qmax] (PyTorch's mask), else 0.
     */
    public static boolean inRange(float x, float invScale, int zeroPoint, int qmin, int qmax) {
        double q = Math.rint(x * invScale) + zeroPoint;
        return q >= qmin && q <= qmax;
    }

    private int groupSize(int length) {
        int ch = params.channels();
        if (length % ch != 0) {
            throw new IllegalArgumentException("tensor length " + length + " is not a multiple of the "
                    + ch + " channels");
        }
        return length / ch;
    }

    /**
     * Quantizes a tensor to integer codes.
     *
     * @param x     values, (channels x groupSize)
     * @param codes codes, same length; overwritten
     */
    public void quantize(float[] x, int[] codes) {
        if (codes.length != x.length) {
            throw new IllegalArgumentException("codes length must be " + x.length + ", got " + codes.length);
        }
        int g = groupSize(x.length);
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        for (int c = 0; c < params.channels(); c++) {
            float inv = 1f / params.scale(c);
            int z = params.zeroPoint(c);
            for (int i = c * g, end = i + g; i < end; i++) {
                codes[i] = code(x[i], inv, z, qmin, qmax);
            }
        }
    }

    /** {@return the integer codes of a tensor, freshly allocated} */
    public int[] quantize(float[] x) {
        int[] codes = new int[x.length];
        quantize(x, codes);
        return codes;
    }

    /**
     * Dequantizes integer codes.
     *
     * @param codes codes, (channels x groupSize)
     * @param out   values, same length; overwritten
     * @throws IllegalArgumentException when a code lies outside [qmin, qmax]
     */
    public void dequantize(int[] codes, float[] out) {
        if (codes.length != out.length) {
            throw new IllegalArgumentException("output length must be " + codes.length + ", got " + out.length);
        }
        int g = groupSize(codes.length);
        for (int c = 0; c < params.channels(); c++) {
            float s = params.scale(c);
            int z = params.zeroPoint(c);
            for (int i = c * g, end = i + g; i < end; i++) {
                int q = codes[i];
                if (q < spec.qmin() || q > spec.qmax()) {
                    throw new IllegalArgumentException("code " + i + " must be in [" + spec.qmin() + ", "
                            + spec.qmax() + "], got " + q);
                }
                out[i] = dequantize(q, s, z);
            }
        }
    }

    /**
     * Fake-quantizes a tensor: quantize then dequantize. {@code out} may be {@code x}.
     *
     * @param x   values, (channels x groupSize)
     * @param out fake-quantized values, same length; overwritten
     */
    public void fakeQuantize(float[] x, float[] out) {
        int g = groupSize(x.length);
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        for (int c = 0; c < params.channels(); c++) {
            float s = params.scale(c);
            float inv = 1f / s;
            int z = params.zeroPoint(c);
            for (int i = c * g, end = i + g; i < end; i++) {
                out[i] = dequantize(code(x[i], inv, z, qmin, qmax), s, z);
            }
        }
    }

    /** {@return the fake-quantized tensor, freshly allocated} */
    public float[] fakeQuantize(float[] x) {
        float[] out = new float[x.length];
        fakeQuantize(x, out);
        return out;
    }

    /**
     * Applies the straight-through estimator: zeroes {@code grad[i]} where {@code x[i]}
     * was clamped, leaves it unchanged elsewhere.
     *
     * @param x    the values that were fake-quantized, (channels x groupSize)
     * @param grad upstream gradient, same length; masked in place
     */
    public void maskGradient(float[] x, float[] grad) {
        int g = groupSize(x.length);
        int qmin = spec.qmin();
        int qmax = spec.qmax();
        for (int c = 0; c < params.channels(); c++) {
            float inv = 1f / params.scale(c);
            int z = params.zeroPoint(c);
            for (int i = c * g, end = i + g; i < end; i++) {
                if (!inRange(x[i], inv, z, qmin, qmax)) {
                    grad[i] = 0f;
                }
            }
        }
    }

    /** {@return max |x - fq(x)| over the tensor: the real quantization error, clipping included} */
    public float maxAbsError(float[] x) {
        float[] fq = fakeQuantize(x);
        float m = 0f;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - fq[i]));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UniformQuantizer u && u.spec.equals(spec) && u.params.equals(params);
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + params.hashCode();
    }

    @Override
    public String toString() {
        return "UniformQuantizer[" + spec + ", " + params + "]";
    }
}
