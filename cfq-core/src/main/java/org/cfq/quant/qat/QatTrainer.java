package org.cfq.quant.qat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.model.Scores;
import org.cfq.math.Shuffle;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.lsq.LearnedClip;
import org.cfq.quant.lsq.LearnedStepSize;
import org.cfq.train.AdamW;
import org.cfq.train.Batches;
import org.cfq.train.Losses;

/**
 * Fine-tunes a float teacher through fake quantizers (QAT with the straight-through
 * estimator, LSQ learned steps, PACT learned clips), starting from the teacher's weights.
 *
 * <p>Order of use: build with a {@link QatConfig}, call {@link #train} with the teacher, the
 * per-layer widths and the data. Each step fake-quantizes the latent float weights, runs the
 * batch forward, takes the task loss (and optional distillation from the teacher), and
 * back-propagates with the straight-through estimator; AdamW updates latent weights,
 * biases, step sizes and clips. After each epoch the fake-quantized model is scored on the
 * validation rows (accuracy, and distillation loss to the teacher), and the best one by the
 * config's {@link ModelSelection} (the model before fine-tuning included) is returned.
 */
public final class QatTrainer {
    private final QatConfig config;

    public QatTrainer(QatConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public QatConfig config() {
        return config;
    }

    /** Called after every epoch, for progress reports. */
    @FunctionalInterface
    public interface Listener {
        void onEpoch(int epoch, int epochs, double trainLoss, double validationAccuracy, double seconds);

        /**
         * Called with the fake-quantized model before fine-tuning (epoch 0) and after every
         * epoch, for diagnostics; the default ignores it.
         */
        default void onModel(int epoch, QuantizedMlp model) {
        }
    }

    /** {@link #train(Mlp, int[], float[], int[], float[], int[], SplittableRandom, Listener)} without progress. */
    public QatResult train(Mlp teacher, int[] bitsPerLayer, float[] x, int[] y, float[] xVal, int[] yVal,
                           SplittableRandom rng) {
        return train(teacher, bitsPerLayer, x, y, xVal, yVal, rng, (e, n, l, a, s) -> { });
    }

    /**
     * Fine-tunes a copy of the teacher (the teacher is not modified).
     *
     * @param bitsPerLayer weight width of each layer
     * @param x            training rows, (y.length x inputDim); read only
     * @param y            training labels 0/1
     * @param xVal         validation rows used for model selection; may be empty (then the last epoch is kept)
     * @param yVal         validation labels
     * @param rng          seeds the calibration sample and the per-epoch shuffles
     */
    public QatResult train(Mlp teacher, int[] bitsPerLayer, float[] x, int[] y, float[] xVal, int[] yVal,
                           SplittableRandom rng, Listener listener) {
        List<DenseLayer> tl = teacher.layers();
        int layers = tl.size();
        if (bitsPerLayer.length != layers) {
            throw new IllegalArgumentException("bitsPerLayer needs one width per layer (" + layers + "), got "
                    + bitsPerLayer.length);
        }
        int rows = y.length;
        int width = teacher.inputDim();
        if (rows == 0 || x.length != rows * width) {
            throw new IllegalArgumentException("x must be " + rows + " x " + width + " with rows > 0, got "
                    + x.length + " floats");
        }
        int valRows = yVal.length;
        if (xVal.length != valRows * width) {
            throw new IllegalArgumentException("validation x must be " + valRows + " x " + width + ", got "
                    + xVal.length + " floats");
        }
        SplittableRandom calibRng = rng.split();
        SplittableRandom shuffleRng = rng.split();
        State st = new State(teacher, bitsPerLayer, x, rows, calibRng);

        AdamW opt = new AdamW(config.learningRate(), config.weightDecay());
        for (int l = 0; l < layers; l++) {
            opt.register(st.w[l], st.gw[l], true);
            opt.register(st.b[l], st.gb[l], false);
            if (config.weightMode() == WeightMode.LSQ) {
                opt.register(st.steps[l], st.gSteps[l], false);
            }
            if (config.activationMode() == ActivationMode.PACT && l < layers - 1) {
                opt.register(st.alpha[l], st.gAlpha[l], false);
            }
        }

        int batch = Math.min(config.batchSize(), rows);
        float[] xb = new float[batch * width];
        int[] yb = new int[batch];
        float[] dLogits = new float[batch * 2];
        float[] teacherLogits = new float[batch * 2];
        Mlp.Workspace tws = config.distillWeight() > 0 ? teacher.workspace(batch) : null;
        Buffers buf = new Buffers(tl, batch);
        int[] order = Batches.order(rows);

        List<Double> valAcc = new ArrayList<>();
        List<Double> valFidelity = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        float[] teacherVal = new float[valRows * 2];
        if (valRows > 0) {
            teacher.logits(xVal, valRows, teacherVal);
        }
        QuantizedMlp best = st.snapshot();
        listener.onModel(0, best);
        double startAcc = Double.NaN;
        double bestScore = Double.NaN;
        if (valRows > 0) {
            startAcc = accuracy(best, xVal, yVal);
            double fid = fidelityLoss(best, xVal, teacherVal, valRows, config.temperature());
            valFidelity.add(fid);
            bestScore = score(startAcc, fid);
        } else {
            valFidelity.add(Double.NaN);
        }
        valAcc.add(startAcc);
        int bestEpoch = 0;
        int epoch = 0;
        long totalSteps = 0;
        while (epoch < config.epochs()) {
            epoch++;
            long t0 = System.nanoTime();
            double lossSum = 0;
            int steps = 0;
            int passes = 0;
            while (steps < config.minStepsPerEpoch()) {
                Shuffle.shuffle(order, shuffleRng);
                passes++;
                for (int b0 = 0; b0 < rows; b0 += batch) {
                    int n = Math.min(batch, rows - b0);
                    Batches.gather(x, y, width, order, b0, n, xb, yb);
                    st.quantizeWeights(buf);
                    float[] logits = st.forward(xb, n, buf);
                    double wd = config.distillWeight();
                    lossSum += Losses.softmaxCrossEntropy(logits, yb, 0, n, (1 - wd) / n, dLogits) * (1 - wd);
                    if (wd > 0) {
                        teacher.forward(xb, n, tws);
                        System.arraycopy(tws.logits(), 0, teacherLogits, 0, n * 2);
                        lossSum += TaskLoss.distillation(logits, teacherLogits, n, (float) config.temperature(),
                                dLogits, (float) wd) * n * wd;
                    }
                    opt.zeroGradients();
                    st.backward(xb, n, buf, dLogits);
                    opt.step();
                    st.keepPositive();
                    steps++;
                }
            }
            totalSteps += steps;
            double secs = (System.nanoTime() - t0) / 1e9;
            seconds.add(secs);
            QuantizedMlp current = st.snapshot();
            listener.onModel(epoch, current);
            double acc = Double.NaN;
            double fid = Double.NaN;
            double sc = Double.NaN;
            if (valRows > 0) {
                acc = accuracy(current, xVal, yVal);
                fid = fidelityLoss(current, xVal, teacherVal, valRows, config.temperature());
                sc = score(acc, fid);
            }
            valAcc.add(acc);
            valFidelity.add(fid);
            // Strictly better only: on equal scores the earlier epoch (closer to the start) stays.
            if (valRows == 0 || sc > bestScore) {
                best = current;
                bestScore = sc;
                bestEpoch = epoch;
            }
            listener.onEpoch(epoch, config.epochs(), lossSum / ((double) rows * passes), acc, secs);
            if (valRows > 0 && epoch - bestEpoch >= config.patience()) {
                break;
            }
        }
        return new QatResult(best, epoch, bestEpoch, valAcc, valFidelity, seconds, totalSteps);
    }

    /** {@return the selection score of an epoch, higher is better} */
    private double score(double accuracy, double fidelityLoss) {
        return config.selection() == ModelSelection.ACCURACY ? accuracy : -fidelityLoss;
    }

    /**
     * {@return the mean distillation loss {@code T^2 KL(teacher || model)} of a quantized model
     * against the teacher's logits on the same rows (0 exactly when the softened outputs agree)}
     *
     * @param teacherLogits the teacher's logits at {@code x}, (rows x 2)
     */
    public static double fidelityLoss(QuantizedMlp model, float[] x, float[] teacherLogits, int rows,
                                      double temperature) {
        float[] logits = new float[rows * 2];
        model.logits(x, rows, logits);
        return TaskLoss.distillation(logits, teacherLogits, rows, (float) temperature, null, 0f);
    }

    /** {@return the share of rows whose decision (margin &gt; 0) equals the label} */
    public static double accuracy(QuantizedMlp model, float[] x, int[] y) {
        return Scores.accuracy(model, x, y);
    }

    /** Per-batch activation buffers. */
    private static final class Buffers {
        final float[][] wHat;
        final float[][] pre;
        final float[][] act;
        final float[][] delta;
        final float[][] dWHat;

        Buffers(List<DenseLayer> layers, int batch) {
            int n = layers.size();
            wHat = new float[n][];
            pre = new float[n][];
            act = new float[n][];
            delta = new float[n][];
            dWHat = new float[n][];
            for (int l = 0; l < n; l++) {
                DenseLayer d = layers.get(l);
                wHat[l] = new float[d.weight().length];
                dWHat[l] = new float[d.weight().length];
                pre[l] = new float[batch * d.out()];
                act[l] = new float[batch * d.out()];
                delta[l] = new float[batch * d.out()];
            }
        }
    }

    /** The trained parameters: latent weights, biases, steps, clips, and their gradients. */
    private final class State {
        final int layers;
        final int[] in;
        final int[] out;
        final QuantSpec[] spec;
        final float[][] w;
        final float[][] b;
        final float[][] gw;
        final float[][] gb;
        final float[][] steps;
        final float[][] gSteps;
        final UniformQuantizer[] steQuantizer;
        final UniformQuantizer[] fixedAct;
        final float[][] alpha;
        final float[][] gAlpha;
        final int actQmax;

        State(Mlp teacher, int[] bits, float[] x, int rows, SplittableRandom calibRng) {
            List<DenseLayer> tl = teacher.layers();
            layers = tl.size();
            in = new int[layers];
            out = new int[layers];
            spec = new QuantSpec[layers];
            w = new float[layers][];
            b = new float[layers][];
            gw = new float[layers][];
            gb = new float[layers][];
            steps = new float[layers][];
            gSteps = new float[layers][];
            steQuantizer = new UniformQuantizer[layers];
            fixedAct = new UniformQuantizer[layers];
            alpha = new float[layers][];
            gAlpha = new float[layers][];
            actQmax = config.activationMode() == ActivationMode.NONE ? 0
                    : QuantSpec.unsignedActivations(config.activationBits()).qmax();
            for (int l = 0; l < layers; l++) {
                DenseLayer d = tl.get(l);
                in[l] = d.in();
                out[l] = d.out();
                spec[l] = config.weightSpec(bits[l]);
                w[l] = d.weight().clone();
                b[l] = d.bias().clone();
                gw[l] = new float[w[l].length];
                gb[l] = new float[b[l].length];
                if (config.weightMode() == WeightMode.LSQ) {
                    steps[l] = LearnedStepSize.initialSteps(w[l], out[l], spec[l]);
                    gSteps[l] = new float[steps[l].length];
                }
            }
            if (config.activationMode() != ActivationMode.NONE) {
                // Calibrate activations through the PTQ-quantized teacher; PACT starts its clips there.
                PtqConfig ptq = new PtqConfig(config.weightCalibrator(), config.activationCalibrator(),
                        config.granularity(), config.narrowRange(), config.activationBits(), config.calibrationRows());
                QuantizedMlp init = PostTrainingQuantizer.quantize(teacher, bits, ptq, x, rows, calibRng);
                for (int l = 0; l < layers - 1; l++) {
                    UniformQuantizer aq = init.layers().get(l).activationQuantizer();
                    fixedAct[l] = aq;
                    alpha[l] = new float[] {aq.params().scale(0) * actQmax};
                    gAlpha[l] = new float[1];
                }
            }
        }

        void quantizeWeights(Buffers buf) {
            for (int l = 0; l < layers; l++) {
                if (config.weightMode() == WeightMode.LSQ) {
                    LearnedStepSize.forward(w[l], steps[l], spec[l], buf.wHat[l]);
                } else {
                    steQuantizer[l] = config.weightCalibrator().weightQuantizer(w[l], out[l], spec[l]);
                    steQuantizer[l].fakeQuantize(w[l], buf.wHat[l]);
                }
            }
        }

        float[] forward(float[] xb, int n, Buffers buf) {
            float[] input = xb;
            for (int l = 0; l < layers; l++) {
                Dense.affine(input, n, in[l], buf.wHat[l], b[l], out[l], buf.pre[l]);
                int m = n * out[l];
                float[] a = buf.act[l];
                if (l == layers - 1) {
                    System.arraycopy(buf.pre[l], 0, a, 0, m);
                } else if (config.activationMode() == ActivationMode.PACT) {
                    LearnedClip.forward(buf.pre[l], m, alpha[l][0], actQmax, a);
                } else {
                    System.arraycopy(buf.pre[l], 0, a, 0, m);
                    Dense.relu(a, m);
                    if (config.activationMode() == ActivationMode.CALIBRATED) {
                        UniformQuantizer aq = fixedAct[l];
                        float s = aq.params().scale(0);
                        float inv = 1f / s;
                        for (int i = 0; i < m; i++) {
                            a[i] = UniformQuantizer.dequantize(UniformQuantizer.code(a[i], inv, 0, 0, actQmax), s, 0);
                        }
                    }
                }
                input = a;
            }
            return buf.act[layers - 1];
        }

        void backward(float[] xb, int n, Buffers buf, float[] dLogits) {
            float[] delta = buf.delta[layers - 1];
            System.arraycopy(dLogits, 0, delta, 0, n * 2);
            for (int l = layers - 1; l >= 0; l--) {
                float[] input = l == 0 ? xb : buf.act[l - 1];
                Arrays.fill(buf.dWHat[l], 0f);
                Dense.affineWeightGrad(delta, input, n, in[l], out[l], buf.dWHat[l], gb[l]);
                if (config.weightMode() == WeightMode.LSQ) {
                    LearnedStepSize.backward(w[l], steps[l], spec[l], buf.dWHat[l], gw[l], gSteps[l]);
                } else {
                    steQuantizer[l].maskGradient(w[l], buf.dWHat[l]);
                    float[] g = gw[l];
                    float[] d = buf.dWHat[l];
                    for (int i = 0; i < g.length; i++) {
                        g[i] += d[i];
                    }
                }
                if (l == 0) {
                    break;
                }
                float[] prev = buf.delta[l - 1];
                Dense.affineInputGrad(delta, n, out[l], buf.wHat[l], in[l], prev);
                float[] pre = buf.pre[l - 1];
                int m = n * in[l];
                if (config.activationMode() == ActivationMode.PACT) {
                    gAlpha[l - 1][0] += (float) LearnedClip.backward(pre, m, alpha[l - 1][0], prev, prev);
                } else if (config.activationMode() == ActivationMode.CALIBRATED) {
                    float inv = 1f / fixedAct[l - 1].params().scale(0);
                    for (int i = 0; i < m; i++) {
                        if (!(pre[i] > 0f) || !UniformQuantizer.inRange(pre[i], inv, 0, 0, actQmax)) {
                            prev[i] = 0f;
                        }
                    }
                } else {
                    Dense.reluGrad(pre, prev, m);
                }
                delta = prev;
            }
        }

        void keepPositive() {
            for (int l = 0; l < layers; l++) {
                if (steps[l] != null) {
                    LearnedStepSize.keepPositive(steps[l]);
                }
                if (alpha[l] != null) {
                    alpha[l][0] = LearnedClip.keepPositive(alpha[l][0]);
                }
            }
        }

        QuantizedMlp snapshot() {
            List<QuantizedLayer> ql = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                UniformQuantizer wq = config.weightMode() == WeightMode.LSQ
                        ? new UniformQuantizer(spec[l], QuantParams.symmetric(steps[l]))
                        : config.weightCalibrator().weightQuantizer(w[l], out[l], spec[l]);
                UniformQuantizer aq = null;
                if (l < layers - 1) {
                    if (config.activationMode() == ActivationMode.CALIBRATED) {
                        aq = fixedAct[l];
                    } else if (config.activationMode() == ActivationMode.PACT) {
                        aq = new UniformQuantizer(QuantSpec.unsignedActivations(config.activationBits()),
                                QuantParams.symmetric(LearnedClip.step(alpha[l][0], actQmax)));
                    }
                }
                ql.add(new QuantizedLayer(in[l], out[l], wq, wq.quantize(w[l]), b[l], aq));
            }
            return new QuantizedMlp(ql);
        }
    }
}
