package org.cfq.recourse;

import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;

/**
 * Maps candidate rows onto the action set of their factual rows, in place:
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
public final class FeasibilityProjector {
    private final ActionSpace space;

    // Per-feature tables read by project(), made once so the per-row loop does no per-feature
    // object dispatch or recomputation (the projection was ~18 % of a pgd search's profile).
    // Every entry is the value the ActionSpace accessors give, so the results are the same bits.
    private static final byte CAT = 0;
    private static final byte BIN = 1;
    private static final byte GRID = 2;
    private static final byte NUM = 3;
    private final int[] start;
    private final int[] span;
    private final byte[] kindCode;
    private final boolean[] increaseOnly;
    private final boolean[] decreaseOnly;
    private final boolean[] ordinal;
    /** Box ends in model space for single-column kinds (0/1 for binary), before the factual widening. */
    private final float[] boxLoZ;
    private final float[] boxHiZ;
    private final double[] boxLo;
    private final double[] boxHi;
    /** The integer grid's ends ({@code ceil(boxLo - 1e-9)}, {@code floor(boxHi + 1e-9)}). */
    private final double[] gridLo;
    private final double[] gridHi;
    private final double[] step;
    /** A stepped change below this (original units) is dropped: max(step / 2, SNAP * scale). */
    private final double[] snap;
    private final double[] center;
    private final double[] scale;
    /** True when no consistency rule ties the feature to an immutable one: targetAllowed is allowed(). */
    private final boolean[] ruleFree;
    /** The features that may change, ascending. */
    private final int[] mutable;
    /** Runs of consecutive columns of immutable features: [start, length] pairs. */
    private final int[] frozenRuns;
    /** The rules with a mutable feature: a rule over two immutable features is never broken by a change. */
    private final ActionSpace.Rule[] liveRules;
    private final boolean natural;

    public FeasibilityProjector(ActionSpace space) {
        this.space = Objects.requireNonNull(space, "space");
        int nf = space.features();
        start = new int[nf];
        span = new int[nf];
        kindCode = new byte[nf];
        increaseOnly = new boolean[nf];
        decreaseOnly = new boolean[nf];
        ordinal = new boolean[nf];
        boxLoZ = new float[nf];
        boxHiZ = new float[nf];
        boxLo = new double[nf];
        boxHi = new double[nf];
        gridLo = new double[nf];
        gridHi = new double[nf];
        step = new double[nf];
        snap = new double[nf];
        center = new double[nf];
        scale = new double[nf];
        ruleFree = new boolean[nf];
        natural = space.hasNaturalDomain();
        int[] mut = new int[nf];
        int nm = 0;
        int[] runs = new int[2 * nf];
        int nr = 0;
        for (int f = 0; f < nf; f++) {
            start[f] = space.start(f);
            span[f] = space.span(f);
            FeatureKind k = space.kind(f);
            kindCode[f] = switch (k) {
                case CATEGORICAL -> CAT;
                case BINARY -> BIN;
                case INTEGER, ORDINAL -> GRID;
                default -> NUM;
            };
            ordinal[f] = k == FeatureKind.ORDINAL;
            Actionability a = space.actionability(f);
            increaseOnly[f] = a == Actionability.INCREASE_ONLY;
            decreaseOnly[f] = a == Actionability.DECREASE_ONLY;
            boxLo[f] = space.boxLo(f);
            boxHi[f] = space.boxHi(f);
            step[f] = space.step(f);
            if (k != FeatureKind.CATEGORICAL) {
                boxLoZ[f] = k == FeatureKind.BINARY ? 0f : (float) space.encode(f, boxLo[f]);
                boxHiZ[f] = k == FeatureKind.BINARY ? 1f : (float) space.encode(f, boxHi[f]);
                center[f] = space.encoder().center(f);
                scale[f] = space.encoder().scale(f);
                snap[f] = Math.max(0.5 * step[f], ActionSpace.SNAP * scale[f]);
            }
            gridLo[f] = Math.ceil(boxLo[f] - 1e-9);
            gridHi[f] = Math.floor(boxHi[f] + 1e-9);
            boolean free = true;
            for (ActionSpace.Rule r : space.rules()) {
                if (r.ifFeature() == f && !space.mutable(r.thenFeature())
                        || r.thenFeature() == f && !space.mutable(r.ifFeature())) {
                    free = false;
                }
            }
            ruleFree[f] = free;
            if (space.mutable(f)) {
                mut[nm++] = f;
            } else if (nr > 0 && runs[2 * nr - 2] + runs[2 * nr - 1] == start[f]) {
                runs[2 * nr - 1] += span[f];
            } else {
                runs[2 * nr] = start[f];
                runs[2 * nr + 1] = span[f];
                nr++;
            }
        }
        mutable = java.util.Arrays.copyOf(mut, nm);
        frozenRuns = java.util.Arrays.copyOf(runs, 2 * nr);
        liveRules = java.util.Arrays.stream(space.rules())
                .filter(r -> space.mutable(r.ifFeature()) || space.mutable(r.thenFeature()))
                .toArray(ActionSpace.Rule[]::new);
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
        project(factuals, fo, cand, co, rows, sparsity, weights, null, 0);
    }

    /**
     * {@link #project(float[], int, float[], int, int, int, float[])} with the factual rows'
     * levels from {@link #factualLevels} (a search projects the same factuals on every step, and
     * finding a categorical factual's level again each time was ~9 % of a pgd search).
     *
     * @param levels the factual levels, {@link ActionSpace#features()} per row; null finds them
     * @param lo     where the first row's levels start in {@code levels}
     */
    public void project(float[] factuals, int fo, float[] cand, int co, int rows, int sparsity, float[] weights,
                        int[] levels, int lo) {
        project(factuals, fo, cand, co, rows, sparsity, weights, levels, lo, false);
    }

    /**
     * {@link #project(float[], int, float[], int, int, int, float[], int[], int)} for candidates
     * whose immutable columns may already hold their factual's values, bit for bit ({@code
     * immutablesAtFactual}): then they are not copied again (a search whose relaxed points keep
     * them so, {@link #relaxedBounds}; the copy, a few short runs per row, was ~4 % of a pgd search).
     * With false, the same as the method above.
     */
    public void project(float[] factuals, int fo, float[] cand, int co, int rows, int sparsity, float[] weights,
                        int[] levels, int lo, boolean immutablesAtFactual) {
        int w = space.width();
        int nf = space.features();
        float[] score = sparsity > 0 ? new float[nf] : null;
        for (int r = 0; r < rows; r++) {
            int xo = fo + r * w;
            int o = co + r * w;
            if (!immutablesAtFactual) {
                for (int i = 0; i < frozenRuns.length; i += 2) {
                    System.arraycopy(factuals, xo + frozenRuns[i], cand, o + frozenRuns[i], frozenRuns[i + 1]);
                }
            }
            int changed = 0;
            int lr = levels == null ? -1 : lo + r * nf;
            for (int f : mutable) {
                if (projectFeature(f, factuals, xo, cand, o, levels, lr)) {
                    changed++;
                }
            }
            if (liveRules.length > 0) {
                changed -= repairRules(factuals, xo, cand, o);
            }
            if (sparsity > 0 && changed > sparsity) {
                keepTopK(factuals, xo, cand, o, sparsity, weights, score);
                if (liveRules.length > 0) {
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
        return increaseOnly[f] ? z0 : Math.min(boxLoZ[f], z0);
    }

    /** Highest model-space value feature f may take given factual value z0 (single-column kinds). */
    float upperBound(int f, float z0) {
        return decreaseOnly[f] ? z0 : Math.max(boxHiZ[f], z0);
    }

    /**
     * The level of each feature of each factual row for {@link #project(float[], int, float[], int,
     * int, int, float[], int[], int)}: {@link ActionSpace#features()} ints per row, the value
     * {@link ActionSpace#level} gives for a categorical feature (0 for the other kinds, unread).
     */
    public int[] factualLevels(float[] factuals, int rows) {
        int w = space.width();
        int nf = space.features();
        int[] levels = new int[rows * nf];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < nf; f++) {
                if (kindCode[f] == CAT) {
                    levels[r * nf + f] = space.level(f, factuals, r * w);
                }
            }
        }
        return levels;
    }

    /**
     * Projects one mutable feature of one row; returns true when it ends different from the factual.
     *
     * @param lr where the row's factual levels start in {@code levels}, or -1 to find them
     */
    private boolean projectFeature(int f, float[] x, int xo, float[] c, int o, int[] levels, int lr) {
        int s = o + start[f];
        int xs = xo + start[f];
        switch (kindCode[f]) {
            case CAT: {
                int sp = span[f];
                int best = 0;
                if (natural) {
                    int from = lr >= 0 ? levels[lr + f] : space.level(f, x, xo);
                    best = from;
                    for (int j = 0; j < sp; j++) {
                        if (c[s + j] > c[s + best] && targetAllowed(f, from, j, x, xo)) {
                            best = j;
                        }
                    }
                } else {
                    for (int j = 1; j < sp; j++) {
                        if (c[s + j] > c[s + best]) {
                            best = j;
                        }
                    }
                }
                if (x[xs + best] == 1f) {
                    System.arraycopy(x, xs, c, s, sp);
                    return false;
                }
                for (int j = 0; j < sp; j++) {
                    c[s + j] = j == best ? 1f : 0f;
                }
                return true;
            }
            case BIN: {
                float v = c[s] >= 0.5f ? 1f : 0f;
                v = Math.max(lowerBound(f, x[xs]), Math.min(upperBound(f, x[xs]), v));
                if (v != x[xs] && natural
                        && !targetAllowed(f, x[xs] >= 0.5f ? 1 : 0, v >= 0.5f ? 1 : 0, x, xo)) {
                    v = x[xs];
                }
                c[s] = v;
                return v != x[xs];
            }
            case GRID: {
                if (step[f] > 0) {
                    return projectStepped(f, x, xs, xo, c, s);
                }
                double v0 = x[xs] * scale[f] + center[f];
                double k = Math.rint(c[s] * scale[f] + center[f]);
                double lo = increaseOnly[f] ? v0 : Math.min(gridLo[f], Math.rint(v0));
                double hi = decreaseOnly[f] ? v0 : Math.max(gridHi[f], Math.rint(v0));
                k = Math.max(lo, Math.min(hi, k));
                // A factual off the grid (or a rounding error) stays where it is.
                if (Math.abs(k - v0) < 1e-6 * Math.max(1, Math.abs(v0)) || k != Math.rint(k)) {
                    c[s] = x[xs];
                    return false;
                }
                c[s] = (float) ((k - center[f]) / scale[f]);
                return c[s] != x[xs];
            }
            default: {
                if (step[f] > 0) {
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
        if (c[s] == x[xs]) {
            // Untouched (most features of most rows: the soft-threshold step keeps them exactly at the
            // factual): d below is 0 (or -0.0 + center against +0.0 + center), under the snap distance,
            // which is positive with a positive step, so the factual is copied; no double arithmetic.
            c[s] = x[xs];
            return false;
        }
        double st = step[f];
        // With a unit step (every stepped feature of Adult) v / st and t * st are v and t exactly,
        // so the divisions are skipped with the same bits.
        double v0 = x[xs] * scale[f] + center[f];
        double v = c[s] * scale[f] + center[f];
        double d = v - v0;
        if (Math.abs(d) < snap[f]) {
            c[s] = x[xs];
            return false;
        }
        double lo = increaseOnly[f] ? v0 : Math.min(boxLo[f], v0);
        double hi = decreaseOnly[f] ? v0 : Math.max(boxHi[f], v0);
        double t;
        if (d > 0) {
            t = st == 1 ? Math.ceil(v - 1e-9) : Math.ceil(v / st - 1e-9) * st;
            double top = st == 1 ? Math.floor(hi + 1e-9) : Math.floor(hi / st + 1e-9) * st;
            t = Math.min(t, top);
            if (!(t > v0 + 1e-9 * Math.max(1, Math.abs(v0)))) {
                c[s] = x[xs];
                return false;
            }
        } else {
            t = st == 1 ? Math.floor(v + 1e-9) : Math.floor(v / st + 1e-9) * st;
            double bottom = st == 1 ? Math.ceil(lo - 1e-9) : Math.ceil(lo / st - 1e-9) * st;
            t = Math.max(t, bottom);
            if (!(t < v0 - 1e-9 * Math.max(1, Math.abs(v0)))) {
                c[s] = x[xs];
                return false;
            }
        }
        if (ordinal[f]) {
            int from = (int) Math.rint(v0);
            int to = (int) Math.rint(t);
            int dir = d > 0 ? 1 : -1;
            int levels = space.levels(f);
            while (to >= 0 && to < levels && (dir > 0 ? to <= hi + 1e-9 : to >= lo - 1e-9)
                    && !targetAllowed(f, from, to, x, xo)) {
                to += dir;
            }
            if (to < 0 || to >= levels || (dir > 0 ? to > hi + 1e-9 : to < lo - 1e-9)) {
                c[s] = x[xs];
                return false;
            }
            t = to;
        }
        c[s] = (float) ((t - center[f]) / scale[f]);
        return c[s] != x[xs];
    }

    private boolean targetAllowed(int f, int from, int to, float[] x, int xo) {
        if (ruleFree[f]) {
            return space.allowed(f, from, to);
        }
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
            for (ActionSpace.Rule r : liveRules) {
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
        int s = start[f];
        for (int j = 0; j < span[f]; j++) {
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
