package org.cfq.recourse;

import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;

/**
 * The per-feature projection as it was before {@link FeasibilityProjector} read precomputed
 * tables (commit 0918e6c), kept verbatim as the reference the fast one must match bit for bit
 * ({@code FeasibilityProjectorEquivalenceTest}).
 *
 * <p>Original description: Maps candidate rows onto the action set of their factual rows, in place:
 * immutable features back to the factual; numeric values into the box; increase-only /
 * decrease-only relative to the factual; each one-hot group to the argmax level; ordinal and
 * integer features to the nearest allowed grid value; binary features to 0/1; changes smaller
 * than {@link ActionSpace#SNAP} snapped back; then, under a sparsity limit k, only the k
 * features with the largest weighted change are kept (a categorical group counts as one).
 *
 * <p>Under a natural domain ({@link ActionSpace#hasNaturalDomain()}, issue #11): the box is
 * the natural one; a stepped feature's change smaller than half a step (or {@link
 * ActionSpace#SNAP}) is dropped and any other change is rounded onto the step grid <b>away
 * from the factual</b> (the direction the search moved it, which keeps a locally monotone
 * model's decision; the caller re-checks the margin of every projected point); a level
 * feature only takes levels it may be advised from its factual level (levels never advised,
 * forbidden transitions, and consistency rules whose other feature is immutable are masked out
 * of the argmax); after that, and again after the sparsity cut, every consistency rule broken
 * by a change is repaired by reverting the changed features of the rule to the factual.
 *
 * <p>The box of a feature is widened to include the factual's own value, so a factual that
 * lies outside the training box is never moved just to enter it. The result always satisfies
 * every rule, so a caller only has to check the model's margin. The projector never allocates
 * per row; it is stateless and thread-safe.
 */
final class ReferenceProjector {
    private final ActionSpace space;

    ReferenceProjector(ActionSpace space) {
        this.space = Objects.requireNonNull(space, "space");
    }

    public ActionSpace space() {
        return space;
    }

    /**
     * Projects {@code rows} candidate rows onto the action set.
     *
     * @param factuals factual rows, (rows x width); read only
     * @param cand     candidate rows, (rows x width); overwritten with their projection
     * @param sparsity at most this many changed features, 0 for no limit
     * @param weights  per-column weights ranking the changes under a sparsity limit
     */
    public void project(float[] factuals, float[] cand, int rows, int sparsity, float[] weights) {
        project(factuals, 0, cand, 0, rows, sparsity, weights);
    }

    /**
     * Projects {@code rows} candidate rows starting at {@code cand[co]}, whose factuals start at
     * {@code factuals[fo]}.
     */
    public void project(float[] factuals, int fo, float[] cand, int co, int rows, int sparsity, float[] weights) {
        int w = space.width();
        int nf = space.features();
        float[] score = sparsity > 0 ? new float[nf] : null;
        for (int r = 0; r < rows; r++) {
            int xo = fo + r * w;
            int o = co + r * w;
            int changed = 0;
            for (int f = 0; f < nf; f++) {
                if (projectFeature(f, factuals, xo, cand, o)) {
                    changed++;
                }
            }
            if (space.rules().length > 0) {
                changed -= repairRules(factuals, xo, cand, o);
            }
            if (sparsity > 0 && changed > sparsity) {
                keepTopK(factuals, xo, cand, o, sparsity, weights, score);
                if (space.rules().length > 0) {
                    repairRules(factuals, xo, cand, o);
                }
            }
        }
    }

    /**
     * Relaxed projection used between gradient steps: immutables to the factual, numeric values
     * into the (factual-widened) box and the monotone half-line, one-hot columns into [0, 1].
     * Grids, argmax and sparsity are left to {@link #project}.
     */
    public void clampRelaxed(float[] factuals, float[] cand, int rows) {
        clampRelaxed(factuals, cand, 0, rows);
    }

