package org.cfq.quant.method;

import java.util.List;
import java.util.Objects;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.qat.ModelSelection;
import org.cfq.quant.qat.QatConfig;

/**
 * What to quantize and how.
 *
 * @param method          the method
 * @param bits            weight bits: a whole width in [2, 8] for the uniform methods, the
 *                        average-bits budget (any value &gt;= the smallest candidate) for {@code MIXED}
 * @param activationBits  hidden-activation bits (unsigned), 0 to keep activations in float;
 *                        {@code PACT} with 0 quantizes them at {@code round(bits)}
 * @param granularity     weight scales per tensor or per output channel
 * @param candidates      the widths {@code MIXED} may choose from
 * @param training        epochs, batch, learning rate, distillation for the fine-tuning methods
 * @param sensitivityRows training rows sampled to measure per-layer sensitivities
 * @param sensitivity     how {@code MIXED} estimates the sensitivities
 */
public record QuantizeRequest(QuantMethod method, double bits, int activationBits, Granularity granularity,
                              List<Integer> candidates, QatConfig training, int sensitivityRows,
                              SensitivityMethod sensitivity) {
    public QuantizeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(sensitivity, "sensitivity");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(training, "training");
        candidates = List.copyOf(candidates);
        if (method == QuantMethod.MIXED) {
            new BitBudget(bits, candidates);
        } else if (!(bits == Math.rint(bits)) || bits < QuantSpec.MIN_BITS || bits > QuantSpec.MAX_BITS) {
            throw new IllegalArgumentException("bits must be a whole number in [2, 8] for method " + method.id()
                    + ", got " + bits + "; use --method mixed for a fractional average");
        }
        if (activationBits != 0) {
            QuantSpec.checkBits(activationBits);
        }
        if (sensitivityRows <= 0) {
            throw new IllegalArgumentException("sensitivityRows must be > 0, got " + sensitivityRows);
        }
    }

    /**
     * Defaults for a method and width: float activations, per tensor, candidates 2, 3, 4, 8,
     * the method's {@link #defaultTraining default training}, sensitivities by measured loss
     * increase on 2048 rows.
     */
    public static QuantizeRequest of(QuantMethod method, double bits) {
        return new QuantizeRequest(method, bits, 0, Granularity.TENSOR, BitBudget.DEFAULT_CANDIDATES,
                defaultTraining(method), 2048, SensitivityMethod.LOSS);
    }

    /**
     * The fine-tuning defaults of a method: {@link QatConfig#defaults()} (distillation from the
     * teacher, the epoch closest to it on validation) for LSQ, PACT and mixed; for QAT the
     * textbook recipe the issue names, the task loss with distillation optional (weight 0) and
     * the most accurate validation epoch. PTQ does not fine-tune.
     */
    public static QatConfig defaultTraining(QuantMethod method) {
        QatConfig d = QatConfig.defaults();
        return method == QuantMethod.QAT ? d.withDistillation(0, d.temperature()).withSelection(ModelSelection.ACCURACY)
                : d;
    }

    public QuantizeRequest withCandidates(List<Integer> c) {
        return new QuantizeRequest(method, bits, activationBits, granularity, c, training, sensitivityRows, sensitivity);
    }

    public QuantizeRequest withSensitivity(SensitivityMethod s) {
        return new QuantizeRequest(method, bits, activationBits, granularity, candidates, training, sensitivityRows, s);
    }

    public QuantizeRequest withActivationBits(int a) {
        return new QuantizeRequest(method, bits, a, granularity, candidates, training, sensitivityRows, sensitivity);
    }

    public QuantizeRequest withGranularity(Granularity g) {
        return new QuantizeRequest(method, bits, activationBits, g, candidates, training, sensitivityRows, sensitivity);
    }

    public QuantizeRequest withTraining(QatConfig t) {
        return new QuantizeRequest(method, bits, activationBits, granularity, candidates, t, sensitivityRows, sensitivity);
    }

    /** {@return the activation width in force: PACT defaults to the weight width} */
    public int effectiveActivationBits() {
        if (method == QuantMethod.PACT && activationBits == 0) {
            return (int) Math.round(bits);
        }
        return activationBits;
    }
}
