package org.cfq.recourse.certified;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.FastIntervals;
import org.cfq.bounds.Neighbourhood;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.FeasibilityProjector;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.WachterConfig;

/**
 * The batched search behind {@link CertifiedGenerator}: Wachter's schedule on the robust margin
 * {@code R(x') = min_k L_k(x')}, where {@code L_k} is the CROWN (or interval, when larger) lower
 * bound ({@link FastIntervals}) of model k's margin over the neighbourhood box of x' (the changed
 * numeric features of x' get their tolerance). Per step, for every active row: project the
 * relaxed point onto the action set, bound every model on the box, stop the row when
 * {@code R > target} (keeping the last relaxed point below the target for the bisection), else
 * step along {@code lambda (sigmoid(-R) + [R < target])} times the mean gradient of the bounds
 * of the models within {@link #NEAR} of R (CROWN's input coefficients, {@link
 * FastIntervals#crownLowerBounds}: the bound is differentiable in the box centre), then the
 * proximal step of {@code c * cost} (soft-thresholding,
 * so untouched features stay exactly at the factual). Rows that stopped are bisected back toward
 * their last point below the target, keeping the end above it.
 *
 * <p>Rows are independent: blocks of {@link #BLOCK} rows run in parallel, each a whole search
 * with its own buffers, so results do not depend on the thread count.
 */
final class CertifiedSearch {
    /** Models whose bound is within this of the smallest one share the gradient. */
    static final float NEAR = 0.05f;
    static final int BLOCK = 256;

    private final ActionSpace space;
    private final DeploymentSet set;
    private final Neighbourhood nb;
    private final FastIntervals[] fast;
    private final WachterConfig cfg;
    private final FeasibilityProjector projector;

    CertifiedSearch(ActionSpace space, DeploymentSet set, Neighbourhood nb, WachterConfig cfg) {
        this.space = space;
        this.set = set;
        this.nb = nb;
        this.cfg = cfg;
        this.projector = new FeasibilityProjector(space);
        fast = new FastIntervals[set.size()];
        for (int k = 0; k < fast.length; k++) {
            fast[k] = new FastIntervals(set.get(k).network());
        }
    }

