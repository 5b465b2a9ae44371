package org.cfq.faithful;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.math.Dense;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.FeasibilityProjector;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.GradientSearch;
import org.cfq.recourse.gradient.PgdConfig;

/**
 * The student-matching term of the paper's ablation (Yahyati et al., 2026, "student matching";
 * grid method {@code cfq-match}): from each factual x, the student runs its own short pgd and the
 * loss compares where it ends with the teacher's counterfactual,
 * {@code a1 |d_S - d_T|_1 + a2 |cost(d_S) - cost(d_T)|} (mean over rows), and its gradient with
 * respect to the student's weights, biases and PACT clips is taken through the unrolled steps,
 * by hand.
 *
 * <p><b>The unrolled search</b> is the teacher search's step rule ({@link GradientSearch}, plain
 * gradient rule, one restart from d = 0, outcome weight 1): {@code z_0 = x}; for t &lt; K,
 * {@code p_t = P(z_t)} (the projection onto the action set), {@code g_t = l'(m(p_t)) grad m(p_t)}
 * with {@code l(m) = softplus(-m) + relu(req - m)}, {@code z_{t+1} = clamp(x + S(z_t - eta g_t - x))}
 * (S the soft-threshold of {@code eta c w}, clamp the relaxed box); {@code d_S = p_t - x} for the cheapest
 * projected iterate {@code p_t} (t = 0..K, {@code p_K = P(z_K)}) the student scores above the required
 * margin, as the search keeps its best valid point (the first on ties), else the last iterate. The
 * choice is locally constant, so the gradient flows through the chosen iterate. Costs are the weighted L1 of the
 * request's cost weights, so only the kinds whose step is the soft-threshold are accepted (L1, MAD,
 * and L0 through its L1 surrogate).
 *
 * <p><b>The backward pass</b> (reverse mode through the K steps; exact almost everywhere): the
 * projection P, the soft-threshold and the clamp are piecewise linear with diagonal 0/1 Jacobians
 * (P keeps a column, or moves it to a value that is locally constant: the factual, a one-hot level,
 * a grid value), found by comparing input and output. With {@code mu_t = M_t * lambda_{t+1}} (M_t the
 * step's mask), the step's gradient term gives
 * <ul>
 *   <li>through the margin, per row {@code s = -eta l''(m) <grad m, mu>}: {@code s dm/dtheta} (an ordinary
 *       backward pass of m scaled by s) and {@code lambda_t = mu_t + P'_t (s grad m)}: this is the
 *       second-order term through the input gradient, {@code l''(m) grad m grad m^T};</li>
 *   <li>through the input gradient itself, with {@code kappa = -eta l'(m) mu}:
 *       {@code d<grad m, kappa>/dW_l = delta_l (a-dot_{l-1})^T}, where {@code a-dot} is the
 *       forward-mode tangent of the network in direction kappa (the same activation masks) and
 *       {@code delta_l = dm/dpre_l}; nothing for the biases and clips.</li>
 * </ul>
 * The input Hessian {@code grad^2 m} of a ReLU / clipped-ReLU network is zero almost everywhere (its
 * input gradient is piecewise constant), so {@code lambda} has no other term; the {@code relu(req - m)}
 * part has {@code l'' = 0} off its kink. PACT's rounding and the weights' LSQ rounding use the straight-
 * through gradients the rest of CFQ uses (activation masks {@code 0 < pre < alpha}, the clip's
 * gradient where {@code pre >= alpha}); the gradients here are with respect to the effective
 * (quantized) weights, which {@link MixedPrecisionWeight#backward} carries to the latent weights,
 * steps and width logits. Checked against central finite differences on a small network
 * ({@code StudentPgdMatchTest}).
 *
 * <p>Not thread-safe: one instance holds the buffers of up to {@code capacity} rows.
 */
final class StudentPgdMatch {
    /** The student as the unrolled search sees it: effective weights (out x in), biases, clips (null = ReLU). */
    record Net(float[][] w, float[][] b, float[][] alpha, int actQmax) {
    }

    /** Gradient accumulators of the same shapes as {@link Net} (clip gradients one float per hidden layer). */
    record Grad(float[][] w, float[][] b, float[] alpha) {
        static Grad zeros(int[] in, int[] out) {
            float[][] w = new float[in.length][];
            float[][] b = new float[in.length][];
            for (int l = 0; l < in.length; l++) {
                w[l] = new float[in[l] * out[l]];
                b[l] = new float[out[l]];
            }
            return new Grad(w, b, new float[in.length]);
        }

