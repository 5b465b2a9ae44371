package org.cfq.train;

import java.util.List;
import java.util.Objects;
import org.cfq.model.Mlp;

/**
 * What {@link MlpTrainer#train} produced.
 *
 * @param model              the network with the best epoch's weights restored
 * @param config             the configuration it was trained with
 * @param epochsRun          epochs actually run (at most {@link TrainingConfig#maxEpochs()})
 * @param bestEpoch          1-based epoch whose weights {@code model} holds
 * @param trainLoss          mean training cross-entropy per epoch (averaged over the epoch's batches)
 * @param validationLoss     mean validation cross-entropy per epoch; NaN entries when there was no validation split
 * @param validationAccuracy validation accuracy per epoch, in [0, 1]; NaN entries without a validation split
 * @param seconds            wall-clock training time
 */
public record TrainingResult(Mlp model, TrainingConfig config, int epochsRun, int bestEpoch, List<Double> trainLoss,
                             List<Double> validationLoss, List<Double> validationAccuracy, double seconds) {
    public TrainingResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        trainLoss = List.copyOf(trainLoss);
        validationLoss = List.copyOf(validationLoss);
        validationAccuracy = List.copyOf(validationAccuracy);
        if (epochsRun < 1 || trainLoss.size() != epochsRun || validationLoss.size() != epochsRun
                || validationAccuracy.size() != epochsRun) {
            throw new IllegalArgumentException("need epochsRun >= 1 and one metric per epoch, got epochsRun="
                    + epochsRun + " and " + trainLoss.size() + "/" + validationLoss.size() + "/"
                    + validationAccuracy.size() + " metrics");
        }
        if (bestEpoch < 1 || bestEpoch > epochsRun) {
            throw new IllegalArgumentException("bestEpoch must be in [1, " + epochsRun + "], got " + bestEpoch);
        }
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
        }
    }

    /** {@return the validation accuracy at the best epoch} */
    public double bestValidationAccuracy() {
        return validationAccuracy.get(bestEpoch - 1);
    }

    /** {@return the validation loss at the best epoch} */
    public double bestValidationLoss() {
        return validationLoss.get(bestEpoch - 1);
    }

    /** {@return the mean wall-clock time of one epoch} */
    public double secondsPerEpoch() {
        return seconds / epochsRun;
    }
}
