package org.cfq.quant.integer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.Classifier;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.MseCalibrator;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.mixed.BitAllocator;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.LayerSensitivity;
import org.cfq.quant.mixed.SensitivityEstimator;

/**
 * Shared fixture for deployment tests: the quantized students of one teacher at every width
 * 2..8, per tensor and per channel, weights only and with hidden activations at the same
 * width, plus a mixed allocation (exact allocator at an average of 3 bits) with float and
 * with 8-bit activations.
 */
public final class QuantizedVariants {
    private QuantizedVariants() {
    }

    /** One student and how it was made. */
    public record Variant(String name, QuantizedMlp model) {
    }

    /**
     * Decision and logit agreement of two classifiers on the same rows.
     *
     * @param rowsBeyondTolerance rows with a logit gap above {@link #LOGIT_TOLERANCE}
     *                            {@code * (1 + |logit|)}
     */
    public record Agreement(int rows, int decisionMismatches, double maxAbsLogitDiff, double maxAbsLogit,
                            int rowsBeyondTolerance) {
    }

    /** Relative logit tolerance: float32 rounding of the accumulation, with margin. */
    public static final double LOGIT_TOLERANCE = 1e-5;

    /**
     * @param trainX rows to calibrate activations on, (trainRows x inputDim)
     * @param valX   rows to measure layer sensitivity on for the mixed allocation
     */
    public static List<Variant> all(Mlp teacher, float[] trainX, int trainRows, float[] valX, int[] valY,
                                    int valRows, long seed) {
        List<Variant> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (Granularity g : Granularity.values()) {
            for (int bits = QuantSpec.MIN_BITS; bits <= QuantSpec.MAX_BITS; bits++) {
                for (int act : new int[] {0, bits}) {
                    PtqConfig c = PtqConfig.defaults().withGranularity(g).withActivationBits(act);
                    out.add(new Variant("W" + bits + (act == 0 ? "" : "A" + act) + "-" + g.name().toLowerCase(),
                            PostTrainingQuantizer.quantize(teacher, bits, c, trainX, trainRows, rng.split())));
                }
            }
        }
        int[] mixed = mixedAllocation(teacher, valX, valY, valRows);
        for (int act : new int[] {0, 8}) {
            PtqConfig c = PtqConfig.defaults().withActivationBits(act);
            out.add(new Variant("mixed" + java.util.Arrays.toString(mixed) + (act == 0 ? "" : "A" + act),
                    PostTrainingQuantizer.quantize(teacher, mixed, c, valX, valRows, rng.split())));
        }
        return out;
    }

    /** The exact allocator's widths at an average budget of 3 bits over {2, 3, 4, 8}. */
    public static int[] mixedAllocation(Mlp teacher, float[] x, int[] y, int rows) {
        BitBudget budget = BitBudget.of(3.0);
        LayerSensitivity s = SensitivityEstimator.lossIncrease(teacher, x, y, rows, budget.candidateArray(),
                QuantSpec::weights, MseCalibrator.defaults());
        int[] n = teacher.layers().stream().mapToInt(l -> l.in() * l.out()).toArray();
        return BitAllocator.allocate(n, s, budget).bits();
    }

    /** Compares the logits and decisions (margin &gt; 0) of two classifiers on every row. */
    public static Agreement compare(Classifier a, Classifier b, float[] x, int rows) {
        float[] la = new float[rows * 2];
        float[] lb = new float[rows * 2];
        a.logits(x, rows, la);
        b.logits(x, rows, lb);
        int mismatches = 0;
        double maxDiff = 0;
        double maxAbs = 0;
        int beyond = 0;
        for (int r = 0; r < rows; r++) {
            boolean fa = la[2 * r + 1] - la[2 * r] > 0f;
            boolean fb = lb[2 * r + 1] - lb[2 * r] > 0f;
            if (fa != fb) {
                mismatches++;
            }
            boolean within = true;
            for (int k = 2 * r; k < 2 * r + 2; k++) {
                double diff = Math.abs((double) la[k] - lb[k]);
                maxDiff = Math.max(maxDiff, diff);
                maxAbs = Math.max(maxAbs, Math.abs(la[k]));
                within &= diff <= LOGIT_TOLERANCE * (1 + Math.abs(la[k]));
            }
            if (!within) {
                beyond++;
            }
        }
        return new Agreement(rows, mismatches, maxDiff, maxAbs, beyond);
    }
}
