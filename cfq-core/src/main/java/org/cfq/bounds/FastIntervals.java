package org.cfq.bounds;

import org.cfq.math.Dense;
import org.cfq.math.Parallelism;

/**
 * Interval (and CROWN) bounds of the favorable margin for whole batches of boxes, in float32 with
 * the dense kernels: two matrix products per layer (centres through {@code W}, radii through
 * {@code |W|}), the activations applied to both ends, the margin bounded through the difference
 * row {@code W[1] - W[0]}. It ignores float rounding, so it is <b>not sound</b>: searches use it
 * as their objective (it is IBP's bound up to rounding, and differentiable almost everywhere),
 * and every point they return is checked by {@link BoundEngine}.
 *
 * <p>Thread-safe: buffers are allocated per call.
 */
public final class FastIntervals {
    private final BoundNetwork net;
    private final float[][] w;
    private final float[][] absW;
    private final float[][] b;
    private final float[] diff;
    private final float[] absDiff;
    private final float[] diffBias;

    public FastIntervals(BoundNetwork net) {
        this.net = net;
        int n = net.layers();
        w = new float[n - 1][];
        absW = new float[n - 1][];
        b = new float[n - 1][];
        for (int l = 0; l < n - 1; l++) {
            double[] wl = net.weight(l);
            w[l] = new float[wl.length];
            absW[l] = new float[wl.length];
            for (int i = 0; i < wl.length; i++) {
                w[l][i] = (float) wl[i];
                absW[l][i] = Math.abs(w[l][i]);
            }
            double[] bl = net.bias(l);
            b[l] = new float[bl.length];
            for (int i = 0; i < bl.length; i++) {
                b[l][i] = (float) bl[i];
            }
        }
        int in = net.in(n - 1);
        double[] wl = net.weight(n - 1);
        diff = new float[in];
        absDiff = new float[in];
        for (int i = 0; i < in; i++) {
            diff[i] = (float) (wl[in + i] - wl[i]);
            absDiff[i] = Math.abs(diff[i]);
        }
        diffBias = new float[] {(float) (net.bias(n - 1)[1] - net.bias(n - 1)[0])};
    }

    public BoundNetwork network() {
        return net;
    }

    /**
     * Approximate lower bounds of the margin over each box.
     *
     * @param lo   box lower ends, (rows x inputDim)
     * @param hi   box upper ends, same shape
     * @param out  (rows), overwritten
     */
    public void marginLowerBounds(float[] lo, float[] hi, int rows, float[] out) {
        Parallelism one = Parallelism.single();
        int d = net.inputDim();
        float[] c = new float[rows * d];
        float[] r = new float[rows * d];
        for (int i = 0; i < rows * d; i++) {
            c[i] = 0.5f * (lo[i] + hi[i]);
            r[i] = 0.5f * (hi[i] - lo[i]);
        }
        int n = net.layers();
        for (int l = 0; l < n - 1; l++) {
            int in = net.in(l);
            int o = net.out(l);
            float[] yc = new float[rows * o];
            float[] yr = new float[rows * o];
            Dense.affine(c, rows, in, w[l], b[l], o, yc, one);
            Dense.affine(r, rows, in, absW[l], null, o, yr, one);
            for (int q = 0; q < rows; q++) {
                for (int j = 0; j < o; j++) {
                    int k = q * o + j;
                    StepActivation s = net.step(l, j);
                    float a = act(s, yc[k] - yr[k]);
                    float z = act(s, yc[k] + yr[k]);
                    yc[k] = 0.5f * (a + z);
                    yr[k] = 0.5f * (z - a);
                }
            }
            c = yc;
            r = yr;
        }
        int in = net.in(n - 1);
        float[] mc = new float[rows];
        float[] mr = new float[rows];
        Dense.affine(c, rows, in, diff, diffBias, 1, mc, one);
        Dense.affine(r, rows, in, absDiff, null, 1, mr, one);
        for (int q = 0; q < rows; q++) {
            out[q] = mc[q] - mr[q];
        }
    }

