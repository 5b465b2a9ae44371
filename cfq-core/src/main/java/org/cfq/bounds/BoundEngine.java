package org.cfq.bounds;

import java.util.Objects;

/**
 * Sound lower bounds of linear functions of a {@link BoundNetwork}'s float32 logits over an
 * input box, by interval bound propagation (IBP) and by CROWN's linear relaxation, the better
 * of the two by default.
 *
 * <p><b>Float32 rounding.</b> Every pre-activation {@code z_o = fl(sum_i w_oi x_i + b_o)} is a
 * float32 dot product in an unknown order; with {@code n} nonzero terms,
 * {@code |fl(z) - z| <= gamma_{n+1} (sum |w_oi x_i| + |b_o|)} (Higham, sec. 3.1), whatever the
 * order and with or without fused multiply-adds. Both methods treat each pre-activation as the
 * exact affine value plus an error in {@code [-E_o, E_o]}, {@code E_o} that bound computed from
 * the interval bounds of the layer's input with {@code gamma_{n+4}}: the three extra terms also
 * cover the integer engine, whose exact integer accumulator rescaled in double differs from the
 * exact product of the dequantized float32 factors by at most {@code 2u} of the same magnitude
 * and then rounds once. The doubles used here round too; a relative slack of {@code 1e-9} of
 * every magnitude involved covers that with a wide margin.
 *
 * <p><b>Activations.</b> A ReLU is relaxed as in CROWN (upper: the chord; lower: slope 1 when
 * the interval is mostly positive, else 0). A quantized activation {@code f = fq o relu} is
 * relaxed as the clipped ReLU {@code g(v) = min(max(v, 0), top)} (chords and tangents of its two
 * kinks) shifted by {@link StepActivation#deviation()}, or by the constants {@code f(l)} and
 * {@code f(u)} (sound since f is non-decreasing), whichever has the tighter mean over
 * {@code [l, u]}; when {@code f(l) = f(u)} the neuron is the constant.
 *
 * <p>Not thread-safe (it owns its buffers): one engine per thread.
 */
public final class BoundEngine {
    private static final double U = 0x1p-24;
    private static final double DOUBLE_SLACK = 1e-9;

    /** Which bound to compute. */
    public enum Method {
        /** Interval bound propagation only. */
        IBP,
        /** CROWN back-substitution with interval intermediate bounds only. */
        CROWN,
        /** The larger of the two lower bounds. */
        BEST
    }

    /** The favorable margin {@code logit[1] - logit[0]} as a specification row. */
    public static final double[][] MARGIN = {{-1, 1}};

    private final BoundNetwork net;
    private final double[][] preLo;
    private final double[][] preHi;
    private final double[][] postLo;
    private final double[][] postHi;
    private final double[][] err;
    private final double[][] mag;
    private final double[] inLo;
    private final double[] inHi;
    private final double[] lam;
    private final double[] mu;
    private final double[] relax = new double[4];
    private final boolean byInputs;
    /** Per input of the layer at hand: lo + hi, hi - lo, max(|lo|, |hi|). */
    private final double[] sum;
    private final double[] dif;
    private final double[] mx;
    /** Per output of the layer at hand: the centre, radius and magnitude sums. */
    private final double[] cs;
    private final double[] rs;
    private final double[] ms;
    private double absConst;

    public BoundEngine(BoundNetwork net) {
        this(net, true);
    }

    /**
     * @param byInputs whether the interval sums run input by input over all outputs (the default)
     *                 or output by output (the plain loops, same bits; tests compare the two)
     */
    BoundEngine(BoundNetwork net, boolean byInputs) {
        this.net = Objects.requireNonNull(net, "net");
        this.byInputs = byInputs;
        int n = net.layers();
        preLo = new double[n][];
        preHi = new double[n][];
        postLo = new double[n][];
        postHi = new double[n][];
        err = new double[n][];
        mag = new double[n][];
        int widest = net.inputDim();
        for (int l = 0; l < n; l++) {
            int o = net.out(l);
            widest = Math.max(widest, o);
            preLo[l] = new double[o];
            preHi[l] = new double[o];
            postLo[l] = new double[o];
            postHi[l] = new double[o];
            err[l] = new double[o];
            mag[l] = new double[o];
        }
        inLo = new double[net.inputDim()];
        inHi = new double[net.inputDim()];
        lam = new double[widest];
        mu = new double[widest];
        sum = new double[widest];
        dif = new double[widest];
        mx = new double[widest];
        cs = new double[widest];
        rs = new double[widest];
        ms = new double[widest];
    }

    public BoundNetwork network() {
        return net;
    }

    /** {@return the sound lower bound of the favorable margin over the box, {@link Method#BEST}} */
    public double marginLowerBound(float[] lo, float[] hi, int offset) {
        double[] out = new double[1];
        lowerBounds(lo, hi, offset, MARGIN, Method.BEST, out);
        return out[0];
    }

