package org.cfq.bounds;

import org.cfq.math.Dense;
import org.cfq.math.Parallelism;

/**
 * Interval bounds of the favorable margin for whole batches of boxes, in float32 with the dense
 * kernels: two matrix products per layer (centres through {@code W}, radii through
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

    private static float act(StepActivation s, float v) {
        float r = Math.max(0f, v);
        return s == null ? r : (float) s.apply(r);
    }
}
