package org.cfq.faithful;

/**
 * What one CFQ epoch did, for the history in {@link CfqResult} and progress reports.
 *
 * @param epoch              1-based epoch number
 * @param temperature        the Gumbel-softmax temperature of the epoch
 * @param loss               mean total training loss over the epoch's batches (budget penalty included)
 * @param dataLoss           mean task cross-entropy
 * @param counterfactualLoss mean weighted faithfulness terms (eta, hinge, matching)
 * @param distillLoss        mean weighted distillation loss (0 when off)
 * @param studentMatchLoss   mean weighted student-matching term of {@code cfq-match} (0 when off; also in
 *                           {@code counterfactualLoss})
 * @param expectedBits       E[bits] under the selection logits at the end of the epoch
 * @param averageBits        the average bits of the widths this epoch's student uses
 * @param bitsPerLayer       those widths
 * @param counterfactualRows teacher counterfactual rows trained on in the epoch
 * @param counterfactualValidity share of them the student (as sampled in training) scored favorably
 * @param validationAccuracy the student's validation accuracy after the epoch (NaN without validation rows)
 * @param improved           whether this epoch's student became the selected one
 * @param seconds            wall-clock seconds of the epoch's training steps (validation excluded)
 */
public record CfqEpoch(int epoch, double temperature, double loss, double dataLoss, double counterfactualLoss,
                       double distillLoss, double studentMatchLoss, double expectedBits, double averageBits, int[] bitsPerLayer,
                       int counterfactualRows, double counterfactualValidity, double validationAccuracy,
                       boolean improved, double seconds) {
    public CfqEpoch {
        bitsPerLayer = bitsPerLayer.clone();
    }

    @Override
    public int[] bitsPerLayer() {
        return bitsPerLayer.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CfqEpoch e && e.epoch == epoch && Double.compare(e.temperature, temperature) == 0
                && Double.compare(e.loss, loss) == 0 && Double.compare(e.dataLoss, dataLoss) == 0
                && Double.compare(e.counterfactualLoss, counterfactualLoss) == 0
                && Double.compare(e.distillLoss, distillLoss) == 0
                && Double.compare(e.studentMatchLoss, studentMatchLoss) == 0
                && Double.compare(e.expectedBits, expectedBits) == 0 && Double.compare(e.averageBits, averageBits) == 0
                && java.util.Arrays.equals(e.bitsPerLayer, bitsPerLayer) && e.counterfactualRows == counterfactualRows
                && Double.compare(e.counterfactualValidity, counterfactualValidity) == 0
                && Double.compare(e.validationAccuracy, validationAccuracy) == 0 && e.improved == improved
                && Double.compare(e.seconds, seconds) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bitsPerLayer) * 31 + epoch;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "epoch %d tau=%.3f loss=%.4f data=%.4f cf=%.4f distill=%.4f match=%.4f E[bits]=%.3f bits=%s (avg %.3f) "
                        + "cfRows=%d cfValid=%.3f valAcc=%.4f%s %.2fs",
                epoch, temperature, loss, dataLoss, counterfactualLoss, distillLoss, studentMatchLoss, expectedBits,
                java.util.Arrays.toString(bitsPerLayer), averageBits, counterfactualRows, counterfactualValidity,
                validationAccuracy, improved ? " *" : "", seconds);
    }
}
