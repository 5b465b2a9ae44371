package org.cfq.quant.calibrate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * Post-training quantization of a float MLP: weights calibrated from their values, hidden
 * activations calibrated on a seeded sample of training rows run through the network whose
 * earlier layers are already quantized (so each layer sees the inputs it will get).
 */
public final class PostTrainingQuantizer {
    private PostTrainingQuantizer() {
    }

    /**
     * Quantizes every layer at the same width.
     *
     * @see #quantize(Mlp, int[], PtqConfig, float[], int, SplittableRandom)
     */
    public static QuantizedMlp quantize(Mlp teacher, int bits, PtqConfig config, float[] trainX, int trainRows,
                                        SplittableRandom rng) {
        int[] b = new int[teacher.layers().size()];
        java.util.Arrays.fill(b, bits);
        return quantize(teacher, b, config, trainX, trainRows, rng);
    }

    /**
     * Quantizes a float MLP.
     *
     * @param bitsPerLayer weight bits of each layer
     * @param trainX       training rows, (trainRows x inputDim); read only, used only when
     *                     activations are quantized
     * @param rng          picks the calibration rows
     */
    public static QuantizedMlp quantize(Mlp teacher, int[] bitsPerLayer, PtqConfig config, float[] trainX,
                                        int trainRows, SplittableRandom rng) {
        List<DenseLayer> layers = teacher.layers();
        if (bitsPerLayer.length != layers.size()) {
            throw new IllegalArgumentException("bitsPerLayer needs one width per layer (" + layers.size()
                    + "), got " + bitsPerLayer.length);
        }
        boolean quantAct = config.activationBits() > 0;
        int rows = 0;
        float[] input = null;
        if (quantAct) {
            rows = Math.min(config.calibrationRows(), trainRows);
            input = sampleRows(trainX, trainRows, teacher.inputDim(), rows, rng);
        }
        List<QuantizedLayer> out = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            QuantSpec spec = config.weightSpec(bitsPerLayer[l]);
            UniformQuantizer wq = config.weightCalibrator().weightQuantizer(layer.weight(), layer.out(), spec);
            UniformQuantizer aq = null;
            boolean hidden = l < layers.size() - 1;
            if (quantAct && hidden) {
                float[] wHat = wq.fakeQuantize(layer.weight());
                float[] act = new float[rows * layer.out()];
                Dense.affine(input, rows, layer.in(), wHat, layer.bias(), layer.out(), act);
                Dense.relu(act, act.length);
                QuantSpec aspec = QuantSpec.unsignedActivations(config.activationBits());
                aq = new UniformQuantizer(aspec, config.activationCalibrator().calibrate(act, 1, aspec));
                aq.fakeQuantize(act, act);
                input = act;
            }
            out.add(QuantizedLayer.quantize(layer, wq, aq));
        }
        return new QuantizedMlp(out);
    }

    /**
     * Draws {@code sample} distinct rows uniformly (partial Fisher-Yates), in draw order.
     *
     * @param x rows, (rows x width)
     * @return the sampled rows, (min(sample, rows) x width)
     */
    public static float[] sampleRows(float[] x, int rows, int width, int sample, SplittableRandom rng) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0, got " + rows);
        }
        int n = Math.min(sample, rows);
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(rows - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(x, idx[i] * width, out, i * width, width);
        }
        return out;
    }
}
