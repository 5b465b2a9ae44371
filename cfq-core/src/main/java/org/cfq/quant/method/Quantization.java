package org.cfq.quant.method;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.Splits;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.MseCalibrator;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.mixed.BitAllocation;
import org.cfq.quant.mixed.BitAllocator;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.LayerSensitivity;
import org.cfq.quant.mixed.SensitivityEstimator;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.qat.ActivationMode;
import org.cfq.quant.qat.QatConfig;
import org.cfq.quant.qat.QatResult;
import org.cfq.quant.qat.QatTrainer;
import org.cfq.quant.qat.WeightMode;

/** Runs one quantization method on a float teacher. */
public final class Quantization {
    /** Rademacher probes per layer for the Hutchinson trace estimate. */
    static final int HUTCHINSON_PROBES = 16;

    private Quantization() {
    }

    /**
     * Quantizes the teacher (which is not modified), calibrating and fine-tuning on the
     * training rows of {@code splits} and selecting on its validation rows, which may be empty
     * (the test rows are never read).
     *
     * @param splits the rows in the teacher's model space; read only
     * @param rng    the only source of randomness (calibration and sensitivity samples, shuffles)
     */
    public static QuantizationOutcome run(Mlp teacher, QuantizeRequest request, EncodedSplits splits,
                                          SplittableRandom rng, QatTrainer.Listener listener) {
        float[] x = splits.trainX();
        int[] y = splits.trainY();
        float[] xVal = splits.validationX();
        int[] yVal = splits.validationY();
        long t0 = System.nanoTime();
        int layers = teacher.layers().size();
        SplittableRandom calib = rng.split();
        SplittableRandom sens = rng.split();
        SplittableRandom train = rng.split();
        int aBits = request.effectiveActivationBits();
        QuantMethod method = request.method();
        if (method == QuantMethod.PTQ) {
            PtqConfig cfg = PtqConfig.defaults().withGranularity(request.granularity()).withActivationBits(aBits);
            int[] bits = uniform(layers, (int) request.bits());
            var model = PostTrainingQuantizer.quantize(teacher, bits, cfg, x, y.length, calib);
            return new QuantizationOutcome(model, request, null, null, List.of(), 0, seconds(t0));
        }
        QatConfig cfg = request.training().withGranularity(request.granularity());
        ActivationMode act = aBits == 0 ? ActivationMode.NONE
                : method == QuantMethod.PACT ? ActivationMode.PACT : ActivationMode.CALIBRATED;
        cfg = cfg.withActivations(act, aBits)
                .withWeightMode(method == QuantMethod.QAT ? WeightMode.STE : WeightMode.LSQ);
        int[] bits;
        BitAllocation allocation = null;
        LayerSensitivity sensitivity = null;
        if (method == QuantMethod.MIXED) {
            BitBudget budget = new BitBudget(request.bits(), request.candidates());
            int n = Math.min(request.sensitivityRows(), y.length);
            int width = teacher.inputDim();
            int[] idx = Splits.sampleIndices(y.length, n, sens);
            float[] xs = new float[n * width];
            int[] ys = new int[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, idx[i] * width, xs, i * width, width);
                ys[i] = y[idx[i]];
            }
            final QatConfig c = cfg;
            sensitivity = request.sensitivity() == SensitivityMethod.HUTCHINSON
                    ? SensitivityEstimator.hutchinson(teacher, xs, ys, n, budget.candidateArray(), c::weightSpec,
                            MseCalibrator.defaults(), HUTCHINSON_PROBES, sens.split())
                    : SensitivityEstimator.lossIncrease(teacher, xs, ys, n, budget.candidateArray(), c::weightSpec,
                            MseCalibrator.defaults());
            allocation = BitAllocator.allocate(weightCounts(teacher), sensitivity, budget);
            bits = allocation.bits();
        } else {
            bits = uniform(layers, (int) request.bits());
        }
        QatResult r = new QatTrainer(cfg).train(teacher, bits, x, y, xVal, yVal, train, listener);
        return new QuantizationOutcome(r.model(), request, allocation, sensitivity, r.epochSeconds(), r.bestEpoch(),
                seconds(t0));
    }

    /** {@return the weight count of each layer} */
    public static int[] weightCounts(Mlp m) {
        List<DenseLayer> ls = m.layers();
        int[] n = new int[ls.size()];
        for (int l = 0; l < n.length; l++) {
            n[l] = ls.get(l).weight().length;
        }
        return n;
    }

    private static int[] uniform(int layers, int bits) {
        int[] b = new int[layers];
        Arrays.fill(b, bits);
        return b;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