    /** {@link #clampRelaxed(float[], float[], int)} on rows {@code [from, from + rows)} of both arrays. */
    public void clampRelaxed(float[] factuals, float[] cand, int from, int rows) {
        int w = space.width();
        int nf = space.features();
        for (int r = from; r < from + rows; r++) {
            int o = r * w;
            for (int f = 0; f < nf; f++) {
                int s = o + space.start(f);
                Actionability a = space.actionability(f);
                if (a == Actionability.IMMUTABLE) {
                    System.arraycopy(factuals, s, cand, s, space.span(f));
                    continue;
                }
                FeatureKind k = space.kind(f);
                if (k == FeatureKind.CATEGORICAL) {
                    int lvl = space.hasNaturalDomain() ? space.level(f, factuals, o) : -1;
                    for (int j = s; j < s + space.span(f); j++) {
                        cand[j] = lvl >= 0 && !space.allowed(f, lvl, j - s) ? 0f
                                : Math.max(0f, Math.min(1f, cand[j]));
                    }
                    continue;
                }
                float lo = lowerBound(f, factuals[s]);
                float hi = upperBound(f, factuals[s]);
                cand[s] = Math.max(lo, Math.min(hi, cand[s]));
            }
        }
    }

    /**
     * The box of {@link #clampRelaxed} for each column of each factual row: clampRelaxed sets
     * {@code cand[j]} to {@code lo[j] == hi[j] ? lo[j] : max(lo[j], min(hi[j], cand[j]))}
     * ({@link org.cfq.math.Dense#clamp}), computed once for rows whose factuals stay fixed.
     *
     * @param lo (rows x width), overwritten
     * @param hi (rows x width), overwritten
     */
    public void relaxedBounds(float[] factuals, int rows, float[] lo, float[] hi) {
        int w = space.width();
        int nf = space.features();
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int f = 0; f < nf; f++) {
                int s = o + space.start(f);
                Actionability a = space.actionability(f);
                if (a == Actionability.IMMUTABLE) {
                    System.arraycopy(factuals, s, lo, s, space.span(f));
                    System.arraycopy(factuals, s, hi, s, space.span(f));
                    continue;
                }
                FeatureKind k = space.kind(f);
                if (k == FeatureKind.CATEGORICAL) {
                    int lvl = space.hasNaturalDomain() ? space.level(f, factuals, o) : -1;
                    for (int j = s; j < s + space.span(f); j++) {
                        boolean shut = lvl >= 0 && !space.allowed(f, lvl, j - s);
                        lo[j] = 0f;
                        hi[j] = shut ? 0f : 1f;
                    }
                    continue;
                }
                lo[s] = lowerBound(f, factuals[s]);
                hi[s] = upperBound(f, factuals[s]);
            }
        }
    }

    /** Lowest model-space value feature f may take given factual value z0 (single-column kinds). */
    float lowerBound(int f, float z0) {
        if (space.actionability(f) == Actionability.INCREASE_ONLY) {
            return z0;
        }
        float lo = space.kind(f) == FeatureKind.BINARY ? 0f : (float) space.encode(f, space.boxLo(f));
        return Math.min(lo, z0);
    }

    /** Highest model-space value feature f may take given factual value z0 (single-column kinds). */
    float upperBound(int f, float z0) {
        if (space.actionability(f) == Actionability.DECREASE_ONLY) {
            return z0;
        }
        float hi = space.kind(f) == FeatureKind.BINARY ? 1f : (float) space.encode(f, space.boxHi(f));
        return Math.max(hi, z0);
    }

    /** Projects one feature of one row; returns true when it ends different from the factual. */
    private boolean projectFeature(int f, float[] x, int xo, float[] c, int o) {
        int s = o + space.start(f);
        int xs = xo + space.start(f);
        int span = space.span(f);
        if (space.actionability(f) == Actionability.IMMUTABLE) {
            System.arraycopy(x, xs, c, s, span);
            return false;
        }
        switch (space.kind(f)) {
            case CATEGORICAL: {
                int best = 0;
                if (space.hasNaturalDomain()) {
                    int from = space.level(f, x, xo);
                    best = from;
                    for (int j = 0; j < span; j++) {
                        if (c[s + j] > c[s + best] && targetAllowed(f, from, j, x, xo)) {
                            best = j;
                        }
                    }
                } else {
                    for (int j = 1; j < span; j++) {
                        if (c[s + j] > c[s + best]) {
                            best = j;
                        }
                    }
                }
                boolean same = x[xs + best] == 1f;
                if (same) {
                    System.arraycopy(x, xs, c, s, span);
                    return false;
                }
                for (int j = 0; j < span; j++) {
                    c[s + j] = j == best ? 1f : 0f;
                }
                return true;
            }
            case BINARY: {
                float v = c[s] >= 0.5f ? 1f : 0f;
                v = Math.max(lowerBound(f, x[xs]), Math.min(upperBound(f, x[xs]), v));
                if (v != x[xs] && space.hasNaturalDomain()
                        && !targetAllowed(f, x[xs] >= 0.5f ? 1 : 0, v >= 0.5f ? 1 : 0, x, xo)) {
                    v = x[xs];
                }
                c[s] = v;
                return v != x[xs];
            }
            case INTEGER:
            case ORDINAL: {
                if (space.step(f) > 0) {
                    return projectStepped(f, x, xs, xo, c, s);
                }
                double v0 = space.decode(f, x[xs]);
                double k = Math.rint(space.decode(f, c[s]));
                double lo = Math.ceil(space.boxLo(f) - 1e-9);
                double hi = Math.floor(space.boxHi(f) + 1e-9);
                Actionability a = space.actionability(f);
                if (a == Actionability.INCREASE_ONLY) {
                    lo = v0;
                } else {
                    lo = Math.min(lo, Math.rint(v0));
                }
                if (a == Actionability.DECREASE_ONLY) {
                    hi = v0;
                } else {
                    hi = Math.max(hi, Math.rint(v0));
                }
                k = Math.max(lo, Math.min(hi, k));
                // A factual off the grid (or a rounding error) stays where it is.
                if (Math.abs(k - v0) < 1e-6 * Math.max(1, Math.abs(v0)) || k != Math.rint(k)) {
                    c[s] = x[xs];
                    return false;
                }
                c[s] = (float) space.encode(f, k);
                return c[s] != x[xs];
            }
            default: {
                if (space.step(f) > 0) {
                    return projectStepped(f, x, xs, xo, c, s);
                }
                float v = Math.max(lowerBound(f, x[xs]), Math.min(upperBound(f, x[xs]), c[s]));
                if (Math.abs(v - x[xs]) < ActionSpace.SNAP) {
                    v = x[xs];
                }
                c[s] = v;
                return v != x[xs];
            }
        }
    }

    /**
     * A numeric or ordinal feature with a natural step: a change below half a step (or the snap
     * distance) is dropped; any other is rounded onto the grid away from the factual, kept in
     * the (factual-widened, monotone) box, and for an ordinal feature moved on to the next level
     * it may be advised, else dropped.
     */
    private boolean projectStepped(int f, float[] x, int xs, int xo, float[] c, int s) {
        double st = space.step(f);
        double v0 = space.decode(f, x[xs]);
        double v = space.decode(f, c[s]);
        double d = v - v0;
        double snap = Math.max(0.5 * st, ActionSpace.SNAP * scaleOf(f));
        if (Math.abs(d) < snap) {
            c[s] = x[xs];
            return false;
        }
        Actionability a = space.actionability(f);
        double lo = Math.min(space.boxLo(f), v0);
        double hi = Math.max(space.boxHi(f), v0);
        if (a == Actionability.INCREASE_ONLY) {
            lo = v0;
        }
        if (a == Actionability.DECREASE_ONLY) {
            hi = v0;
        }
        double t;
        if (d > 0) {
            t = Math.ceil(v / st - 1e-9) * st;
            double top = Math.floor(hi / st + 1e-9) * st;
            t = Math.min(t, top);
            if (!(t > v0 + 1e-9 * Math.max(1, Math.abs(v0)))) {
                c[s] = x[xs];
                return false;
            }
        } else {
            t = Math.floor(v / st + 1e-9) * st;
            double bottom = Math.ceil(lo / st - 1e-9) * st;
            t = Math.max(t, bottom);
            if (!(t < v0 - 1e-9 * Math.max(1, Math.abs(v0)))) {
                c[s] = x[xs];
                return false;
            }
        }
        if (space.kind(f) == FeatureKind.ORDINAL) {
            int from = (int) Math.rint(v0);
            int to = (int) Math.rint(t);
            int dir = d > 0 ? 1 : -1;
            while (to >= 0 && to < space.levels(f) && (dir > 0 ? to <= hi + 1e-9 : to >= lo - 1e-9)
                    && !targetAllowed(f, from, to, x, xo)) {
                to += dir;
            }
            if (to < 0 || to >= space.levels(f) || (dir > 0 ? to > hi + 1e-9 : to < lo - 1e-9)) {
                c[s] = x[xs];
                return false;
            }
            t = to;
        }
        c[s] = (float) space.encode(f, t);
        return c[s] != x[xs];
    }

    private double scaleOf(int f) {
        return space.encoder().scale(f);
    }

    private boolean targetAllowed(int f, int from, int to, float[] x, int xo) {
        return space.targetAllowed(f, from, to, x, xo);
    }

    /**
     * Reverts to the factual the changed features of every consistency rule the candidate
     * breaks, until none is broken (each pass reverts at least one feature, so it ends).
     *
     * @return how many features were reverted
     */
    private int repairRules(float[] x, int xo, float[] c, int o) {
        int reverted = 0;
        boolean again = true;
        while (again) {
            again = false;
            for (ActionSpace.Rule r : space.rules()) {
                int a = r.ifFeature();
                int b = r.thenFeature();
                boolean ca = changed(a, x, xo, c, o);
                boolean cb = changed(b, x, xo, c, o);
                if (!ca && !cb || r.holds(space.level(a, c, o), space.level(b, c, o))) {
                    continue;
                }
                if (ca) {
                    System.arraycopy(x, xo + space.start(a), c, o + space.start(a), space.span(a));
                    reverted++;
                }
                if (cb) {
                    System.arraycopy(x, xo + space.start(b), c, o + space.start(b), space.span(b));
                    reverted++;
                }
                again = true;
            }
        }
        return reverted;
    }

    private boolean changed(int f, float[] x, int xo, float[] c, int o) {
        int s = space.start(f);
        for (int j = 0; j < space.span(f); j++) {
            if (c[o + s + j] != x[xo + s + j]) {
                return true;
            }
        }
        return false;
    }

    private void keepTopK(float[] x, int xo, float[] c, int o, int k, float[] weights, float[] score) {
        int nf = space.features();
        for (int f = 0; f < nf; f++) {
            int s = o + space.start(f);
            int xs = xo + space.start(f);
            float sc = 0f;
            for (int j = 0; j < space.span(f); j++) {
                sc += weights[space.start(f) + j] * Math.abs(c[s + j] - x[xs + j]);
            }
            score[f] = sc;
        }
        // Keep the k largest scores: repeatedly take the max among the unchosen (k is small).
        for (int taken = 0; taken < k; taken++) {
            int best = -1;
            for (int f = 0; f < nf; f++) {
                if (score[f] > 0f && (best < 0 || score[f] > score[best])) {
                    best = f;
                }
            }
            if (best < 0) {
                break;
            }
            score[best] = -1f; // chosen
        }
        for (int f = 0; f < nf; f++) {
            if (score[f] > 0f) {
                System.arraycopy(x, xo + space.start(f), c, o + space.start(f), space.span(f));
            }
        }
    }
}