    /**
     * Lower bounds of {@code spec[k] . z} over every input in the box, where {@code z} are the
     * float32 logits the network computes (in any summation order).
     *
     * @param lo     box lower ends, (inputDim) read from {@code offset}
     * @param hi     box upper ends, same layout, {@code hi >= lo}
     * @param spec   rows of coefficients over the logits, (k x outputs)
     * @param method which bound
     * @param out    lower bounds, (k); overwritten
     * @throws IllegalArgumentException on a box with {@code lo > hi} or non-finite ends
     */
    public void lowerBounds(float[] lo, float[] hi, int offset, double[][] spec, Method method, double[] out) {
        int d = net.inputDim();
        for (int i = 0; i < d; i++) {
            float a = lo[offset + i];
            float b = hi[offset + i];
            if (!(a <= b) || !Float.isFinite(a) || !Float.isFinite(b)) {
                throw new IllegalArgumentException("box column " + i + " must be finite with lo <= hi, got [" + a
                        + ", " + b + "]");
            }
            inLo[i] = a;
            inHi[i] = b;
        }
        intervals();
        for (int k = 0; k < spec.length; k++) {
            double ibp = method == Method.CROWN ? Double.NEGATIVE_INFINITY : ibpOutput(spec[k]);
            double crown = method == Method.IBP ? Double.NEGATIVE_INFINITY : crown(spec[k]);
            double b = Math.max(ibp, crown);
            out[k] = b - U * Math.abs(b);
        }
    }

    /** {@return the pre-activation interval ends of layer {@code l} of the last call} (tests) */
    double[] preLower(int l) {
        return preLo[l];
    }

    double[] preUpper(int l) {
        return preHi[l];
    }

    /** Interval bounds of every layer's pre-activation (with rounding) and hidden output. */
    private void intervals() {
        int n = net.layers();
        double[] aLo = inLo;
        double[] aHi = inHi;
        for (int l = 0; l < n; l++) {
            int outs = net.out(l);
            if (!(byInputs && sumsByInputs(l, aLo, aHi))) {
                sumsByOutputs(l, aLo, aHi);
            }
            for (int o = 0; o < outs; o++) {
                double m = ms[o];
                double e = gamma(net.fanIn(l, o) + 4) * m + DOUBLE_SLACK * m;
                err[l][o] = e;
                mag[l][o] = m;
                preLo[l][o] = cs[o] - rs[o] - e;
                preHi[l][o] = cs[o] + rs[o] + e;
                if (l < n - 1) {
                    StepActivation s = net.step(l, o);
                    postLo[l][o] = act(s, preLo[l][o]);
                    postHi[l][o] = act(s, preHi[l][o]);
                }
            }
            aLo = postLo[l];
            aHi = postHi[l];
        }
    }

    /**
     * Per output {@code o} of layer {@code l}, over its nonzero weights in input order:
     * {@code c = b_o + sum (w * 0.5) * (lo + hi)}, {@code r = sum (|w| * 0.5) * (hi - lo)},
     * {@code m = |b_o| + sum |w| * max(|lo|, |hi|)}, into {@code cs}, {@code rs}, {@code ms}.
     */
    private void sumsByOutputs(int l, double[] aLo, double[] aHi) {
        int in = net.in(l);
        double[] w = net.weight(l);
        double[] b = net.bias(l);
        for (int o = 0; o < net.out(l); o++) {
            double c = b[o];
            double r = 0;
            double m = Math.abs(b[o]);
            int base = o * in;
            for (int i = 0; i < in; i++) {
                double wi = w[base + i];
                if (wi == 0) {
                    continue;
                }
                double xl = aLo[i];
                double xh = aHi[i];
                double aw = Math.abs(wi);
                c += wi * 0.5 * (xl + xh);
                r += aw * 0.5 * (xh - xl);
                m += aw * Math.max(Math.abs(xl), Math.abs(xh));
            }
            cs[o] = c;
            rs[o] = r;
            ms[o] = m;
        }
    }

    /**
     * The same sums, input by input over all outputs: each output's three chains take the same
     * terms in the same order, but the inner loop walks outputs, independent sums the JIT runs a
     * vector at a time. A zero weight must leave the sums as they are, as the skipping loop does:
     * its radius and magnitude terms are +0.0 (nonnegative sums, finite factors), and its centre
     * term is made -0.0, which leaves every double unchanged, by reading the zero with the sign
     * opposite to {@code lo + hi}'s. With a non-finite factor (NaN * 0 is not a zero) this returns
     * false and the caller runs {@link #sumsByOutputs}.
     */
    private boolean sumsByInputs(int l, double[] aLo, double[] aHi) {
        int in = net.in(l);
        int outs = net.out(l);
        for (int i = 0; i < in; i++) {
            double xl = aLo[i];
            double xh = aHi[i];
            double s = xl + xh;
            double d = xh - xl;
            double x = Math.max(Math.abs(xl), Math.abs(xh));
            if (!(Double.isFinite(s) && Double.isFinite(d) && Double.isFinite(x))) {
                return false;
            }
            sum[i] = s;
            dif[i] = d;
            mx[i] = x;
        }
        double[] b = net.bias(l);
        for (int o = 0; o < outs; o++) {
            cs[o] = b[o];
            rs[o] = 0;
            ms[o] = Math.abs(b[o]);
        }
        double[] pos = net.weightTransposedZeroPositive(l);
        double[] neg = net.weightTransposedZeroNegative(l);
        int[] first = net.outputsFirst(l);
        int[] end = net.outputsEnd(l);
        for (int i = 0; i < in; i++) {
            double s = sum[i];
            double d = dif[i];
            double x = mx[i];
            // (+0 * 0.5) * s is -0.0 for s <= -0.0, (-0 * 0.5) * s is -0.0 for s >= +0.0
            double[] w = (Double.doubleToRawLongBits(s) < 0) ? pos : neg;
            int base = i * outs;
            for (int o = first[i]; o < end[i]; o++) {
                double wi = w[base + o];
                double aw = Math.abs(wi);
                cs[o] += wi * 0.5 * s;
                rs[o] += aw * 0.5 * d;
                ms[o] += aw * x;
            }
        }
        return true;
    }

