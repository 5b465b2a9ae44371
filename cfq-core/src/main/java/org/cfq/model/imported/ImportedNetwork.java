package org.cfq.model.imported;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cfq.data.encode.InputLayout;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * A float MLP read from another tool (affine layers with ReLU between them, then an
 * {@link OutputHead}), over its own input columns.
 *
 * @param layers affine layers, first to last, ReLU after every one but the last; the
 *               last gives {@code head.outputs()} values
 * @param head   what the outputs are
 */
public record ImportedNetwork(List<DenseLayer> layers, OutputHead head) {
    public ImportedNetwork {
        layers = List.copyOf(layers);
        Objects.requireNonNull(head, "head");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an imported network needs at least one layer");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).in()
                        + " inputs but layer " + (l - 1) + " gives " + layers.get(l - 1).out());
            }
        }
        if (layers.get(layers.size() - 1).out() != head.outputs()) {
            throw new IllegalArgumentException("the last layer gives " + layers.get(layers.size() - 1).out()
                    + " outputs but the head expects " + head.outputs());
        }
    }

    /** Number of input columns. */
    public int inputDim() {
        return layers.get(0).in();
    }

    /**
     * What the original graph returns for rows of its own inputs (logits, or probabilities
     * after its final sigmoid or softmax), computed in float32 like the graph. For tests and
     * checks, not for hot loops.
     *
     * @param x (rows x inputDim)
     * @return (rows x outputs)
     */
    public float[] outputs(float[] x, int rows) {
        float[] h = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            float[] y = new float[rows * d.out()];
            float[] w = d.weight();
            float[] b = d.bias();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < d.out(); o++) {
                    float s = 0f;
                    for (int i = 0; i < d.in(); i++) {
                        s += h[r * d.in() + i] * w[o * d.in() + i];
                    }
                    s += b[o];
                    y[r * d.out() + o] = l < layers.size() - 1 ? Math.max(0f, s) : s;
                }
            }
            h = y;
        }
        int k = head.outputs();
        for (int r = 0; r < rows; r++) {
            switch (head.activation()) {
                case SIGMOID -> h[r] = (float) (1 / (1 + Math.exp(-h[r])));
                case SOFTMAX -> {
                    double m = Math.max(h[r * k], h[r * k + 1]);
                    double e0 = Math.exp(h[r * k] - m);
                    double e1 = Math.exp(h[r * k + 1] - m);
                    h[r * k] = (float) (e0 / (e0 + e1));
                    h[r * k + 1] = (float) (e1 / (e0 + e1));
                }
                case NONE -> { }
            }
        }
        return h;
    }

    /**
     * The same classifier as a cfq {@link Mlp} over cfq's model space: the input layout is
     * folded into the first layer ({@code W' = W A}, {@code b' = b + W c} for the layout's
     * affine map {@code x = A z + c}, summed in double and rounded once), and the output
     * layer becomes cfq's two logits, class 1 favorable: for one output {@code (0, s)}, so
     * the margin is the logit {@code s}; for two, the favorable output's row second.
     *
     * <p>For a layout whose columns have coefficient 1 and offset 0 (standardised features
     * behind an encoder with the layout's mean and std, one-hot columns of categorical
     * features) the folded weights are the original ones, moved to their model-space columns:
     * bit for bit.
     *
     * @throws IllegalArgumentException when the layout's width is not the network's input width
     */
    public Mlp toCfq(InputLayout.Affine affine) {
        if (affine.width() != inputDim()) {
            throw new IllegalArgumentException("the layout describes " + affine.width()
                    + " inputs but the network takes " + inputDim());
        }
        List<DenseLayer> out = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            if (l == 0) {
                d = fold(d, affine);
            }
            if (l == layers.size() - 1) {
                d = twoLogits(d);
            }
            out.add(l == 0 || l == layers.size() - 1 ? d : d.copy());
        }
        return new Mlp(out);
    }

    private static DenseLayer fold(DenseLayer d, InputLayout.Affine a) {
        int in = d.in();
        int zw = a.zWidth();
        int[] col = a.column();
        double[] coef = a.coef();
        double[] off = a.offset();
        float[] w = d.weight();
        float[] b = d.bias();
        float[] w2 = new float[d.out() * zw];
        float[] b2 = new float[d.out()];
        double[] acc = new double[zw];
        for (int o = 0; o < d.out(); o++) {
            java.util.Arrays.fill(acc, 0);
            double bias = b[o];
            for (int j = 0; j < in; j++) {
                double wj = w[o * in + j];
                acc[col[j]] += coef[j] == 1 ? wj : coef[j] * wj;
                if (off[j] != 0) {
                    bias += off[j] * wj;
                }
            }
            for (int c = 0; c < zw; c++) {
                w2[o * zw + c] = (float) acc[c];
            }
            b2[o] = (float) bias;
        }
        return new DenseLayer(zw, d.out(), w2, b2);
    }

    private DenseLayer twoLogits(DenseLayer d) {
        int in = d.in();
        float[] w = new float[2 * in];
        float[] b = new float[2];
        if (head.outputs() == 1) {
            System.arraycopy(d.weight(), 0, w, in, in);
            b[1] = d.bias()[0];
        } else {
            int fav = head.favorableIndex();
            System.arraycopy(d.weight(), (1 - fav) * in, w, 0, in);
            System.arraycopy(d.weight(), fav * in, w, in, in);
            b[0] = d.bias()[1 - fav];
            b[1] = d.bias()[fav];
        }
        return new DenseLayer(in, 2, w, b);
    }
}