        void clear() {
            for (int l = 0; l < w.length; l++) {
                Arrays.fill(w[l], 0f);
                Arrays.fill(b[l], 0f);
            }
            Arrays.fill(alpha, 0f);
        }
    }

    /**
     * One evaluation.
     *
     * @param loss      the weighted term, mean over rows
     * @param distance  mean {@code |d_S - d_T|_1}
     * @param costGap   mean {@code |cost(d_S) - cost(d_T)|}
     * @param valid     share of rows where the student's K steps found a valid point
     */
    record Value(double loss, double distance, double costGap, double valid) {
    }

    private final FeasibilityProjector projector;
    private final int width;
    private final int layers;
    private final int[] in;
    private final int[] out;
    private final int steps;
    private final float eta;
    private final float[] threshold;
    private final float[] costWeights;
    private final double a1;
    private final double a2;
    private final double req;
    private final int sparsity;
    private final boolean secondOrder;
    private final int capacity;
    // per step t (and t = K for the final projection): projected point and its mask
    private final float[][] p;
    private final float[][] pMask;
    // per step t < K: the step's mask, the margins, the input gradients, and per layer pre, act, delta, alpha rows
    private final float[][] stepMask;
    private final float[][] margin;
    private final float[][] grad;
    private final float[][][] pre;
    private final float[][][] act;
    private final float[][][] delta;
    private final float[][][] clipRows;
    private final float[] z;
    private final float[] lo;
    private final float[] hi;
    private final float[] lambda;
    private final float[] mu;
    private final float[] scale;
    private final float[][] tangent;
    private final float[] comb;
    private final float[] up;
    /** The forward pass at the final point (validity only). */
    private final float[][] last;
    /** Per row, the iterate t that is d_S. */
    private final int[] chosen;
    /** dL/d(x + d_S) per row. */
    private final float[] end;

    /**
     * @param space    the dataset's action space
     * @param pgd      the teacher search whose step rule (step, cost weight) the student's steps follow
     * @param request  required margin, cost kind and sparsity
     * @param match    a1, a2 and K
     * @param in       inputs per layer
     * @param out      outputs per layer (the last is 2)
     * @param capacity the most rows of one call
     * @throws IllegalArgumentException for a cost whose step is not the soft-threshold (L2, mixed) or the
     *                                  normalized step rule
     */
    StudentPgdMatch(ActionSpace space, PgdConfig pgd, RecourseRequest request, CfqConfig.StudentMatch match, int[] in,
                    int[] out, int capacity) {
        this(space, pgd, request, match, in, out, capacity, true);
    }

    /** @param secondOrder false drops the {@code l''} terms (tests show the finite-difference check then fails) */
    StudentPgdMatch(ActionSpace space, PgdConfig pgd, RecourseRequest request, CfqConfig.StudentMatch match, int[] in,
                    int[] out, int capacity, boolean secondOrder) {
        Objects.requireNonNull(space, "space");
        CostKind kind = request.cost();
        if (kind == CostKind.L2 || kind == CostKind.MIXED) {
            throw new IllegalArgumentException("student matching (cfq-match) differentiates the soft-threshold step of "
                    + "the L1 costs; cost " + kind + " takes an L2 gradient step. Use --cost l1, mad or l0 with it.");
        }
        if (pgd.rule() != GradientSearch.StepRule.GRADIENT) {
            throw new IllegalArgumentException("student matching differentiates the plain gradient step; the teacher "
                    + "search uses " + pgd.rule());
        }
        this.projector = new FeasibilityProjector(space);
        this.width = space.width();
        this.layers = in.length;
        this.in = in.clone();
        this.out = out.clone();
        if (in[0] != width || out[layers - 1] != 2) {
            throw new IllegalArgumentException("network must take " + width + " columns and give 2 logits, got "
                    + in[0] + " -> " + out[layers - 1]);
        }
        this.steps = match.steps();
        this.eta = (float) pgd.step();
        CostFunction cost = space.cost(kind);
        this.costWeights = cost.weights();
        this.threshold = new float[width];
        float th = (float) (pgd.step() * pgd.costWeight());
        for (int j = 0; j < width; j++) {
            threshold[j] = th * costWeights[j];
        }
        this.a1 = match.distanceWeight();
        this.a2 = match.costWeight();
        this.req = request.requiredMargin();
        this.sparsity = request.sparsity();
        this.secondOrder = secondOrder;
        this.capacity = capacity;
        int cw = capacity * width;
        p = new float[steps + 1][cw];
        pMask = new float[steps + 1][cw];
        stepMask = new float[steps][cw];
        margin = new float[steps][capacity];
        grad = new float[steps][cw];
        pre = new float[steps][layers][];
        act = new float[steps][layers][];
        delta = new float[steps][layers][];
        clipRows = new float[steps][layers][];
        int widest = width;
        for (int t = 0; t < steps; t++) {
            for (int l = 0; l < layers; l++) {
                pre[t][l] = new float[capacity * out[l]];
                act[t][l] = new float[capacity * out[l]];
                delta[t][l] = new float[capacity * out[l]];
                clipRows[t][l] = new float[capacity];
            }
        }
        for (int l = 0; l < layers; l++) {
            widest = Math.max(widest, out[l]);
        }
        z = new float[cw];
        lo = new float[cw];
        hi = new float[cw];
        lambda = new float[cw];
        mu = new float[cw];
        scale = new float[capacity];
        tangent = new float[layers][];
        tangent[0] = new float[cw];
        for (int l = 1; l < layers; l++) {
            tangent[l] = new float[capacity * out[l - 1]];
        }
        comb = new float[capacity * widest];
        chosen = new int[capacity];
        end = new float[cw];
        last = new float[layers][];
        for (int l = 0; l < layers; l++) {
            last[l] = new float[capacity * out[l]];
        }
        up = new float[capacity * widest];
    }