    private static double act(StepActivation s, double v) {
        double r = Math.max(0, v);
        return s == null ? r : s.apply(r);
    }

    /** IBP lower bound of {@code spec . z}: the last layer's combined row over the last hidden interval. */
    private double ibpOutput(double[] spec) {
        int last = net.layers() - 1;
        int in = net.in(last);
        double[] w = net.weight(last);
        double[] b = net.bias(last);
        double[] aLo = last == 0 ? inLo : postLo[last - 1];
        double[] aHi = last == 0 ? inHi : postHi[last - 1];
        double c = 0;
        double slack = 0;
        for (int j = 0; j < spec.length; j++) {
            if (spec[j] != 0) {
                c += spec[j] * b[j];
                slack += Math.abs(spec[j]) * (err[last][j] + DOUBLE_SLACK * mag[last][j]);
            }
        }
        double r = 0;
        for (int i = 0; i < in; i++) {
            double row = 0;
            for (int j = 0; j < spec.length; j++) {
                if (spec[j] != 0) {
                    row += spec[j] * w[j * in + i];
                }
            }
            c += row * 0.5 * (aLo[i] + aHi[i]);
            r += Math.abs(row) * 0.5 * (aHi[i] - aLo[i]);
        }
        return c - r - slack;
    }

    /** CROWN lower bound of {@code spec . z}, back-substituted to the input box. */
    private double crown(double[] spec) {
        int n = net.layers();
        int last = n - 1;
        absConst = 0;
        double cst = 0;
        // lambda over the last layer's input: sum_j spec_j W_j.
        int in = net.in(last);
        double[] w = net.weight(last);
        double[] b = net.bias(last);
        java.util.Arrays.fill(lam, 0, in, 0);
        for (int j = 0; j < spec.length; j++) {
            double s = spec[j];
            if (s == 0) {
                continue;
            }
            cst += s * b[j];
            double e = Math.abs(s) * (err[last][j] + DOUBLE_SLACK * mag[last][j]);
            cst -= e;
            absConst += Math.abs(s * b[j]) + e + Math.abs(s) * mag[last][j];
            for (int i = 0; i < in; i++) {
                lam[i] += s * w[j * in + i];
            }
        }
        for (int l = last - 1; l >= 0; l--) {
            int width = net.out(l);
            // through the activation of layer l: lambda . h >= mu . z + const
            for (int o = 0; o < width; o++) {
                double lm = lam[o];
                if (lm == 0) {
                    mu[o] = 0;
                    continue;
                }
                relax(net.step(l, o), preLo[l][o], preHi[l][o], postLo[l][o], postHi[l][o]);
                double a = lm > 0 ? relax[0] : relax[2];
                double c = lm > 0 ? relax[1] : relax[3];
                mu[o] = lm * a;
                cst += lm * c;
                absConst += Math.abs(lm * c);
            }
            // through the affine layer l: z = W h + b + e
            int li = net.in(l);
            double[] wl = net.weight(l);
            double[] bl = net.bias(l);
            java.util.Arrays.fill(lam, 0, li, 0);
            for (int o = 0; o < width; o++) {
                double m = mu[o];
                if (m == 0) {
                    continue;
                }
                double e = Math.abs(m) * err[l][o];
                cst += m * bl[o] - e;
                absConst += Math.abs(m) * mag[l][o] + e;
                int base = o * li;
                for (int i = 0; i < li; i++) {
                    lam[i] += m * wl[base + i];
                }
            }
        }
        int d = net.inputDim();
        double v = cst;
        for (int i = 0; i < d; i++) {
            double lm = lam[i];
            if (lm == 0) {
                continue;
            }
            v += lm > 0 ? lm * inLo[i] : lm * inHi[i];
            absConst += Math.abs(lm) * Math.max(Math.abs(inLo[i]), Math.abs(inHi[i]));
        }
        return v - DOUBLE_SLACK * (1 + absConst);
    }

    private void relax(StepActivation s, double l, double u, double fl, double fu) {
        Relaxation.of(s, l, u, fl, fu, relax);
    }

    private static double gamma(int n) {
        double nu = n * U;
        return nu / (1 - nu);
    }
}
