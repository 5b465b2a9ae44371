package org.cfq.recourse.linear;

import java.util.Arrays;

/**
 * Exact solver of the bounded mixed-integer covering knapsack
 * {@code min sum c_j y_j  s.t.  sum g_j y_j >= need,  0 <= y_j <= U_j,  y_j integral where marked,
 * at most k of the y_j non-zero (k = 0: no limit)}, with every {@code g_j, c_j > 0}.
 * See {@link LinearExactGenerator} for the argument.
 */
final class Knapsack {
    private final double[] gain;
    private final double[] cost;
    private final boolean[] integral;
    private final double need;
    private final Integer[] byRatio;
    private double bestCost = Double.POSITIVE_INFINITY;
    private double[] best;

    private Knapsack(double[] gain, double[] cost, boolean[] integral, double need) {
        this.gain = gain;
        this.cost = cost;
        this.integral = integral;
        this.need = need;
        int n = gain.length;
        byRatio = new Integer[n];
        for (int j = 0; j < n; j++) {
            byRatio[j] = j;
        }
        Arrays.sort(byRatio, (p, q) -> Double.compare(gain[q] / cost[q], gain[p] / cost[p]));
    }

    /** {@return an optimal y, or null when no feasible point exists} */
    static double[] solve(double[] gain, double[] cost, double[] upper, boolean[] integral, double need, int k) {
        int n = gain.length;
        Knapsack ks = new Knapsack(gain, cost, integral, need);
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int j = 0; j < n; j++) {
            hi[j] = integral[j] ? Math.floor(upper[j] + 1e-9) : upper[j];
        }
        if (k <= 0 || k >= n) {
            ks.branch(lo, hi);
        } else {
            boolean[] allowed = new boolean[n];
            Arrays.fill(allowed, true);
            ks.subsets(0, 0, k, allowed, hi);
        }
        return ks.best;
    }

    /** Include / exclude the variable at position {@code pos} of the ratio order. */
    private void subsets(int pos, int chosen, int k, boolean[] allowed, double[] hi) {
        int n = gain.length;
        double[] lo = new double[n];
        double[] h = new double[n];
        for (int j = 0; j < n; j++) {
            h[j] = allowed[j] ? hi[j] : 0;
        }
        double bound = relax(lo, h, null);
        if (!(bound < bestCost - 1e-12)) {
            return; // infeasible (NaN/inf) or not cheaper
        }
        if (chosen == k || pos == n) {
            // every later variable is excluded when the set is full
            for (int q = pos; q < n; q++) {
                if (chosen == k) {
                    h[byRatio[q]] = 0;
                }
            }
            branch(lo, h);
            return;
        }
        int j = byRatio[pos];
        subsets(pos + 1, chosen + 1, k, allowed, hi);
        allowed[j] = false;
        subsets(pos + 1, chosen, k, allowed, hi);
        allowed[j] = true;
    }

    /** Depth-first branch and bound on the fractional integral variable. */
    private void branch(double[] lo, double[] hi) {
        double[] y = new double[gain.length];
        double bound = relax(lo, hi, y);
        if (!(bound < bestCost - 1e-12)) {
            return;
        }
        int frac = -1;
        for (int j = 0; j < y.length; j++) {
            if (integral[j] && Math.abs(y[j] - Math.rint(y[j])) > 1e-9) {
                frac = j;
                break;
            }
        }
        if (frac < 0) {
            for (int j = 0; j < y.length; j++) {
                if (integral[j]) {
                    y[j] = Math.rint(y[j]);
                }
            }
            bestCost = bound;
            best = y;
            return;
        }
        double v = y[frac];
        double oldLo = lo[frac];
        double oldHi = hi[frac];
        // Round up first: it stays feasible and gives an incumbent early.
        lo[frac] = Math.ceil(v);
        branch(lo, hi);
        lo[frac] = oldLo;
        hi[frac] = Math.floor(v);
        branch(lo, hi);
        hi[frac] = oldHi;
    }

    /**
     * The LP relaxation over the box [lo, hi] by ratio-greedy.
     *
     * @param y receives the optimal point when non-null
     * @return its cost, or +inf when even every variable at its upper bound falls short
     */
    private double relax(double[] lo, double[] hi, double[] y) {
        double c = 0;
        double rest = need;
        for (int j = 0; j < gain.length; j++) {
            if (lo[j] > hi[j]) {
                return Double.POSITIVE_INFINITY;
            }
            c += cost[j] * lo[j];
            rest -= gain[j] * lo[j];
            if (y != null) {
                y[j] = lo[j];
            }
        }
        for (int q = 0; q < byRatio.length && rest > 0; q++) {
            int j = byRatio[q];
            double room = hi[j] - lo[j];
            if (room <= 0) {
                continue;
            }
            double take = Math.min(room, rest / gain[j]);
            c += cost[j] * take;
            rest -= gain[j] * take;
            if (y != null) {
                y[j] += take;
            }
        }
        return rest > 1e-12 ? Double.POSITIVE_INFINITY : c;
    }
}
