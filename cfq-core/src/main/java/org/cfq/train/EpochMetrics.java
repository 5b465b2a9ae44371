package org.cfq.train;

/**
 * The metrics of one finished epoch, for progress display.
 *
 * @param epoch              1-based epoch number
 * @param maxEpochs          the configured maximum
 * @param trainLoss          mean training cross-entropy over the epoch's batches
 * @param validationLoss     mean validation cross-entropy, NaN without a validation split
 * @param validationAccuracy validation accuracy, NaN without a validation split
 * @param improved           whether this epoch became the best so far
 * @param seconds            wall-clock time of this epoch
 */
public record EpochMetrics(int epoch, int maxEpochs, double trainLoss, double validationLoss,
                           double validationAccuracy, boolean improved, double seconds) {
}
