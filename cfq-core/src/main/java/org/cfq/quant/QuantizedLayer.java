package org.cfq.quant;

import java.util.Objects;
import org.cfq.model.DenseLayer;

/**
 * One affine layer of a {@link QuantizedMlp}: integer weight codes with their quantizer,
 * a float32 bias (kept in float, as in PyTorch's fake-quant modules, and accounted
 * separately), and an optional quantizer of the layer's ReLU output.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class QuantizedLayer {
    private final int in;
    private final int out;
    private final UniformQuantizer weightQuantizer;
    private final int[] codes;
    private final float[] bias;
    private final UniformQuantizer activationQuantizer;
    private final float[] weightHat;

    /**
     * @param codes               weight codes, (out x in) row-major
     * @param bias                float bias, (out)
     * @param activationQuantizer unsigned quantizer of the ReLU output, or null for none
     *                            (always null on the output layer)
     * @throws IllegalArgumentException on a shape mismatch, a code off the grid, a
     *                                  per-channel quantizer with the wrong channel count, or
     *                                  a signed activation quantizer
     */
    public QuantizedLayer(int in, int out, UniformQuantizer weightQuantizer, int[] codes, float[] bias,
                          UniformQuantizer activationQuantizer) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got in=" + in + ", out=" + out);
        }
        this.weightQuantizer = Objects.requireNonNull(weightQuantizer, "weightQuantizer");
        if (codes.length != in * out) {
            throw new IllegalArgumentException("codes length must be out*in = " + (in * out) + ", got " + codes.length);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias length must be out = " + out + ", got " + bias.length);
        }
        int ch = weightQuantizer.params().channels();
        if (weightQuantizer.spec().granularity() == Granularity.CHANNEL && ch != out) {
            throw new IllegalArgumentException("a per-channel weight quantizer needs out = " + out
                    + " scales, got " + ch);
        }
        if (activationQuantizer != null && activationQuantizer.spec().signed()) {
            throw new IllegalArgumentException("activations after ReLU need an unsigned quantizer, got "
                    + activationQuantizer.spec());
        }
        this.in = in;
        this.out = out;
        this.codes = codes.clone();
        this.bias = bias.clone();
        this.activationQuantizer = activationQuantizer;
        this.weightHat = new float[codes.length];
        weightQuantizer.dequantize(this.codes, weightHat);
    }

    /** Quantizes a float layer's weights with the given quantizer. */
    public static QuantizedLayer quantize(DenseLayer layer, UniformQuantizer weightQuantizer,
                                          UniformQuantizer activationQuantizer) {
        return new QuantizedLayer(layer.in(), layer.out(), weightQuantizer,
                weightQuantizer.quantize(layer.weight()), layer.bias(), activationQuantizer);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** {@return the weight bit width} */
    public int bits() {
        return weightQuantizer.spec().bits();
    }

    public UniformQuantizer weightQuantizer() {
        return weightQuantizer;
    }

    /** {@return a copy of the weight codes, (out x in)} */
    public int[] codes() {
        return codes.clone();
    }

    /** {@return a copy of the bias} */
    public float[] bias() {
        return bias.clone();
    }

    /** {@return the ReLU-output quantizer, or null when activations stay in float} */
    public UniformQuantizer activationQuantizer() {
        return activationQuantizer;
    }

    /** {@return a copy of the dequantized weights {@code (q - z) * s}, (out x in)} */
    public float[] dequantizedWeight() {
        return weightHat.clone();
    }

    /** The live dequantized weight, for this package's kernels only. */
    float[] weightHatView() {
        return weightHat;
    }

    /** The live bias, for this package's kernels only. */
    float[] biasView() {
        return bias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedLayer l && l.in == in && l.out == out
                && l.weightQuantizer.equals(weightQuantizer) && java.util.Arrays.equals(l.codes, codes)
                && java.util.Arrays.equals(l.bias, bias) && Objects.equals(l.activationQuantizer, activationQuantizer);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(codes) * 31 + weightQuantizer.hashCode();
    }
}
