package org.cfq.bounds;

import java.util.PriorityQueue;

/**
 * Input-space branch and bound for the favorable margin: when the bound over a whole box does
 * not clear the required margin, the box is bisected along its widest column and each half is
 * bounded again, best-first on the weakest half, until every half clears it, a half's centre is
 * proven to fall short (a sound counterexample: no refinement can then certify the box), or the
 * box budget is spent. The bound returned is the minimum over the halves, sound because the
 * halves cover the box and each half's bound is sound on it (input splitting as in ReluVal, Wang
 * et al. 2018, and the branch-and-bound framework of Bunel et al., JMLR 2020).
 *
 * <p>It pays where one relaxation over the whole box is loose: activation quantizers, whose
 * steps the relaxation smears over the box, and boxes wide enough to straddle many ReLU kinks.
 * Deterministic: the split order depends only on the box and the network.
 *
 * <p>Not thread-safe (it uses the engine it is given): one per thread, like {@link BoundEngine}.
 */
public final class InputSplitting {
    /** Boxes a refinement may bound in all (the first, whole box included). */
    public static final int DEFAULT_MAX_BOXES = 32;
    private static final double[][] NEGATED_MARGIN = {{1, -1}};

    private final BoundEngine engine;
    private final int maxBoxes;
    private final double[] out = new double[1];

    /** A box and its margin lower bound. */
    private record Box(float[] lo, float[] hi, double bound) {
    }

    public InputSplitting(BoundEngine engine, int maxBoxes) {
        if (maxBoxes < 1) {
            throw new IllegalArgumentException("maxBoxes must be >= 1, got " + maxBoxes);
        }
        this.engine = engine;
        this.maxBoxes = maxBoxes;
    }

    /**
     * {@return a sound lower bound of the favorable margin over the box, at least {@code whole}}
     *
     * @param lo       box lower ends (inputDim), read from {@code offset}; not modified
     * @param hi       box upper ends, same layout
     * @param whole    the engine's bound over the whole box (already computed by the caller)
     * @param required the margin the bound must exceed to certify
     */
    public double refine(float[] lo, float[] hi, int offset, double whole, double required) {
        if (whole > required || maxBoxes == 1) {
            return whole;
        }
        int d = engine.network().inputDim();
        float[] l0 = new float[d];
        float[] h0 = new float[d];
        System.arraycopy(lo, offset, l0, 0, d);
        System.arraycopy(hi, offset, h0, 0, d);
        PriorityQueue<Box> open = new PriorityQueue<>((a, b) -> Double.compare(a.bound, b.bound));
        open.add(new Box(l0, h0, whole));
        int bounded = 1;
        while (bounded + 2 <= maxBoxes) {
            Box worst = open.peek();
            if (worst.bound > required || fallsShortAtCentre(worst, required)) {
                break;
            }
            int col = widest(worst);
            if (col < 0) {
                break;
            }
            float mid = worst.lo[col] + (worst.hi[col] - worst.lo[col]) / 2;
            if (!(mid > worst.lo[col] && mid < worst.hi[col])) {
                break; // one float step wide: no finer split exists
            }
            open.poll();
            float[] leftHi = worst.hi.clone();
            leftHi[col] = mid;
            float[] rightLo = worst.lo.clone();
            rightLo[col] = mid;
            // A half can only tighten the bound: keep the parent's where the relaxation came out looser.
            open.add(new Box(worst.lo, leftHi, Math.max(worst.bound, bound(worst.lo, leftHi))));
            open.add(new Box(rightLo, worst.hi, Math.max(worst.bound, bound(rightLo, worst.hi))));
            bounded += 2;
        }
        return Math.max(whole, open.peek().bound);
    }

    private double bound(float[] lo, float[] hi) {
        engine.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.BEST, out);
        return out[0];
    }

    /**
     * {@return true when the margin at the box's centre is proven at or below {@code required}}
     * (its sound upper bound is): that point belongs to the box, so no split can certify it.
     */
    private boolean fallsShortAtCentre(Box b, double required) {
        int d = b.lo.length;
        float[] c = new float[d];
        for (int i = 0; i < d; i++) {
            c[i] = b.lo[i] + (b.hi[i] - b.lo[i]) / 2;
        }
        engine.lowerBounds(c, c, 0, NEGATED_MARGIN, BoundEngine.Method.BEST, out);
        return -out[0] <= required;
    }

    private static int widest(Box b) {
        int best = -1;
        float width = 0;
        for (int i = 0; i < b.lo.length; i++) {
            float wd = b.hi[i] - b.lo[i];
            if (wd > width) {
                width = wd;
                best = i;
            }
        }
        return best;
    }
}
