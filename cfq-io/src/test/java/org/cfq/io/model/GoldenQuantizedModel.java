package org.cfq.io.model;

import java.util.List;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * A hand-set quantized twin of {@link GoldenModel}; {@code golden/quantized-model-v1.json}
 * holds it as written by format version 1.
 *
 * <p>Layer 0: 4-bit codes with scale 0.25 (0.5 -> 2, 1 -> 4, -1 -> -4, 0.25 -> 1, -0.5 -> -2,
 * -0.25 -> -1), so its dequantized weights are the teacher's exactly. Layer 1: 3-bit codes
 * with scale 1 (1, -1, -1, 2). The hidden ReLU outputs are quantized unsigned 8-bit with
 * scale 0.25, which keeps the golden rows' hidden values (1.25, 0.5) and (0.25, 0.25) on the
 * grid; so the logits are the teacher's pinned logits, (1.0, -0.5) and (0.25, 0.0).
 */
final class GoldenQuantizedModel {
    private GoldenQuantizedModel() {
    }

    static SavedQuantizedModel build() {
        SavedModel teacher = GoldenModel.build();
        QuantizedLayer l0 = new QuantizedLayer(7, 2,
                new UniformQuantizer(QuantSpec.weights(4), QuantParams.symmetric(0.25f)),
                new int[] {2, 4, 0, -4, 1, 0, 2, -2, 0, 2, 0, 2, 4, -1}, new float[] {0.5f, 0f},
                new UniformQuantizer(QuantSpec.unsignedActivations(8), QuantParams.symmetric(0.25f)));
        QuantizedLayer l1 = new QuantizedLayer(2, 2,
                new UniformQuantizer(QuantSpec.weights(3), QuantParams.symmetric(1f)),
                new int[] {1, -1, -1, 2}, new float[] {0.25f, -0.25f}, null);
        return new SavedQuantizedModel(new QuantizedMlp(List.of(l0, l1)), teacher.encoder(), "ptq", 4.0,
                "0".repeat(64), teacher.provenance());
    }
}
