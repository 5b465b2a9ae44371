package org.cfq.faithful;

import java.util.List;
import java.util.Objects;
import org.cfq.quant.QuantizedMlp;

/**
 * The outcome of CFQ.
 *
 * @param student               the selected student: an ordinary {@link QuantizedMlp}, so the audit,
 *                              the integer engine and the model files work on it
 * @param bitsPerLayer          its weight width per layer
 * @param averageBits           its parameter-weighted average weight bits
 * @param bestEpoch             the epoch whose student was selected (by validation accuracy)
 * @param history               one entry per epoch run
 * @param teacherSearchSeconds  seconds spent searching teacher counterfactuals before the first
 *                              epoch (0 when they are searched in every batch; then they are in
 *                              the epoch times)
 * @param seconds               wall-clock seconds of the whole call
 * @param config                the configuration that produced it
 */
public record CfqResult(QuantizedMlp student, int[] bitsPerLayer, double averageBits, int bestEpoch,
                        List<CfqEpoch> history, double teacherSearchSeconds, double seconds, CfqConfig config) {
    public CfqResult {
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(config, "config");
        bitsPerLayer = bitsPerLayer.clone();
        history = List.copyOf(history);
    }

    @Override
    public int[] bitsPerLayer() {
        return bitsPerLayer.clone();
    }

    /** {@return the number of epochs run} */
    public int epochsRun() {
        return history.size();
    }

    /** {@return the mean seconds of one epoch's training steps, NaN when none ran} */
    public double secondsPerEpoch() {
        return history.stream().mapToDouble(CfqEpoch::seconds).average().orElse(Double.NaN);
    }

    /** {@return whether the student's average bits are within the budget} */
    public boolean withinBudget() {
        long bits = 0;
        long weights = 0;
        for (org.cfq.quant.QuantizedLayer l : student.layers()) {
            long n = (long) l.in() * l.out();
            bits += n * l.bits();
            weights += n;
        }
        return bits <= config.budget().bits().maxWeightBits(weights);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CfqResult r && r.student.equals(student) && java.util.Arrays.equals(r.bitsPerLayer,
                bitsPerLayer) && Double.compare(r.averageBits, averageBits) == 0 && r.bestEpoch == bestEpoch
                && r.history.equals(history) && Double.compare(r.teacherSearchSeconds, teacherSearchSeconds) == 0
                && Double.compare(r.seconds, seconds) == 0 && r.config.equals(config);
    }

    @Override
    public int hashCode() {
        return student.hashCode();
    }
}
