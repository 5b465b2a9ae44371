package org.cfq.quant.mixed;

import java.util.List;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.Calibrator;
import org.cfq.train.Losses;

/**
 * The training-free sensitivity of the paper's {@code mixed-ptq}: per layer, the mean absolute
 * gradient {@code s_l = mean_i |dCE/dW_l,i|} of the mean cross-entropy over the given rows (the
 * paper: validation rows; {@code cf-ptq} adds the teacher's recourse points with the favorable
 * label). For the exact allocator each width gets the first-order loss change
 * {@code score(l, b) = s_l * sum_i |Q_b(W_l)_i - W_l,i|} (the gradient magnitude times the
 * quantization perturbation, as in first-order saliency, Molchanov et al., "Importance Estimation
 * for Neural Network Pruning", CVPR 2019).
 */
public final class GradientSensitivity {
    private GradientSensitivity() {
    }

    /**
     * {@return {@code s_l} per layer}
     *
     * @param x rows, (rows x inputDim); y their labels (0/1)
     */
    public static double[] meanAbsGradient(Mlp model, float[] x, int[] y, int rows) {
        if (rows <= 0 || x.length < rows * model.inputDim() || y.length < rows) {
            throw new IllegalArgumentException("need rows > 0 with " + rows + " x " + model.inputDim()
                    + " floats and labels, got " + x.length + " floats and " + y.length + " labels");
        }
        Mlp.Workspace ws = model.workspace(rows);
        model.forward(x, rows, ws);
        float[] d = new float[rows * 2];
        Losses.softmaxCrossEntropy(ws.logits(), y, 0, rows, 1.0 / rows, d);
        Mlp.Gradients g = new Mlp.Gradients(model);
        g.zero();
        model.backward(x, rows, ws, d, g, null);
        List<DenseLayer> layers = model.layers();
        double[] s = new double[layers.size()];
        for (int l = 0; l < s.length; l++) {
            float[] gw = g.weight(l);
            double sum = 0;
            for (float v : gw) {
                sum += Math.abs(v);
            }
            s[l] = sum / gw.length;
        }
        return s;
    }

    /** {@return per layer and candidate width, {@code s_l * sum_i |Q_b(W_l)_i - W_l,i|}} */
    public static LayerSensitivity scores(Mlp model, double[] meanAbsGradient, int[] candidates,
                                          java.util.function.IntFunction<QuantSpec> specFor, Calibrator calibrator) {
        List<DenseLayer> layers = model.layers();
        double[][] scores = new double[layers.size()][candidates.length];
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            float[] w = layer.weight();
            for (int k = 0; k < candidates.length; k++) {
                UniformQuantizer q = calibrator.weightQuantizer(w, layer.out(), specFor.apply(candidates[k]));
                float[] wq = q.fakeQuantize(w);
                double e = 0;
                for (int i = 0; i < w.length; i++) {
                    e += Math.abs((double) wq[i] - w[i]);
                }
                scores[l][k] = meanAbsGradient[l] * e;
            }
        }
        return new LayerSensitivity(candidates, scores, "mean-abs-gradient");
    }
}
