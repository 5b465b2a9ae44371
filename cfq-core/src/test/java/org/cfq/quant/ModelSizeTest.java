package org.cfq.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSizeTest {

    @Test
    void of_mixedWidthsAndActivationQuantizer_countsEveryPart() {
        // layer 0: 3 -> 4, 4 bits per tensor, activation quantizer (scale only)
        // layer 1: 4 -> 2, 2 bits per channel (2 scales)
        QuantizedLayer l0 = new QuantizedLayer(3, 4, new UniformQuantizer(QuantSpec.weights(4), QuantParams.symmetric(0.1f)),
                new int[12], new float[4],
                new UniformQuantizer(QuantSpec.unsignedActivations(8), QuantParams.symmetric(0.05f)));
        QuantizedLayer l1 = new QuantizedLayer(4, 2, new UniformQuantizer(QuantSpec.weights(2, Granularity.CHANNEL),
                QuantParams.symmetric(new float[] {0.1f, 0.2f})), new int[8], new float[2], null);
        ModelSize size = new QuantizedMlp(List.of(l0, l1)).size();
        // weights: 12 * 4 + 8 * 2 = 64 bits; scales: (1 + 1) * 32 + 2 * 32 = 128; biases: 6 * 32 = 192
        assertThat(size.weightBits()).isEqualTo(64);
        assertThat(size.scaleBits()).isEqualTo(128);
        assertThat(size.biasBits()).isEqualTo(192);
        assertThat(size.totalBits()).isEqualTo(384);
        assertThat(size.totalBytes()).isEqualTo(48);
        assertThat(size.averageWeightBits()).isEqualTo(64.0 / 20);
        assertThat(size.layers().get(1).weightBytes()).isEqualTo(2);
        assertThat(size.floatBits()).isEqualTo(20 * 32 + 192);
    }

    @Test
    void of_affineZeroPoints_areCounted() {
        QuantizedLayer l = new QuantizedLayer(1, 2, new UniformQuantizer(new QuantSpec(3, false, false, Granularity.TENSOR),
                QuantParams.perTensor(0.5f, 2)), new int[2], new float[2], null);
        // 2 weights * 3 bits; scale 32 + zero point 32
        ModelSize size = ModelSize.of(new QuantizedMlp(List.of(l)));
        assertThat(size.weightBits()).isEqualTo(6);
        assertThat(size.scaleBits()).isEqualTo(64);
    }
}
