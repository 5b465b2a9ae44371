package org.cfq.quant.mixed;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.Calibrator;
import org.cfq.train.Losses;

/**
 * Per-layer, per-width sensitivity of a float MLP to weight quantization, measured on a
 * batch of (seeded, sampled) training rows.
 */
public final class SensitivityEstimator {
    private SensitivityEstimator() {
    }

    /**
     * The measured loss increase: for each layer {@code l} and width {@code b}, the mean
     * cross-entropy of the network with only layer {@code l} fake-quantized at {@code b}
     * (calibrated by {@code calibrator}) minus that of the float network.
     *
     * @param x     rows, (rows x inputDim)
     * @param y     labels (0/1), (rows)
     * @param specFor gives the weight spec at each width (granularity, range)
     */
    public static LayerSensitivity lossIncrease(Mlp model, float[] x, int[] y, int rows, int[] candidates,
                                                java.util.function.IntFunction<QuantSpec> specFor,
                                                Calibrator calibrator) {
        List<DenseLayer> layers = model.layers();
        float[] logits = new float[rows * 2];
        model.logits(x, rows, logits);
        double base = Losses.softmaxCrossEntropy(logits, y, 0, rows, 1, null) / rows;
        double[][] scores = new double[layers.size()][candidates.length];
        Mlp work = model.copy();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            float[] target = work.layers().get(l).weight();
            for (int k = 0; k < candidates.length; k++) {
                UniformQuantizer q = calibrator.weightQuantizer(layer.weight(), layer.out(), specFor.apply(candidates[k]));
                q.fakeQuantize(layer.weight(), target);
                work.logits(x, rows, logits);
                scores[l][k] = Losses.softmaxCrossEntropy(logits, y, 0, rows, 1, null) / rows - base;
            }
            System.arraycopy(layer.weight(), 0, target, 0, target.length);
        }
        return new LayerSensitivity(candidates, scores, "loss");
    }

    /**
     * The Hutchinson estimate (HAWQ-V2): {@code score(l, b) = Tr(H_l) / n_l * ||Q_b(W_l) - W_l||^2},
     * with the trace of the layer's loss Hessian estimated from {@code samples} Rademacher
     * probes {@code v^T H v}, each Hessian-vector product taken by central differences of the
     * loss gradient.
     *
     * @param rng draws the probes
     */
    public static LayerSensitivity hutchinson(Mlp model, float[] x, int[] y, int rows, int[] candidates,
                                              java.util.function.IntFunction<QuantSpec> specFor,
                                              Calibrator calibrator, int samples, SplittableRandom rng) {
        if (samples <= 0) {
            throw new IllegalArgumentException("samples must be > 0, got " + samples);
        }
        List<DenseLayer> layers = model.layers();
        double[][] scores = new double[layers.size()][candidates.length];
        Mlp work = model.copy();
        for (int l = 0; l < layers.size(); l++) {
            float[] w = work.layers().get(l).weight();
            float[] w0 = w.clone();
            double trace = 0;
            float h = 1e-3f;
            for (int s = 0; s < samples; s++) {
                float[] v = new float[w.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rng.nextBoolean() ? 1f : -1f;
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] = w0[i] + h * v[i];
                }
                float[] gPlus = weightGradient(work, l, x, y, rows);
                for (int i = 0; i < w.length; i++) {
                    w[i] = w0[i] - h * v[i];
                }
                float[] gMinus = weightGradient(work, l, x, y, rows);
                System.arraycopy(w0, 0, w, 0, w.length);
                double vhv = 0;
                for (int i = 0; i < v.length; i++) {
                    vhv += v[i] * (gPlus[i] - gMinus[i]) / (2.0 * h);
                }
                trace += vhv / samples;
            }
            DenseLayer layer = layers.get(l);
            for (int k = 0; k < candidates.length; k++) {
                UniformQuantizer q = calibrator.weightQuantizer(layer.weight(), layer.out(), specFor.apply(candidates[k]));
                float[] fq = q.fakeQuantize(layer.weight());
                double err = 0;
                for (int i = 0; i < fq.length; i++) {
                    double d = fq[i] - layer.weight()[i];
                    err += d * d;
                }
                scores[l][k] = trace / w.length * err;
            }
        }
        return new LayerSensitivity(candidates, scores, "hutchinson");
    }

    private static float[] weightGradient(Mlp net, int layer, float[] x, int[] y, int rows) {
        Mlp.Workspace ws = net.workspace(rows);
        net.forward(x, rows, ws);
        float[] d = new float[rows * 2];
        Losses.softmaxCrossEntropy(ws.logits(), y, 0, rows, 1.0 / rows, d);
        Mlp.Gradients g = new Mlp.Gradients(net);
        net.backward(x, rows, ws, d, g, null);
        return g.weight(layer);
    }
}