    /**
     * Runs the student's K steps from every factual, evaluates the term and, when {@code g} is not
     * null, accumulates its gradient into {@code g}.
     *
     * @param net      the student's effective weights
     * @param x        factuals, (rows x width); read only
     * @param teacher  the teacher's counterfactuals {@code x + d_T}, (rows x width); read only
     * @param rows     rows, at most the capacity
     * @param g        gradient accumulators, or null for the value only
     */
    Value run(Net net, float[] x, float[] teacher, int rows, Grad g) {
        if (rows > capacity) {
            throw new IllegalArgumentException("rows must be <= " + capacity + ", got " + rows);
        }
        if (rows == 0) {
            return new Value(0, 0, 0, Double.NaN);
        }
        int n = rows * width;
        projector.relaxedBounds(x, rows, lo, hi);
        System.arraycopy(x, 0, z, 0, n);
        projector.clampRelaxed(x, z, rows);
        for (int t = 0; t < steps; t++) {
            project(x, rows, t);
            forward(net, p[t], rows, t);
            float[] lg = act[t][layers - 1];
            for (int q = 0; q < rows; q++) {
                margin[t][q] = lg[2 * q + 1] - lg[2 * q];
            }
            marginBackward(net, rows, t);
            step(x, rows, t);
        }
        project(x, rows, steps);
        forwardLast(net, rows);
        // d_S: per row the cheapest valid projected iterate p_t (t = 0..K), the first on ties, as the search keeps
        // its best point; the last iterate when none is valid. The choice is locally constant.
        float[] ml = last[layers - 1];
        int found = 0;
        for (int q = 0; q < rows; q++) {
            int o = q * width;
            int pick = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int t = 0; t <= steps; t++) {
                double m = t < steps ? margin[t][q] : (double) ml[2 * q + 1] - ml[2 * q];
                if (!(m > req) || !Double.isFinite(m)) {
                    continue;
                }
                double c = 0;
                for (int j = 0; j < width; j++) {
                    c += costWeights[j] * Math.abs((double) p[t][o + j] - x[o + j]);
                }
                if (c < best - 1e-12) {
                    best = c;
                    pick = t;
                }
            }
            if (pick >= 0) {
                found++;
            }
            chosen[q] = pick >= 0 ? pick : steps;
        }
        double lossSum = 0;
        double distSum = 0;
        double gapSum = 0;
        float inv = 1f / rows;
        for (int q = 0; q < rows; q++) {
            int o = q * width;
            float[] ps = p[chosen[q]];
            double dist = 0;
            double cs = 0;
            double ct = 0;
            for (int j = 0; j < width; j++) {
                double ds = (double) ps[o + j] - x[o + j];
                double dt = (double) teacher[o + j] - x[o + j];
                dist += Math.abs(ds - dt);
                cs += costWeights[j] * Math.abs(ds);
                ct += costWeights[j] * Math.abs(dt);
            }
            double gap = cs - ct;
            distSum += dist;
            gapSum += Math.abs(gap);
            lossSum += a1 * dist + a2 * Math.abs(gap);
            float sg = (float) Math.signum(gap);
            float[] pm = pMask[chosen[q]];
            for (int j = 0; j < width; j++) {
                float ds = ps[o + j] - x[o + j];
                float dt = teacher[o + j] - x[o + j];
                float d = (float) (a1 * Math.signum(ds - dt) + a2 * sg * costWeights[j] * Math.signum(ds));
                end[o + j] = pm[o + j] * d * inv;
            }
        }
        if (g != null) {
            Arrays.fill(lambda, 0, rows * width, 0f);
            for (int t = steps - 1; t >= 0; t--) {
                // rows whose d_S is p_{t+1} start their backward pass here
                for (int q = 0; q < rows; q++) {
                    if (chosen[q] == t + 1) {
                        System.arraycopy(end, q * width, lambda, q * width, width);
                    }
                }
                reverseStep(net, rows, t, g);
            }
        }
        return new Value(lossSum / rows, distSum / rows, gapSum / rows, (double) found / rows);
    }

    /** {@return the student's points {@code x + d_S} of the last {@link #run}, (rows x width)} */
    float[] lastEnd(int rows) {
        float[] outp = new float[rows * width];
        for (int q = 0; q < rows; q++) {
            System.arraycopy(p[chosen[q]], q * width, outp, q * width, width);
        }
        return outp;
    }

    /** p[t] = P(z) and its 0/1 diagonal Jacobian (1 where P kept the column as it was). */
    private void project(float[] x, int rows, int t) {
        int n = rows * width;
        float[] pt = p[t];
        System.arraycopy(z, 0, pt, 0, n);
        projector.project(x, pt, rows, sparsity, costWeights);
        float[] m = pMask[t];
        for (int i = 0; i < n; i++) {
            m[i] = pt[i] == z[i] ? 1f : 0f;
        }
    }

    /** The student at {@code input}: pre-activations and activations of step t. */
    private void forward(Net net, float[] input, int rows, int t) {
        float[] a = input;
        for (int l = 0; l < layers; l++) {
            Dense.affine(a, rows, in[l], net.w()[l], net.b()[l], out[l], pre[t][l]);
            int cnt = rows * out[l];
            float[] y = act[t][l];
            if (l == layers - 1) {
                System.arraycopy(pre[t][l], 0, y, 0, cnt);
            } else if (net.alpha()[l] != null) {
                float al = net.alpha()[l][0];
                float s = al / net.actQmax();
                Dense.clipQuantize(pre[t][l], cnt, al, s, 1f / s, net.actQmax(), y);
            } else {
                System.arraycopy(pre[t][l], 0, y, 0, cnt);
                Dense.relu(y, cnt);
            }
            a = y;
        }
    }

    /** delta_l = dm/dpre_l of step t, the clip rows (sum of dm/da over pre &gt;= alpha), and grad m into grad[t]. */
    private void marginBackward(Net net, int rows, int t) {
        float[] d = delta[t][layers - 1];
        for (int q = 0; q < rows; q++) {
            d[2 * q] = -1f;
            d[2 * q + 1] = 1f;
        }
        for (int l = layers - 1; l >= 1; l--) {
            int h = out[l - 1];
            float[] prev = delta[t][l - 1];
            Dense.affineInputGrad(delta[t][l], rows, out[l], net.w()[l], in[l], up);
            float[] pr = pre[t][l - 1];
            float[] al = net.alpha()[l - 1];
            float[] cr = clipRows[t][l - 1];
            for (int q = 0; q < rows; q++) {
                double c = 0;
                for (int u = q * h; u < (q + 1) * h; u++) {
                    float v = pr[u];
                    if (al != null && v >= al[0]) {
                        c += up[u];
                        prev[u] = 0f;
                    } else {
                        prev[u] = v > 0f && (al == null || v < al[0]) ? up[u] : 0f;
                    }
                }
                cr[q] = (float) c;
            }
        }
        Dense.affineInputGrad(delta[t][0], rows, out[0], net.w()[0], in[0], grad[t]);
    }

    /** z = clamp(x + S(z - eta l'(m) grad m - x)) and the step's mask. */
    private void step(float[] x, int rows, int t) {
        float[] gr = grad[t];
        float[] mk = stepMask[t];
        for (int q = 0; q < rows; q++) {
            float lp = (float) lossSlope(margin[t][q]);
            int o = q * width;
            for (int j = 0; j < width; j++) {
                int i = o + j;
                float d = z[i] - eta * (lp * gr[i]) - x[i];
                float th = threshold[j];
                float v = x[i] + d - Math.max(-th, Math.min(th, d));
                boolean pass = th == 0f || d > th || d < -th;
                float l = lo[i];
                float h = hi[i];
                boolean inside = l != h && v > l && v < h;
                z[i] = l == h ? l : Math.max(l, Math.min(h, v));
                mk[i] = pass && inside ? 1f : 0f;
            }
        }
    }

    /** Back through step t: lambda (dL/dz_{t+1}) becomes dL/dz_t; the weights' gradients accumulate into g. */
    private void reverseStep(Net net, int rows, int t, Grad g) {
        int n = rows * width;
        float[] mk = stepMask[t];
        for (int i = 0; i < n; i++) {
            mu[i] = mk[i] * lambda[i];
        }
        float[] gr = grad[t];
        float[] kappa = tangent[0];
        for (int q = 0; q < rows; q++) {
            double m = margin[t][q];
            int o = q * width;
            double dot = 0;
            for (int j = 0; j < width; j++) {
                dot += (double) gr[o + j] * mu[o + j];
            }
            double s = secondOrder ? -eta * lossCurvature(m) * dot : 0;
            scale[q] = (float) s;
            float k = (float) (-eta * lossSlope(m));
            for (int j = 0; j < width; j++) {
                kappa[o + j] = k * mu[o + j];
                // mu plus the second-order term through the input gradient, where P passed the column
                lambda[o + j] = mu[o + j] + pMask[t][o + j] * (float) s * gr[o + j];
            }
        }
        // the tangent of the network in direction kappa, with step t's activation masks
        for (int l = 1; l < layers; l++) {
            float[] tp = tangent[l];
            Dense.affine(tangent[l - 1], rows, in[l - 1], net.w()[l - 1], null, out[l - 1], tp);
            float[] pr = pre[t][l - 1];
            float[] al = net.alpha()[l - 1];
            int cnt = rows * out[l - 1];
            for (int u = 0; u < cnt; u++) {
                float v = pr[u];
                tp[u] = v > 0f && (al == null || v < al[0]) ? tp[u] : 0f;
            }
        }
        for (int l = 0; l < layers; l++) {
            float[] input = l == 0 ? p[t] : act[t][l - 1];
            float[] tg = tangent[l];
            int w = in[l];
            for (int q = 0; q < rows; q++) {
                float s = scale[q];
                int o = q * w;
                for (int j = o; j < o + w; j++) {
                    comb[j] = s * input[j] + tg[j];
                }
            }
            Dense.affineWeightGrad(delta[t][l], comb, rows, w, out[l], g.w()[l], null);
            float[] d = delta[t][l];
            float[] gb = g.b()[l];
            int k = out[l];
            for (int q = 0; q < rows; q++) {
                float s = scale[q];
                for (int u = 0; u < k; u++) {
                    gb[u] += s * d[q * k + u];
                }
            }
            if (l < layers - 1 && net.alpha()[l] != null) {
                double ga = 0;
                for (int q = 0; q < rows; q++) {
                    ga += (double) scale[q] * clipRows[t][l][q];
                }
                g.alpha()[l] += (float) ga;
            }
        }
    }

    /** The student at the final projected point P(z_K), into {@code last}. */
    private void forwardLast(Net net, int rows) {
        float[] cur = p[steps];
        for (int l = 0; l < layers; l++) {
            float[] y = last[l];
            Dense.affine(cur, rows, in[l], net.w()[l], net.b()[l], out[l], y);
            int cnt = rows * out[l];
            if (l < layers - 1 && net.alpha()[l] != null) {
                float al = net.alpha()[l][0];
                float s = al / net.actQmax();
                Dense.clipQuantize(y, cnt, al, s, 1f / s, net.actQmax(), y);
            } else if (l < layers - 1) {
                Dense.relu(y, cnt);
            }
            cur = y;
        }
    }

    /** l'(m) of {@code softplus(-m) + relu(req - m)}; 0 for a non-finite margin (as the search). */
    private double lossSlope(double m) {
        if (!Double.isFinite(m)) {
            return 0;
        }
        return -(1.0 / (1.0 + Math.exp(m)) + (m < req ? 1.0 : 0.0));
    }

    /** l''(m) = sigma(m) sigma(-m) off the hinge's kink. */
    private static double lossCurvature(double m) {
        if (!Double.isFinite(m)) {
            return 0;
        }
        double e = Math.exp(-Math.abs(m));
        return e / ((1 + e) * (1 + e));
    }
}
