package org.cfq.recourse.linear;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;

/**
 * Exact minimum-cost actionable recourse for a logistic-regression {@link Mlp} (no hidden layer),
 * under the weighted-L1 costs ({@link CostKind#L1}, {@link CostKind#L1_MAD}) and an optional
 * sparsity limit.
 *
 * <h2>Why the answer is optimal</h2>
 * The favorable margin is {@code a . x' + b}; we need {@code a . x' + b >= T} with
 * {@code T = requiredMargin + slack} (the slack, 1e-5 unless float32 rounding needs more, makes
 * the strict inequality survive float32 evaluation). The cost {@code sum_j w_j |x'_j - x_j|} is separable, with a categorical group
 * costing 1 for any level change.
 * <ol>
 *   <li><b>Helpful directions only.</b> Moving a numeric, ordinal or binary feature against the
 *       sign of its coefficient lowers the margin and raises the cost, so some optimum never
 *       does it; each such feature becomes one variable {@code y_j >= 0} (model-space units for
 *       continuous features, grid steps for integer and ordinal ones, 0/1 for binary ones) with
 *       gain {@code g_j > 0} and cost {@code c_j > 0} per unit, bounded by the box, the
 *       monotone rule and the immutables ({@code U_j}). A categorical change costs the same
 *       whatever the new level, so only the level with the largest margin gain is worth
 *       considering: one 0/1 variable per group.</li>
 *   <li><b>Exact relaxation.</b> Without integrality the problem {@code min c.y, g.y >= R,
 *       0 <= y <= U} is a fractional covering knapsack; filling variables in decreasing
 *       {@code g_j / c_j} order is optimal (Dantzig 1957: any solution that uses a lower-ratio
 *       unit while a higher-ratio one is free can swap them without raising the cost), and at
 *       most one variable ends fractional.</li>
 *   <li><b>Branch and bound.</b> When that variable must be integral, the node splits into
 *       {@code y_j <= floor} and {@code y_j >= ceil}, which partition the integer domain; a
 *       node is pruned only when its relaxation (a lower bound) is infeasible or not cheaper
 *       than the best integral point found; the domains are finite, so the search ends, and the
 *       best integral point is a global optimum.</li>
 *   <li><b>Sparsity.</b> Under a limit k the search enumerates the sets of at most k variables
 *       by include / exclude branching, pruning a branch when the relaxation over every
 *       variable it may still use (integrality and the limit dropped: a lower bound) is
 *       infeasible or not cheaper than the incumbent; each leaf set is solved by step 3. Every
 *       feasible sparse point lies in some leaf, so the result stays exact.</li>
 * </ol>
 * <h2>Natural domain</h2>
 * Under a natural domain (issue #11) the same argument holds over the natural action set: the
 * box is {@link ActionSpace#boxLo}..{@link ActionSpace#boxHi} (box ∩ natural range, on the
 * step grid); a stepped feature is an integral variable counting whole steps from the factual
 * (its grid point); a categorical group's candidate level is the best one it may be advised
 * ({@link ActionSpace#targetAllowed}: levels never advised, forbidden transitions, rules with an
 * immutable partner); a binary feature that may not be advised its other level, and an ordinal
 * feature's levels past the first one it may not be advised, are left out. These are exactly the
 * points the projector can return, so linear-exact stays optimal over them and never costlier
 * than pgd. Two limits, documented in docs/recourse.md: a factual off its step grid moves from its
 * grid point (cost counted from there), and a consistency rule between two mutable features is
 * checked on the answer (a breaking answer is reported as not found) rather than optimized
 * jointly; no built-in preset has either.
 *
 * The tests compare it with brute-force enumeration on small schemas.
 */
public final class LinearExactGenerator implements RecourseGenerator<Mlp> {
    /**
     * Margins added to the target, smallest first, so the strict validity test survives float32
     * evaluation: the strict inequality has an infimum, not a minimum, and this is how far above it
     * the answer sits. A larger slack is tried only when float32 rounding made the point invalid.
     */
    static final double[] SLACKS = {1e-5, 1e-4, 1e-3};

    /** The smallest slack. */
    public static final double SLACK = 1e-5;

    private final ActionSpace space;

