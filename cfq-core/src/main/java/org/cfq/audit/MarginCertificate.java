package org.cfq.audit;

import java.util.List;
import java.util.Objects;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * A sound certificate that recourse transfers from a teacher to any quantized student
 * whose weights lie within per-layer distances of the teacher's.
 *
 * <p>For every network whose layer-{@code l} weights satisfy
 * {@code |W'_l - W_l| <= weightRadius[l]} and biases {@code |b'_l - b_l| <= biasRadius[l]}
 * element-wise, with the given non-decreasing activation maps applied after each hidden
 * ReLU, the favorable margin at {@code x} is at least the bound returned here. With
 * {@code weightRadius[l] = max |W_l - Q(W_l)|} (the real quantization error, clipping
 * included), the student {@code Q} is such a network, so a point whose bound is above zero
 * keeps its favorable outcome on the student.
 *
 * <p>The bound is propagated by interval arithmetic in midpoint-radius form (interval
 * bound propagation). Per affine layer, for {@code w in [wc - d, wc + d]} and
 * {@code x in [xc - xr, xc + xr]}: {@code |w x - wc xc| <= |wc| xr + d (|xc| + xr)}.
 * The last layer bounds the margin directly through the difference row
 * {@code W[1] - W[0]} (radius {@code 2 d}), which is tighter than subtracting two logit
 * intervals. Bounds are computed in double and widened by the worst-case float32
 * rounding of a dot product of length n ({@code gamma_n = n u / (1 - n u)},
 * {@code u = 2^-24}), so they also hold for a student that computes in float32.
 */
public final class MarginCertificate {
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    private MarginCertificate() {
    }

    /**
     * Lower bounds of the favorable margin at each row, valid for every network inside the
     * intervals.
     *
     * @param teacher        the network at the centre of the intervals
     * @param weightRadius   per layer, {@code >= 0}
     * @param biasRadius     per layer, {@code >= 0}
     * @param activationMaps per hidden layer, applied after its ReLU; null means identity
     * @param x              rows, (rows x inputDim)
     * @return the lower bounds, (rows)
     * @throws IllegalArgumentException on a radius that is negative or NaN, or a count mismatch
     */
    public static double[] marginLowerBounds(Mlp teacher, double[] weightRadius, double[] biasRadius,
                                             List<MonotoneMap> activationMaps, float[] x, int rows) {
        List<DenseLayer> layers = teacher.layers();
        int n = layers.size();
        checkRadii("weightRadius", weightRadius, n);
        checkRadii("biasRadius", biasRadius, n);
        if (activationMaps != null && activationMaps.size() != n - 1) {
            throw new IllegalArgumentException("activationMaps needs one map per hidden layer (" + (n - 1)
                    + "), got " + activationMaps.size());
        }
        int in = teacher.inputDim();
        if (x.length < rows * in) {
            throw new IllegalArgumentException("x holds " + x.length + " values, need rows*inputDim = " + rows * in);
        }
        double[] bounds = new double[rows];
        int widest = in;
        for (DenseLayer l : layers) {
            widest = Math.max(widest, l.out());
        }
        double[] lo = new double[widest];
        double[] hi = new double[widest];
        double[] nlo = new double[widest];
        double[] nhi = new double[widest];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                lo[i] = x[r * in + i];
                hi[i] = lo[i];
            }
            for (int l = 0; l < n - 1; l++) {
                DenseLayer layer = layers.get(l);
                affineBounds(layer, weightRadius[l], biasRadius[l], lo, hi, nlo, nhi);
                MonotoneMap f = activationMaps == null ? MonotoneMap.IDENTITY : activationMaps.get(l);
                for (int o = 0; o < layer.out(); o++) {
                    lo[o] = f.apply(Math.max(0, nlo[o]));
                    hi[o] = f.apply(Math.max(0, nhi[o]));
                }
            }
            bounds[r] = marginBound(layers.get(n - 1), weightRadius[n - 1], biasRadius[n - 1], lo, hi);
        }
        return bounds;
    }

    /** Bounds of {@code W x + b} over the weight, bias and input intervals. */
    private static void affineBounds(DenseLayer layer, double d, double bd, double[] lo, double[] hi,
                                     double[] outLo, double[] outHi) {
        int in = layer.in();
        float[] w = layer.weight();
        float[] b = layer.bias();
        double gamma = gamma(in + 1);
        for (int o = 0; o < layer.out(); o++) {
            double centre = b[o];
            double radius = bd;
            double magnitude = Math.abs(b[o]) + bd;
            for (int i = 0; i < in; i++) {
                double xc = 0.5 * (lo[i] + hi[i]);
                double xr = 0.5 * (hi[i] - lo[i]);
                double wc = w[o * in + i];
                double absX = Math.abs(xc) + xr;
                centre += wc * xc;
                radius += Math.abs(wc) * xr + d * absX;
                magnitude += (Math.abs(wc) + d) * absX;
            }
            radius += gamma * magnitude;
            outLo[o] = centre - radius;
            outHi[o] = centre + radius;
        }
    }

    /** Lower bound of {@code (W[1] - W[0]) h + (b[1] - b[0])}. */
    private static double marginBound(DenseLayer last, double d, double bd, double[] lo, double[] hi) {
        int in = last.in();
        float[] w = last.weight();
        float[] b = last.bias();
        double centre = (double) b[1] - b[0];
        double radius = 2 * bd;
        double magnitude = Math.abs(b[0]) + Math.abs(b[1]) + 2 * bd;
        for (int i = 0; i < in; i++) {
            double xc = 0.5 * (lo[i] + hi[i]);
            double xr = 0.5 * (hi[i] - lo[i]);
            double diff = (double) w[in + i] - w[i];
            double absX = Math.abs(xc) + xr;
            centre += diff * xc;
            radius += Math.abs(diff) * xr + 2 * d * absX;
            magnitude += (Math.abs(w[i]) + Math.abs(w[in + i]) + 2 * d) * absX;
        }
        // Each logit is a float32 dot product, and their difference rounds once more.
        radius += gamma(in + 2) * magnitude;
        return centre - radius;
    }

    private static double gamma(int n) {
        double nu = n * UNIT_ROUNDOFF;
        return nu / (1 - nu);
    }

    private static void checkRadii(String name, double[] r, int layers) {
        Objects.requireNonNull(r, name);
        if (r.length != layers) {
            throw new IllegalArgumentException(name + " needs one value per layer (" + layers + "), got " + r.length);
        }
        for (int l = 0; l < r.length; l++) {
            if (!(r[l] >= 0 && r[l] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(name + "[" + l + "] must be finite and >= 0, got " + r[l]);
            }
        }
    }
}
