package org.cfq.quant.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.math.Shuffle;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.lsq.LearnedClip;
import org.cfq.quant.lsq.LearnedStepSize;
import org.cfq.train.AdamW;
import org.cfq.train.Batches;

/**
 * The paper's output-calibrated PTQ ({@code ptq-out}): the float weights and biases stay as
 * they are; only the quantizers' parameters (one LSQ weight step per layer, one PACT clip per
 * hidden layer) are fitted so that the quantized network's logits match the teacher's, by the
 * mean squared logit error on calibration rows (the paper: validation rows), Adam with step
 * 5e-3 for 8 epochs. Hidden activations are quantized (unsigned) at their layer's weight
 * width. A block-free relative of output-reconstruction PTQ (Nagel et al., "Up or Down?
 * Adaptive Rounding for Post-Training Quantization", ICML 2020; Li et al., "BRECQ", ICLR 2021)
 * with learned steps (Esser et al., "Learned Step Size Quantization", ICLR 2020) and clips
 * (Choi et al., "PACT", 2018).
 *
 * <p>Start: MSE-calibrated steps (as {@link PostTrainingQuantizer}) and clips at the
 * 99.99th percentile of the calibration rows' activations. The parameters of the epoch with
 * the lowest calibration loss (the start included) are returned.
 */
public final class OutputCalibration {
    private OutputCalibration() {
    }

