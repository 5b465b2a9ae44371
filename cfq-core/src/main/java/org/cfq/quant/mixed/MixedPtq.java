package org.cfq.quant.mixed;

import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.MseCalibrator;
import org.cfq.quant.calibrate.OutputCalibration;

/**
 * The paper's training-free mixed precision ({@code mixed-ptq}): the per-layer sensitivity
 * {@link GradientSensitivity#meanAbsGradient mean |dCE/dW|} on calibration rows, a width per
 * layer under the average-bits budget, then {@link OutputCalibration} ({@code ptq-out}) at those
 * widths on the same rows. The widths come from the exact {@link BitAllocator} (this library's
 * choice; scores {@link GradientSensitivity#scores}) or, as published, the {@link GreedyAllocator}.
 */
public final class MixedPtq {
    private MixedPtq() {
    }

    /** How the widths are chosen. */
    public enum Allocation {
        /** The exact allocator over first-order scores (ours, the default). */
        EXACT,
        /** The published greedy ratio. */
        GREEDY
    }

    /** The student, its widths and the sensitivities behind them. */
    public record Result(QuantizedMlp model, BitAllocation allocation, double[] sensitivity,
                         OutputCalibration.Result calibration) {
        public Result {
            Objects.requireNonNull(model, "model");
            sensitivity = sensitivity.clone();
        }

        @Override
        public double[] sensitivity() {
            return sensitivity.clone();
        }
    }

    /**
     * @param x calibration rows (rows x inputDim) and {@code y} their labels, used for both the
     *          sensitivity and the calibration
     */
    public static Result quantize(Mlp teacher, BitBudget budget, Allocation allocation,
                                  OutputCalibration.Config calibration, float[] x, int[] y, int rows,
                                  SplittableRandom rng) {
        double[] s = GradientSensitivity.meanAbsGradient(teacher, x, y, rows);
        int[] n = new int[teacher.layers().size()];
        for (int l = 0; l < n.length; l++) {
            n[l] = teacher.layers().get(l).weight().length;
        }
        BitAllocation alloc = allocation == Allocation.GREEDY ? GreedyAllocator.allocate(n, s, budget)
                : BitAllocator.allocate(n, GradientSensitivity.scores(teacher, s, budget.candidateArray(),
                        b -> QuantSpec.weights(b, Granularity.TENSOR), MseCalibrator.defaults()), budget);
        OutputCalibration.Result c = OutputCalibration.calibrate(teacher, alloc.bits(), calibration, x, rows, rng);
        return new Result(c.model(), alloc, s, c);
    }
}
