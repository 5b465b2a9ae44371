package org.cfq.quant;

import java.util.ArrayList;
import java.util.List;
import org.cfq.bounds.BoundNetwork;
import org.cfq.bounds.StepActivation;
import org.cfq.model.DenseLayer;

/**
 * A fake-quantized model as sound bounds see it: its dequantized float32 weights, its float32
 * biases and its hidden activation quantizers as {@link StepActivation}s (the same float32
 * formula, so the bound network computes exactly what {@link QuantizedMlp} computes).
 *
 * <p>The integer engine ({@code quant.integer.IntegerMlp}) built from the same model has the
 * same bound network: its activation codes and decisions equal the fake-quantized model's by
 * construction, and its logits differ from the exact value by less than the rounding the bounds
 * allow (see {@link org.cfq.bounds.BoundEngine}).
 */
public final class QuantizedBounds {
    private QuantizedBounds() {
    }

    /**
     * @throws IllegalArgumentException for a per-channel activation quantizer
     */
    public static BoundNetwork network(QuantizedMlp model) {
        List<DenseLayer> layers = new ArrayList<>();
        List<StepActivation> steps = new ArrayList<>();
        List<QuantizedLayer> ql = model.layers();
        for (int l = 0; l < ql.size(); l++) {
            QuantizedLayer q = ql.get(l);
            layers.add(new DenseLayer(q.in(), q.out(), q.dequantizedWeight(), q.bias()));
            if (l < ql.size() - 1) {
                steps.add(step(q.activationQuantizer()));
            }
        }
        return BoundNetwork.of(layers, steps);
    }

    /** The activation quantizer as a step, null for none. */
    public static StepActivation step(UniformQuantizer aq) {
        if (aq == null) {
            return null;
        }
        if (aq.params().channels() != 1) {
            throw new IllegalArgumentException("activation quantizers are per tensor, got " + aq.params().channels()
                    + " channels");
        }
        return new StepActivation(aq.params().scale(0), aq.params().zeroPoint(0), aq.spec().qmin(), aq.spec().qmax());
    }
}