    /**
     * @param epochs              passes over the calibration rows, &gt;= 1
     * @param batchSize           rows per step, &gt;= 1
     * @param learningRate        Adam step, in (0, 1]
     * @param quantizeActivations quantize hidden activations at their layer's width
     */
    public record Config(int epochs, int batchSize, double learningRate, boolean quantizeActivations) {
        public Config {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs and batchSize must be >= 1, got " + epochs + ", "
                        + batchSize);
            }
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
            }
        }

        /** The paper's: 8 epochs, batch 256, Adam 5e-3, activations quantized. */
        public static Config published() {
            return new Config(8, 256, 5e-3, true);
        }
    }

    /** The calibrated student and its calibration loss before and after. */
    public record Result(QuantizedMlp model, double startLoss, double loss, int bestEpoch) {
        public Result {
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * Calibrates the quantizers of {@code teacher} at the given widths.
     *
     * @param bits  weight width of each layer (hidden activations at the same width)
     * @param calib calibration rows, (rows x inputDim); read only
     * @param rng   seeds the batch order
     */
    public static Result calibrate(Mlp teacher, int[] bits, Config config, float[] calib, int rows,
                                   SplittableRandom rng) {
        List<DenseLayer> tl = teacher.layers();
        int layers = tl.size();
        int width = teacher.inputDim();
        if (bits.length != layers) {
            throw new IllegalArgumentException("bits needs one width per layer (" + layers + "), got " + bits.length);
        }
        if (rows <= 0 || calib.length != rows * width) {
            throw new IllegalArgumentException("calibration rows must be " + rows + " x " + width
                    + " floats with rows > 0, got " + calib.length);
        }
        QuantSpec[] spec = new QuantSpec[layers];
        float[][] steps = new float[layers][];
        float[][] gSteps = new float[layers][];
        float[][] alpha = new float[layers][];
        float[][] gAlpha = new float[layers][];
        int[] aQmax = new int[layers];
        // Start from PTQ: MSE weight steps, percentile activation ranges (measured at 8 bits, the range is what counts).
        PtqConfig ptq = PtqConfig.defaults().withActivationBits(config.quantizeActivations() ? 8 : 0)
                .withGranularity(Granularity.TENSOR);
        QuantizedMlp init = PostTrainingQuantizer.quantize(teacher, bits, ptq, calib, rows, new SplittableRandom(0));
        AdamW opt = new AdamW(config.learningRate(), 0);
        for (int l = 0; l < layers; l++) {
            spec[l] = QuantSpec.weights(bits[l], Granularity.TENSOR);
            steps[l] = new float[] {init.layers().get(l).weightQuantizer().params().scale(0)};
            gSteps[l] = new float[1];
            opt.register(steps[l], gSteps[l], false);
            if (config.quantizeActivations() && l < layers - 1) {
                UniformQuantizer aq = init.layers().get(l).activationQuantizer();
                alpha[l] = new float[] {aq.params().scale(0) * aq.spec().qmax()};
                gAlpha[l] = new float[1];
                aQmax[l] = QuantSpec.unsignedActivations(bits[l]).qmax();
                opt.register(alpha[l], gAlpha[l], false);
            }
        }
        float[] teacherLogits = new float[rows * 2];
        teacher.logits(calib, rows, teacherLogits);

        int batch = Math.min(config.batchSize(), rows);
        float[][] wHat = new float[layers][];
        float[][] dWHat = new float[layers][];
        float[][] dwScratch = new float[layers][];
        float[][] gb = new float[layers][];
        float[][] pre = new float[layers][];
        float[][] act = new float[layers][];
        float[][] delta = new float[layers][];
        for (int l = 0; l < layers; l++) {
            DenseLayer d = tl.get(l);
            wHat[l] = new float[d.weight().length];
            dWHat[l] = new float[d.weight().length];
            dwScratch[l] = new float[d.weight().length];
            gb[l] = new float[d.out()];
            pre[l] = new float[batch * d.out()];
            act[l] = new float[batch * d.out()];
            delta[l] = new float[batch * d.out()];
        }
        float[] xb = new float[batch * width];
        float[] tb = new float[batch * 2];
        int[] order = Batches.order(rows);
        QuantizedMlp best = snapshot(tl, spec, steps, alpha, aQmax, bits);
        double startLoss = loss(best, calib, teacherLogits, rows);
        double bestLoss = startLoss;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            Shuffle.shuffle(order, rng);
            for (int b0 = 0; b0 < rows; b0 += batch) {
                int n = Math.min(batch, rows - b0);
                for (int i = 0; i < n; i++) {
                    int r = order[b0 + i];
                    System.arraycopy(calib, r * width, xb, i * width, width);
                    tb[2 * i] = teacherLogits[2 * r];
                    tb[2 * i + 1] = teacherLogits[2 * r + 1];
                }
                // forward
                float[] input = xb;
                for (int l = 0; l < layers; l++) {
                    DenseLayer d = tl.get(l);
                    LearnedStepSize.forward(d.weight(), steps[l], spec[l], wHat[l]);
                    Dense.affine(input, n, d.in(), wHat[l], d.bias(), d.out(), pre[l]);
                    int m = n * d.out();
                    if (l == layers - 1) {
                        System.arraycopy(pre[l], 0, act[l], 0, m);
                    } else if (alpha[l] != null) {
                        LearnedClip.forward(pre[l], m, alpha[l][0], aQmax[l], act[l]);
                    } else {
                        System.arraycopy(pre[l], 0, act[l], 0, m);
                        Dense.relu(act[l], m);
                    }
                    input = act[l];
                }
                // d/dz of mean over rows of sum_k (z_k - t_k)^2
                float[] out = act[layers - 1];
                float[] dz = delta[layers - 1];
                for (int i = 0; i < 2 * n; i++) {
                    dz[i] = (float) (2.0 * (out[i] - tb[i]) / n);
                }
                opt.zeroGradients();
                for (int l = layers - 1; l >= 0; l--) {
                    DenseLayer d = tl.get(l);
                    float[] in = l == 0 ? xb : act[l - 1];
                    java.util.Arrays.fill(dWHat[l], 0f);
                    Dense.affineWeightGrad(delta[l], in, n, d.in(), d.out(), dWHat[l], gb[l]);
                    LearnedStepSize.backward(d.weight(), steps[l], spec[l], dWHat[l], dwScratch[l], gSteps[l]);
                    if (l == 0) {
                        break;
                    }
                    float[] prev = delta[l - 1];
                    Dense.affineInputGrad(delta[l], n, d.out(), wHat[l], d.in(), prev);
                    int m = n * d.in();
                    if (alpha[l - 1] != null) {
                        gAlpha[l - 1][0] += (float) LearnedClip.backward(pre[l - 1], m, alpha[l - 1][0], prev, prev);
                    } else {
                        Dense.reluGrad(pre[l - 1], prev, m);
                    }
                }
                opt.step();
                for (int l = 0; l < layers; l++) {
                    LearnedStepSize.keepPositive(steps[l]);
                    if (alpha[l] != null) {
                        alpha[l][0] = LearnedClip.keepPositive(alpha[l][0]);
                    }
                }
            }
            QuantizedMlp current = snapshot(tl, spec, steps, alpha, aQmax, bits);
            double l = loss(current, calib, teacherLogits, rows);
            if (l < bestLoss) {
                bestLoss = l;
                best = current;
                bestEpoch = epoch;
            }
        }
        return new Result(best, startLoss, bestLoss, bestEpoch);
    }

    /** {@return the mean over rows of the summed squared logit error to the teacher} */
    public static double loss(QuantizedMlp model, float[] x, float[] teacherLogits, int rows) {
        float[] z = new float[rows * 2];
        model.logits(x, rows, z);
        double s = 0;
        for (int i = 0; i < 2 * rows; i++) {
            double d = (double) z[i] - teacherLogits[i];
            s += d * d;
        }
        return s / rows;
    }

    private static QuantizedMlp snapshot(List<DenseLayer> tl, QuantSpec[] spec, float[][] steps, float[][] alpha,
                                         int[] aQmax, int[] bits) {
        List<QuantizedLayer> out = new ArrayList<>(tl.size());
        for (int l = 0; l < tl.size(); l++) {
            DenseLayer d = tl.get(l);
            UniformQuantizer wq = new UniformQuantizer(spec[l], QuantParams.symmetric(steps[l][0]));
            UniformQuantizer aq = alpha[l] == null ? null
                    : new UniformQuantizer(QuantSpec.unsignedActivations(bits[l]),
                            QuantParams.symmetric(LearnedClip.step(alpha[l][0], aQmax[l])));
            out.add(new QuantizedLayer(d.in(), d.out(), wq, wq.quantize(d.weight()), d.bias().clone(), aq));
        }
        return new QuantizedMlp(out);
    }
}