    public LinearExactGenerator(ActionSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    @Override
    public String name() {
        return "linear-exact";
    }

    @Override
    public RecourseBatch generate(Mlp model, float[] factuals, int rows, RecourseRequest request) {
        int w = space.width();
        if (model.inputDim() != w) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " columns, action space has " + w);
        }
        if (request.cost() != CostKind.L1 && request.cost() != CostKind.L1_MAD) {
            throw new IllegalArgumentException("linear-exact supports costs L1 and L1_MAD, got " + request.cost());
        }
        RecourseResult[] out = new RecourseResult[rows];
        if (model.layers().size() != 1) {
            Arrays.fill(out, new RecourseResult.NotFound(RecourseResult.Reason.UNSUPPORTED_MODEL));
            return RecourseBatch.of(w, out);
        }
        DenseLayer layer = model.layers().get(0);
        double[] a = new double[w];
        for (int j = 0; j < w; j++) {
            a[j] = (double) layer.weight()[w + j] - layer.weight()[j];
        }
        double b = (double) layer.bias()[1] - layer.bias()[0];
        CostFunction cost = space.cost(request.cost());
        float[] weights = cost.weights();
        float[] cf = new float[w];
        float[] one = new float[1];
        for (int r = 0; r < rows; r++) {
            for (double slack : SLACKS) {
                out[r] = solveRow(model, a, b, weights, cost, factuals, r * w, request, slack, cf, one);
                if (!(out[r] instanceof RecourseResult.NotFound nf
                        && nf.reason() == RecourseResult.Reason.BUDGET_EXHAUSTED)) {
                    break;
                }
            }
        }
        return RecourseBatch.of(w, out);
    }

    private RecourseResult solveRow(Mlp model, double[] a, double b, float[] weights, CostFunction cost,
                                    float[] x, int xo, RecourseRequest req, double slack, float[] cf,
                                    float[] one) {
        int w = space.width();
        double margin = b;
        for (int j = 0; j < w; j++) {
            margin += a[j] * x[xo + j];
        }
        double need = req.requiredMargin() + slack - margin;
        System.arraycopy(x, xo, cf, 0, w);
        if (need <= 0) {
            return found(model, cost, x, xo, cf, req, one);
        }
        Problem p = build(a, weights, x, xo);
        if (p.n == 0) {
            return new RecourseResult.NotFound(space.anyMutable() ? RecourseResult.Reason.PROVEN_INFEASIBLE
                    : RecourseResult.Reason.NO_ACTIONABLE_FEATURES);
        }
        double[] y = Knapsack.solve(p.gain, p.cost, p.upper, p.integral, need, req.sparsity());
        if (y == null) {
            return new RecourseResult.NotFound(RecourseResult.Reason.PROVEN_INFEASIBLE);
        }
        for (int v = 0; v < p.n; v++) {
            if (y[v] == 0) {
                continue;
            }
            int f = p.feature[v];
            int s = space.start(f);
            switch (space.kind(f)) {
                case CATEGORICAL -> {
                    Arrays.fill(cf, s, s + space.span(f), 0f);
                    cf[s + p.level[v]] = 1f;
                }
                case BINARY -> cf[s] = 1f - x[xo + s];
                case INTEGER, ORDINAL -> {
                    double st = space.step(f) > 0 ? space.step(f) : 1;
                    double v0 = gridPoint(f, space.decode(f, x[xo + s]), p.direction[v]);
                    cf[s] = (float) space.encode(f, v0 + p.direction[v] * y[v] * st);
                }
                default -> {
                    if (space.step(f) > 0) {
                        double st = space.step(f);
                        double v0 = gridPoint(f, space.decode(f, x[xo + s]), p.direction[v]);
                        cf[s] = (float) space.encode(f, v0 + p.direction[v] * y[v] * st);
                    } else {
                        cf[s] = (float) (x[xo + s] + p.direction[v] * y[v]);
                    }
                }
            }
        }
        if (space.rules().length > 0 && breaksRule(x, xo, cf)) {
            return new RecourseResult.NotFound(RecourseResult.Reason.PROVEN_INFEASIBLE);
        }
        return found(model, cost, x, xo, cf, req, one);
    }

    /** The factual's value on the step grid: itself when on it, else the grid point behind it in direction dir. */
    private double gridPoint(int f, double v, int dir) {
        double st = space.step(f) > 0 ? space.step(f) : 1;
        double k = Math.rint(v / st) * st;
        if (Math.abs(k - v) <= 1e-6 * Math.max(1, Math.abs(v))) {
            return k;
        }
        return dir > 0 ? Math.floor(v / st) * st : Math.ceil(v / st) * st;
    }

    private boolean breaksRule(float[] x, int xo, float[] cf) {
        for (ActionSpace.Rule r : space.rules()) {
            int a = r.ifFeature();
            int b = r.thenFeature();
            boolean ca = space.level(a, cf, 0) != space.level(a, x, xo);
            boolean cb = space.level(b, cf, 0) != space.level(b, x, xo);
            if ((ca || cb) && !r.holds(space.level(a, cf, 0), space.level(b, cf, 0))) {
                return true;
            }
        }
        return false;
    }

    private RecourseResult found(Mlp model, CostFunction cost, float[] x, int xo, float[] cf, RecourseRequest req,
                                 float[] one) {
        model.margins(cf, 1, one);
        if (!req.isValid(one[0])) {
            // float32 rounding beyond the slack: the caller retries with a larger one
            return new RecourseResult.NotFound(RecourseResult.Reason.BUDGET_EXHAUSTED);
        }
        double c = cost.cost(x, xo, cf, 0);
        return new RecourseResult.Found(cf, c, CostFunction.changedFeatures(space, x, xo, cf, 0), one[0]);
    }

    /** The knapsack variables of one instance. */
    private static final class Problem {
        int n;
        double[] gain;
        double[] cost;
        double[] upper;
        boolean[] integral;
        int[] feature;
        int[] direction;
        int[] level;
    }

    private Problem build(double[] a, float[] weights, float[] x, int xo) {
        int nf = space.features();
        Problem p = new Problem();
        p.gain = new double[nf];
        p.cost = new double[nf];
        p.upper = new double[nf];
        p.integral = new boolean[nf];
        p.feature = new int[nf];
        p.direction = new int[nf];
        p.level = new int[nf];
        int n = 0;
        for (int f = 0; f < nf; f++) {
            Actionability act = space.actionability(f);
            if (act == Actionability.IMMUTABLE) {
                continue;
            }
            int s = space.start(f);
            FeatureKind kind = space.kind(f);
            double g;
            double c;
            double u;
            int dir = 1;
            int level = 0;
            boolean integral = true;
            if (kind == FeatureKind.CATEGORICAL) {
                int cur = 0;
                for (int k = 0; k < space.span(f); k++) {
                    if (x[xo + s + k] > 0.5f) {
                        cur = k;
                    }
                }
                int best = -1;
                for (int k = 0; k < space.span(f); k++) {
                    if (k != cur && (best < 0 || a[s + k] > a[s + best])
                            && (!space.hasNaturalDomain() || space.targetAllowed(f, cur, k, x, xo))) {
                        best = k;
                    }
                }
                if (best < 0) {
                    continue;
                }
                g = a[s + best] - a[s + cur];
                c = (double) weights[s + cur] + weights[s + best];
                u = 1;
                level = best;
            } else if (kind == FeatureKind.BINARY) {
                boolean on = x[xo + s] > 0.5f;
                g = on ? -a[s] : a[s];
                if (on && act == Actionability.INCREASE_ONLY || !on && act == Actionability.DECREASE_ONLY) {
                    continue;
                }
                if (space.hasNaturalDomain() && !space.targetAllowed(f, on ? 1 : 0, on ? 0 : 1, x, xo)) {
                    continue;
                }
                c = weights[s];
                u = 1;
            } else {
                dir = a[s] >= 0 ? 1 : -1;
                if (dir > 0 && act == Actionability.DECREASE_ONLY || dir < 0 && act == Actionability.INCREASE_ONLY) {
                    continue;
                }
                if (kind == FeatureKind.CONTINUOUS && space.step(f) == 0) {
                    integral = false;
                    double z0 = x[xo + s];
                    double lo = Math.min(space.encode(f, space.boxLo(f)), z0);
                    double hi = Math.max(space.encode(f, space.boxHi(f)), z0);
                    u = dir > 0 ? hi - z0 : z0 - lo;
                    g = Math.abs(a[s]);
                    c = weights[s];
                } else if (space.step(f) > 0) {
                    // whole steps from the factual's grid point, inside box ∩ natural range
                    double st = space.step(f);
                    double v0 = gridPoint(f, space.decode(f, x[xo + s]), dir);
                    double lo = Math.min(space.boxLo(f), v0);
                    double hi = Math.max(space.boxHi(f), v0);
                    u = dir > 0 ? Math.floor((hi - v0) / st + 1e-9) : Math.floor((v0 - lo) / st + 1e-9);
                    if (kind == FeatureKind.ORDINAL) {
                        int from = (int) Math.rint(v0);
                        int steps = 0;
                        while (steps < u && space.targetAllowed(f, from, from + dir * (steps + 1), x, xo)) {
                            steps++;
                        }
                        u = steps;
                    }
                    g = Math.abs(a[s]) * space.gridStep(f) * st;
                    c = weights[s] * space.gridStep(f) * st;
                } else {
                    double v0 = Math.rint(space.decode(f, x[xo + s]));
                    double lo = Math.min(Math.ceil(space.boxLo(f) - 1e-9), v0);
                    double hi = Math.max(Math.floor(space.boxHi(f) + 1e-9), v0);
                    u = dir > 0 ? hi - v0 : v0 - lo;
                    g = Math.abs(a[s]) * space.gridStep(f);
                    c = weights[s] * space.gridStep(f);
                }
            }
            if (!(g > 0) || !(u > 0)) {
                continue;
            }
            p.gain[n] = g;
            p.cost[n] = c;
            p.upper[n] = u;
            p.integral[n] = integral;
            p.feature[n] = f;
            p.direction[n] = dir;
            p.level[n] = level;
            n++;
        }
        p.n = n;
        p.gain = Arrays.copyOf(p.gain, n);
        p.cost = Arrays.copyOf(p.cost, n);
        p.upper = Arrays.copyOf(p.upper, n);
        p.integral = Arrays.copyOf(p.integral, n);
        return p;
    }
}