    /**
     * Searches every row.
     *
     * @param out per row the candidate (projected point whose approximate robust margin cleared
     *            the target), (rows x width); the factual where none was found
     * @return per row whether a candidate was found
     */
    boolean[] run(float[] factuals, int rows, RecourseRequest req, double target, float[] out) {
        boolean[] found = new boolean[rows];
        int blocks = (rows + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * BLOCK;
            int n = Math.min(rows, from + BLOCK) - from;
            block(factuals, from, n, req, target, out, found);
        });
        return found;
    }

    private void block(float[] factuals, int from, int n, RecourseRequest req, double target, float[] out,
                       boolean[] found) {
        int w = space.width();
        CostFunction cost = space.cost(req.cost());
        float[] weights = cost.weights();
        float[] fx = Arrays.copyOfRange(factuals, from * w, (from + n) * w);
        float[] z = fx.clone();
        float[] zPrev = fx.clone();
        float[] hitZ = new float[n * w];
        float[] lastBelow = new float[n * w];
        boolean[] hit = new boolean[n];
        int[] active = new int[n];
        for (int i = 0; i < n; i++) {
            active[i] = i;
        }
        int na = n;
        float[] p = new float[n * w];
        float[] fa = new float[n * w];
        float[] r = new float[n];
        float[][] lk = new float[fast.length][n];
        float[][] gk = new float[fast.length][n * w];
        float[] dx = new float[n * w];
        int total = cfg.rounds() * cfg.stepsPerRound();
        float step = (float) cfg.step();
        float thresh = (float) (cfg.step() * cfg.costWeight());
        for (int t = 0; t <= total && na > 0; t++) {
            double lambda = cfg.lambda0() * Math.pow(cfg.lambdaFactor(), Math.min(t, total - 1) / cfg.stepsPerRound());
            for (int q = 0; q < na; q++) {
                System.arraycopy(z, active[q] * w, p, q * w, w);
                System.arraycopy(fx, active[q] * w, fa, q * w, w);
            }
            projector.project(fa, 0, p, 0, na, req.sparsity(), weights);
            robust(fa, p, na, lk, gk, r);
            int kept = 0;
            for (int q = 0; q < na; q++) {
                int i = active[q];
                if (r[q] > target) {
                    hit[i] = true;
                    System.arraycopy(z, i * w, hitZ, i * w, w);
                    System.arraycopy(t == 0 ? z : zPrev, i * w, lastBelow, i * w, w);
                    System.arraycopy(p, q * w, out, (from + i) * w, w);
                    found[from + i] = true;
                }
            }
            if (t == total) {
                break;
            }
            gradient(na, lk, gk, r, target, lambda, dx);
            for (int q = 0; q < na; q++) {
                int i = active[q];
                if (hit[i]) {
                    continue;
                }
                int o = i * w;
                System.arraycopy(z, o, zPrev, o, w);
                for (int j = 0; j < w; j++) {
                    float d = z[o + j] - step * dx[q * w + j] - fx[o + j];
                    float th = thresh * weights[j];
                    z[o + j] = fx[o + j] + d - Math.max(-th, Math.min(th, d));
                }
                active[kept++] = i;
            }
            na = kept;
            if (na > 0) {
                clampActive(fx, z, active, na, w);
            }
        }
        bisect(fx, hitZ, lastBelow, hit, n, req, target, weights, from, out);
    }

    private void clampActive(float[] fx, float[] z, int[] active, int na, int w) {
        for (int q = 0; q < na; q++) {
            projector.clampRelaxed(fx, z, active[q], 1);
        }
    }

    /** Per model the approximate CROWN bound and its gradient, and their minimum per row. */
    private void robust(float[] fa, float[] p, int na, float[][] lk, float[][] gk, float[] r) {
        int w = space.width();
        float[] lo = new float[na * w];
        float[] hi = new float[na * w];
        for (int q = 0; q < na; q++) {
            nb.box(fa, q * w, p, q * w, lo, hi, q * w);
        }
        Arrays.fill(r, 0, na, Float.POSITIVE_INFINITY);
        for (int k = 0; k < fast.length; k++) {
            fast[k].crownLowerBounds(lo, hi, na, lk[k], gk[k]);
            for (int q = 0; q < na; q++) {
                float v = Float.isNaN(lk[k][q]) ? Float.NEGATIVE_INFINITY : lk[k][q];
                lk[k][q] = v;
                r[q] = Math.min(r[q], v);
            }
        }
    }

    /**
     * dx = g_r times the mean, over the models whose bound is within {@link #NEAR} of the smallest,
     * of their bounds' gradients, with g the derivative of the outcome term.
     */
    private void gradient(int na, float[][] lk, float[][] gk, float[] r, double target, double lambda, float[] dx) {
        int w = space.width();
        for (int q = 0; q < na; q++) {
            double m = r[q];
            float g = Double.isFinite(m) ? (float) (-lambda * (1.0 / (1.0 + Math.exp(m)) + (m < target ? 1.0 : 0.0)))
                    : (float) (-lambda * 2);
            int near = 0;
            for (int k = 0; k < fast.length; k++) {
                if (lk[k][q] <= r[q] + NEAR) {
                    near++;
                }
            }
            float scale = g / Math.max(1, near);
            int o = q * w;
            Arrays.fill(dx, o, o + w, 0f);
            for (int k = 0; k < fast.length; k++) {
                if (lk[k][q] <= r[q] + NEAR) {
                    float[] gg = gk[k];
                    for (int j = 0; j < w; j++) {
                        // the objective's gradient is -dR/dx for a descent step: g is already negative
                        dx[o + j] += scale * gg[o + j];
                    }
                }
            }
        }
    }

    /** Bisection from each hit toward its last relaxed point below the target, keeping the end above it. */
    private void bisect(float[] fx, float[] hiZ, float[] loZ, boolean[] hit, int n, RecourseRequest req,
                        double target, float[] weights, int from, float[] out) {
        int w = space.width();
        int[] rowsHit = new int[n];
        int nh = 0;
        for (int i = 0; i < n; i++) {
            if (hit[i]) {
                rowsHit[nh++] = i;
            }
        }
        if (nh == 0 || cfg.refineSteps() == 0) {
            return;
        }
        float[] fa = new float[nh * w];
        float[] mid = new float[nh * w];
        float[] p = new float[nh * w];
        float[] r = new float[nh];
        float[][] lk = new float[fast.length][nh];
        float[][] gk = new float[fast.length][nh * w];
        for (int s = 0; s < nh; s++) {
            System.arraycopy(fx, rowsHit[s] * w, fa, s * w, w);
        }
        for (int it = 0; it < cfg.refineSteps(); it++) {
            for (int s = 0; s < nh; s++) {
                int o = rowsHit[s] * w;
                for (int j = 0; j < w; j++) {
                    mid[s * w + j] = 0.5f * (loZ[o + j] + hiZ[o + j]);
                }
            }
            System.arraycopy(mid, 0, p, 0, nh * w);
            projector.project(fa, 0, p, 0, nh, req.sparsity(), weights);
            robust(fa, p, nh, lk, gk, r);
            for (int s = 0; s < nh; s++) {
                int o = rowsHit[s] * w;
                if (r[s] > target) {
                    System.arraycopy(mid, s * w, hiZ, o, w);
                    System.arraycopy(p, s * w, out, (from + rowsHit[s]) * w, w);
                } else {
                    System.arraycopy(mid, s * w, loZ, o, w);
                }
            }
        }
    }
}
