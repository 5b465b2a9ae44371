package org.cfq.quant.method;

import java.util.List;
import java.util.Objects;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.mixed.BitAllocation;
import org.cfq.quant.mixed.LayerSensitivity;

/**
 * A quantized model and how it was obtained.
 *
 * @param model          the fake-quantized model
 * @param request        what was asked
 * @param allocation     the exact width allocation ({@code MIXED} only, else null)
 * @param sensitivity    the per-layer sensitivities behind it ({@code MIXED} only, else null)
 * @param epochSeconds   seconds of each fine-tuning epoch (empty for PTQ)
 * @param bestEpoch      the fine-tuning epoch kept (0: before fine-tuning; 0 for PTQ)
 * @param seconds        wall-clock seconds of the whole quantization
 */
public record QuantizationOutcome(QuantizedMlp model, QuantizeRequest request, BitAllocation allocation,
                                  LayerSensitivity sensitivity, List<Double> epochSeconds, int bestEpoch,
                                  double seconds) {
    public QuantizationOutcome {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        epochSeconds = List.copyOf(epochSeconds);
    }

    /** {@return the mean seconds per fine-tuning epoch, NaN for PTQ} */
    public double secondsPerEpoch() {
        return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
