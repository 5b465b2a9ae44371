package org.cfq.quant;

import java.util.Arrays;

/**
 * The scale source of a quantizer: one scale and zero point per channel (one channel for
 * per-tensor quantization). Immutable: arrays are copied in and out.
 */
public final class QuantParams {
    private final float[] scales;
    private final int[] zeroPoints;

    private QuantParams(float[] scales, int[] zeroPoints) {
        if (scales.length == 0) {
            throw new IllegalArgumentException("at least one scale is needed, got none");
        }
        if (zeroPoints.length != scales.length) {
            throw new IllegalArgumentException("zero points must match scales: " + scales.length
                    + " scales, " + zeroPoints.length + " zero points");
        }
        for (int c = 0; c < scales.length; c++) {
            if (!(scales[c] > 0f && scales[c] < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("scale " + c + " must be finite and > 0, got " + scales[c]);
            }
        }
        this.scales = scales;
        this.zeroPoints = zeroPoints;
    }

    /** One scale and zero point for the whole tensor. */
    public static QuantParams perTensor(float scale, int zeroPoint) {
        return new QuantParams(new float[] {scale}, new int[] {zeroPoint});
    }

    /** Symmetric per-tensor parameters: zero point 0. */
    public static QuantParams symmetric(float scale) {
        return perTensor(scale, 0);
    }

    /** Per-channel parameters; the arrays are copied. */
    public static QuantParams of(float[] scales, int[] zeroPoints) {
        return new QuantParams(scales.clone(), zeroPoints.clone());
    }

    /** Per-channel symmetric parameters (zero points 0); the array is copied. */
    public static QuantParams symmetric(float[] scales) {
        return new QuantParams(scales.clone(), new int[scales.length]);
    }

    public int channels() {
        return scales.length;
    }

    public float scale(int channel) {
        return scales[channel];
    }

    public int zeroPoint(int channel) {
        return zeroPoints[channel];
    }

    /** {@return a copy of the scales} */
    public float[] scales() {
        return scales.clone();
    }

    /** {@return a copy of the zero points} */
    public int[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** {@return true when every zero point is 0, so none needs storing} */
    public boolean isSymmetric() {
        for (int z : zeroPoints) {
            if (z != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantParams p && Arrays.equals(p.scales, scales) && Arrays.equals(p.zeroPoints, zeroPoints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints);
    }

    @Override
    public String toString() {
        return "QuantParams[scales=" + Arrays.toString(scales) + ", zeroPoints=" + Arrays.toString(zeroPoints) + "]";
    }
}
