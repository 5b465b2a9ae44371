package org.cfq.bounds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * A feed-forward network as bound propagation sees it: affine layers {@code y = W x + b} with
 * float32 weights and biases (held here as the exact doubles), each output a float32 dot
 * product summed in an unknown order, and after every hidden layer a ReLU followed, per neuron,
 * by an optional {@link StepActivation}. The last layer's outputs are the logits.
 *
 * <p>Immutable; the arrays are copied in.
 */
public final class BoundNetwork {
    private final int[] in;
    private final int[] out;
    private final double[][] weight;
    private final double[][] bias;
    private final StepActivation[][] step;
    private final int[][] fanIn;
    /**
     * Per layer the weight transposed, (in x out), twice: zero weights stored as +0.0 and as
     * -0.0; and per input the range {@code [first, end)} of outputs outside which its weights are
     * zero. The layout of {@link BoundEngine}'s interval sums.
     */
    private final double[][] weightTPos;
    private final double[][] weightTNeg;
    private final int[][] outFirst;
    private final int[][] outEnd;

    private BoundNetwork(int[] in, int[] out, double[][] weight, double[][] bias, StepActivation[][] step) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.step = step;
        this.fanIn = new int[in.length][];
        for (int l = 0; l < in.length; l++) {
            fanIn[l] = new int[out[l]];
            for (int o = 0; o < out[l]; o++) {
                int n = 0;
                for (int i = 0; i < in[l]; i++) {
                    if (weight[l][o * in[l] + i] != 0) {
                        n++;
                    }
                }
                fanIn[l][o] = Math.max(n, 1);
            }
        }
        weightTPos = new double[in.length][];
        weightTNeg = new double[in.length][];
        outFirst = new int[in.length][];
        outEnd = new int[in.length][];
        for (int l = 0; l < in.length; l++) {
            int k = in[l];
            int o = out[l];
            double[] pos = new double[k * o];
            double[] neg = new double[k * o];
            int[] first = new int[k];
            int[] end = new int[k];
            for (int i = 0; i < k; i++) {
                first[i] = o;
                for (int r = 0; r < o; r++) {
                    double v = weight[l][r * k + i];
                    if (v != 0) {
                        pos[i * o + r] = v;
                        neg[i * o + r] = v;
                        first[i] = Math.min(first[i], r);
                        end[i] = r + 1;
                    } else {
                        pos[i * o + r] = 0.0;
                        neg[i * o + r] = -0.0;
                    }
                }
            }
            weightTPos[l] = pos;
            weightTNeg[l] = neg;
            outFirst[l] = first;
            outEnd[l] = end;
        }
    }

    /**
     * A network from float layers and, per hidden layer, one activation quantizer (null for a
     * plain ReLU).
     *
     * @param layers the affine layers, first to last, shapes chaining
     * @param steps  one entry per hidden layer (layers - 1), null entries for float activations
     * @throws IllegalArgumentException when shapes do not chain or the counts disagree
     */
    public static BoundNetwork of(List<DenseLayer> layers, List<StepActivation> steps) {
        int n = layers.size();
        if (n == 0 || steps.size() != n - 1) {
            throw new IllegalArgumentException("need at least one layer and one activation entry per hidden layer, got "
                    + n + " layers and " + steps.size() + " entries");
        }
        int[] in = new int[n];
        int[] out = new int[n];
        double[][] w = new double[n][];
        double[][] b = new double[n][];
        StepActivation[][] st = new StepActivation[n][];
        for (int l = 0; l < n; l++) {
            DenseLayer d = layers.get(l);
            if (l > 0 && d.in() != out[l - 1]) {
                throw new IllegalArgumentException("layer " + l + " takes " + d.in() + " inputs but layer " + (l - 1)
                        + " gives " + out[l - 1]);
            }
            in[l] = d.in();
            out[l] = d.out();
            w[l] = toDouble(d.weight());
            b[l] = toDouble(d.bias());
            if (l < n - 1) {
                st[l] = new StepActivation[d.out()];
                Arrays.fill(st[l], steps.get(l));
            }
        }
        return new BoundNetwork(in, out, w, b, st);
    }

    /** The float network with plain ReLU activations. */
    public static BoundNetwork of(Mlp mlp) {
        List<StepActivation> none = new ArrayList<>();
        for (int l = 0; l < mlp.layers().size() - 1; l++) {
            none.add(null);
        }
        return of(mlp.layers(), none);
    }

    /**
     * Two networks on the same input side by side: hidden layers stacked (block-diagonal after
     * the first), the logits of {@code a} first, then those of {@code b}. Bounds on linear
     * functions of both networks' logits (e.g. {@code z_b - z_a}) come from one pass over it,
     * so the correlation through the shared input is kept.
     *
     * @throws IllegalArgumentException when the inputs or the depths differ
     */
    public static BoundNetwork stack(BoundNetwork a, BoundNetwork b) {
        int n = a.layers();
        if (b.layers() != n || a.inputDim() != b.inputDim()) {
            throw new IllegalArgumentException("stacked networks need the same input and depth, got " + a.inputDim()
                    + "/" + n + " and " + b.inputDim() + "/" + b.layers());
        }
        int[] in = new int[n];
        int[] out = new int[n];
        double[][] w = new double[n][];
        double[][] bi = new double[n][];
        StepActivation[][] st = new StepActivation[n][];
        for (int l = 0; l < n; l++) {
            out[l] = a.out[l] + b.out[l];
            in[l] = l == 0 ? a.in[0] : a.in[l] + b.in[l];
            w[l] = new double[out[l] * in[l]];
            for (int o = 0; o < a.out[l]; o++) {
                System.arraycopy(a.weight[l], o * a.in[l], w[l], o * in[l], a.in[l]);
            }
            int off = l == 0 ? 0 : a.in[l];
            for (int o = 0; o < b.out[l]; o++) {
                System.arraycopy(b.weight[l], o * b.in[l], w[l], (a.out[l] + o) * in[l] + off, b.in[l]);
            }
            bi[l] = new double[out[l]];
            System.arraycopy(a.bias[l], 0, bi[l], 0, a.out[l]);
            System.arraycopy(b.bias[l], 0, bi[l], a.out[l], b.out[l]);
            if (l < n - 1) {
                st[l] = new StepActivation[out[l]];
                System.arraycopy(a.step[l], 0, st[l], 0, a.out[l]);
                System.arraycopy(b.step[l], 0, st[l], a.out[l], b.out[l]);
            }
        }
        return new BoundNetwork(in, out, w, bi, st);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** {@return the number of affine layers} */
    public int layers() {
        return in.length;
    }

    public int inputDim() {
        return in[0];
    }

    /** {@return the number of logits} */
    public int outputs() {
        return out[out.length - 1];
    }

    /** {@return whether some hidden neuron is quantized} */
    public boolean quantizesActivations() {
        for (int l = 0; l < step.length - 1; l++) {
            for (StepActivation s : step[l]) {
                if (s != null) {
                    return true;
                }
            }
        }
        return false;
    }

    int in(int l) {
        return in[l];
    }

    int out(int l) {
        return out[l];
    }

    double[] weight(int l) {
        return weight[l];
    }

    double[] bias(int l) {
        return bias[l];
    }

    /** {@return layer {@code l}'s weight transposed, (in x out), its zeros +0.0} */
    double[] weightTransposedZeroPositive(int l) {
        return weightTPos[l];
    }

    /** {@return layer {@code l}'s weight transposed, (in x out), its zeros -0.0} */
    double[] weightTransposedZeroNegative(int l) {
        return weightTNeg[l];
    }

    /** {@return per input of layer {@code l}, the first output with a nonzero weight (out when none)} */
    int[] outputsFirst(int l) {
        return outFirst[l];
    }

    /** {@return per input of layer {@code l}, one past the last output with a nonzero weight (0 when none)} */
    int[] outputsEnd(int l) {
        return outEnd[l];
    }

    /** The step after neuron {@code o} of hidden layer {@code l}, null for a plain ReLU. */
    StepActivation step(int l, int o) {
        return step[l][o];
    }

    /** Nonzero weights of output {@code o} of layer {@code l} (the dot product's length, at least 1). */
    int fanIn(int l, int o) {
        return fanIn[l][o];
    }

    /**
     * The logits of the rows computed as a student does (float32, this summation order), for
     * tests and the dense sampling check.
     *
     * @param out (rows x outputs), overwritten
     */
    public void logits(float[] x, int rows, float[] out) {
        Objects.requireNonNull(x, "x");
        int n = layers();
        for (int r = 0; r < rows; r++) {
            float[] h = Arrays.copyOfRange(x, r * in[0], (r + 1) * in[0]);
            for (int l = 0; l < n; l++) {
                float[] y = new float[this.out[l]];
                for (int o = 0; o < this.out[l]; o++) {
                    float s = (float) bias[l][o];
                    for (int i = 0; i < in[l]; i++) {
                        s += (float) weight[l][o * in[l] + i] * h[i];
                    }
                    if (l < n - 1) {
                        s = Math.max(0f, s);
                        if (step[l][o] != null) {
                            s = (float) step[l][o].apply(s);
                        }
                    }
                    y[o] = s;
                }
                h = y;
            }
            System.arraycopy(h, 0, out, r * outputs(), outputs());
        }
    }
}