    /**
     * Approximate CROWN lower bounds of the margin over each box (intermediate bounds by
     * intervals, the relaxation of {@link Relaxation}), and their gradient with respect to the
     * box centre with the relaxation held fixed: the input coefficients {@code lambda}, except
     * that a quantized neuron flat on the box passes the gradient straight through. Like
     * {@link #marginLowerBounds}, float32 and not sound.
     *
     * @param out  (rows), overwritten
     * @param grad (rows x inputDim), overwritten
     */
    public void crownLowerBounds(float[] lo, float[] hi, int rows, float[] out, float[] grad) {
        Parallelism one = Parallelism.single();
        int d = net.inputDim();
        int n = net.layers();
        float[] c = new float[rows * d];
        float[] r = new float[rows * d];
        for (int i = 0; i < rows * d; i++) {
            c[i] = 0.5f * (lo[i] + hi[i]);
            r[i] = 0.5f * (hi[i] - lo[i]);
        }
        float[][] preLo = new float[n - 1][];
        float[][] preHi = new float[n - 1][];
        float[][] postLo = new float[n - 1][];
        float[][] postHi = new float[n - 1][];
        for (int l = 0; l < n - 1; l++) {
            int in = net.in(l);
            int o = net.out(l);
            float[] yc = new float[rows * o];
            float[] yr = new float[rows * o];
            Dense.affine(c, rows, in, w[l], b[l], o, yc, one);
            Dense.affine(r, rows, in, absW[l], null, o, yr, one);
            preLo[l] = new float[rows * o];
            preHi[l] = new float[rows * o];
            postLo[l] = new float[rows * o];
            postHi[l] = new float[rows * o];
            for (int q = 0; q < rows; q++) {
                for (int j = 0; j < o; j++) {
                    int k = q * o + j;
                    StepActivation s = net.step(l, j);
                    preLo[l][k] = yc[k] - yr[k];
                    preHi[l][k] = yc[k] + yr[k];
                    float a = act(s, preLo[l][k]);
                    float z = act(s, preHi[l][k]);
                    postLo[l][k] = a;
                    postHi[l][k] = z;
                    yc[k] = 0.5f * (a + z);
                    yr[k] = 0.5f * (z - a);
                }
            }
            c = yc;
            r = yr;
        }
        int in = net.in(n - 1);
        float[] ibpC = new float[rows];
        float[] ibpR = new float[rows];
        Dense.affine(c, rows, in, diff, diffBias, 1, ibpC, one);
        Dense.affine(r, rows, in, absDiff, null, 1, ibpR, one);
        float[] lam = new float[rows * in];
        float[] lamG = new float[rows * in];
        double[] cst = new double[rows];
        for (int q = 0; q < rows; q++) {
            System.arraycopy(diff, 0, lam, q * in, in);
            System.arraycopy(diff, 0, lamG, q * in, in);
            cst[q] = diffBias[0];
        }
        double[] rel = new double[4];
        // Without quantized activations the straight-through slopes are the relaxation's own.
        boolean quantized = net.quantizesActivations();
        for (int l = n - 2; l >= 0; l--) {
            int o = net.out(l);
            double[] bias = net.bias(l);
            float[] mu = new float[rows * o];
            float[] muG = quantized ? new float[rows * o] : null;
            for (int q = 0; q < rows; q++) {
                double acc = 0;
                for (int j = 0; j < o; j++) {
                    int k = q * o + j;
                    float lm = lam[k];
                    StepActivation s = net.step(l, j);
                    Relaxation.of(s, preLo[l][k], preHi[l][k], postLo[l][k], postHi[l][k], rel);
                    double a = lm >= 0 ? rel[0] : rel[2];
                    double cc = lm >= 0 ? rel[1] : rel[3];
                    float m = (float) (lm * a);
                    mu[k] = m;
                    acc += lm * cc + m * bias[j];
                    // The gradient passes a quantized step that is flat on the box straight through
                    // (slope 1 inside its range), as training and recourse on fake-quantized models do.
                    if (quantized) {
                        double aG = lamG[k] >= 0 ? rel[0] : rel[2];
                        if (aG == 0 && s != null) {
                            float mid = 0.5f * (preLo[l][k] + preHi[l][k]);
                            aG = mid > 0 && mid < s.top() ? 1 : 0;
                        }
                        muG[k] = (float) (lamG[k] * aG);
                    }
                }
                cst[q] += acc;
            }
            int li = net.in(l);
            float[] next = new float[rows * li];
            Dense.affineInputGrad(mu, rows, o, w[l], li, next, one);
            lam = next;
            if (quantized) {
                float[] nextG = new float[rows * li];
                Dense.affineInputGrad(muG, rows, o, w[l], li, nextG, one);
                lamG = nextG;
            } else {
                lamG = next;
            }
        }
        for (int q = 0; q < rows; q++) {
            double v = cst[q];
            int o = q * d;
            for (int i = 0; i < d; i++) {
                float lm = lam[o + i];
                v += lm > 0 ? (double) lm * lo[o + i] : (double) lm * hi[o + i];
            }
            out[q] = (float) Math.max(v, ibpC[q] - ibpR[q]);
        }
        System.arraycopy(lamG, 0, grad, 0, rows * d);
    }

    private static float act(StepActivation s, float v) {
        float r = Math.max(0f, v);
        return s == null ? r : (float) s.apply(r);
    }
}
