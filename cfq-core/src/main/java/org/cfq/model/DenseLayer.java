package org.cfq.model;

import java.util.Arrays;

/**
 * One affine layer {@code y = x W^T + b}: weight (out x in) row-major, bias (out).
 *
 * <p>The arrays are owned by the layer and mutated only by training loops; callers
 * that need a snapshot use {@link #copy()}.
 */
public final class DenseLayer {
    private final int in;
    private final int out;
    private final float[] weight;
    private final float[] bias;

    /**
     * @throws IllegalArgumentException when the shapes disagree
     */
    public DenseLayer(int in, int out, float[] weight, float[] bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got in=" + in + ", out=" + out);
        }
        if (weight.length != in * out) {
            throw new IllegalArgumentException("weight length must be out*in = " + (in * out) + ", got " + weight.length);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias length must be out = " + out + ", got " + bias.length);
        }
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
    }

    /** A zero layer of the given shape. */
    public static DenseLayer zeros(int in, int out) {
        return new DenseLayer(in, out, new float[in * out], new float[out]);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** The live weight array, (out x in) row-major. */
    public float[] weight() {
        return weight;
    }

    /** The live bias array, (out). */
    public float[] bias() {
        return bias;
    }

    public int parameterCount() {
        return weight.length + bias.length;
    }

    public DenseLayer copy() {
        return new DenseLayer(in, out, weight.clone(), bias.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer l && l.in == in && l.out == out
                && Arrays.equals(l.weight, weight) && Arrays.equals(l.bias, bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weight) + Arrays.hashCode(bias);
    }
}
