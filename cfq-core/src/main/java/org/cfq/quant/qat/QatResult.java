package org.cfq.quant.qat;

import java.util.List;
import java.util.Objects;
import org.cfq.quant.QuantizedMlp;

/**
 * The outcome of quantization-aware fine-tuning.
 *
 * @param model                    the fake-quantized model of the best epoch
 * @param epochsRun                epochs trained (early stopping may end before the configured number)
 * @param bestEpoch                the epoch whose model was kept; 0 is the model before fine-tuning
 * @param validationAccuracy       validation accuracy after each epoch, index 0 before fine-tuning
 * @param validationFidelity       validation distillation loss to the teacher after each epoch (same
 *                                 indexing; NaN without validation rows), the score of
 *                                 {@link ModelSelection#FIDELITY}
 * @param epochSeconds             wall-clock seconds of each epoch's training steps (evaluation excluded)
 * @param steps                    optimizer steps taken in all
 */
public record QatResult(QuantizedMlp model, int epochsRun, int bestEpoch, List<Double> validationAccuracy,
                        List<Double> validationFidelity, List<Double> epochSeconds, long steps) {
    public QatResult {
        Objects.requireNonNull(model, "model");
        validationAccuracy = List.copyOf(validationAccuracy);
        validationFidelity = List.copyOf(validationFidelity);
        epochSeconds = List.copyOf(epochSeconds);
    }

    /** {@return the mean seconds per training epoch, NaN when no epoch ran} */
    public double secondsPerEpoch() {
        return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
