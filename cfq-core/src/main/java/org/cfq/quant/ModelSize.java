package org.cfq.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * Size accounting of a quantized model, per layer and in total.
 *
 * <p>Weights cost their bit width each (densely packed). Every scale is a float32 (32 bits);
 * zero points are counted as int32 only when some is non-zero (symmetric quantizers store
 * none); an activation quantizer costs its scale and zero point the same way. Biases stay
 * float32 (32 bits each) and are reported separately, as is the weight-only average.
 *
 * @param layers one entry per layer, first to last
 */
public record ModelSize(List<LayerSize> layers) {
    /** Bits of one float32 scale or int32 zero point. */
    public static final int PARAM_BITS = 32;

    public ModelSize {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model size needs at least one layer, got none");
        }
    }

    /**
     * The size of one layer.
     *
     * @param weights        number of weights (out * in)
     * @param bits           weight bit width
     * @param weightBits     {@code weights * bits}
     * @param scaleBits      weight scales, weight zero points and activation-quantizer parameters
     * @param biasBits       float32 biases
     */
    public record LayerSize(int weights, int bits, long weightBits, long scaleBits, long biasBits) {
        public LayerSize {
            if (weights <= 0) {
                throw new IllegalArgumentException("weights must be > 0, got " + weights);
            }
            QuantSpec.checkBits(bits);
        }

        /** {@return weight, scale and bias bits together} */
        public long totalBits() {
            return weightBits + scaleBits + biasBits;
        }

        /** {@return the packed weight bytes, rounded up} */
        public long weightBytes() {
            return (weightBits + 7) / 8;
        }
    }

    /** Accounts a quantized model. */
    public static ModelSize of(QuantizedMlp model) {
        List<LayerSize> out = new ArrayList<>();
        for (QuantizedLayer l : model.layers()) {
            int weights = l.in() * l.out();
            long scale = paramBits(l.weightQuantizer());
            if (l.activationQuantizer() != null) {
                scale += paramBits(l.activationQuantizer());
            }
            out.add(new LayerSize(weights, l.bits(), (long) weights * l.bits(), scale, (long) l.out() * PARAM_BITS));
        }
        return new ModelSize(out);
    }

    private static long paramBits(UniformQuantizer q) {
        QuantParams p = q.params();
        return (long) p.channels() * PARAM_BITS + (p.isSymmetric() ? 0L : (long) p.channels() * PARAM_BITS);
    }

    /** {@return the number of weights (biases excluded)} */
    public long weights() {
        return layers.stream().mapToLong(LayerSize::weights).sum();
    }

    public long weightBits() {
        return layers.stream().mapToLong(LayerSize::weightBits).sum();
    }

    public long scaleBits() {
        return layers.stream().mapToLong(LayerSize::scaleBits).sum();
    }

    public long biasBits() {
        return layers.stream().mapToLong(LayerSize::biasBits).sum();
    }

    /** {@return weights, scales and biases together} */
    public long totalBits() {
        return weightBits() + scaleBits() + biasBits();
    }

    /** {@return the total rounded up to whole bytes} */
    public long totalBytes() {
        return (totalBits() + 7) / 8;
    }

    /** {@return the parameter-weighted average bits per weight (the budgeted quantity)} */
    public double averageWeightBits() {
        return (double) weightBits() / weights();
    }

    /** {@return the float32 size of the same network, for the compression ratio} */
    public long floatBits() {
        return (weights() * 32L) + biasBits();
    }
}
