package org.cfq.audit;

import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.data.encode.Encoder;
import org.cfq.data.Range;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.FeasibilityProjector;

/**
 * Shifted test sets and tightened action sets for the stress evaluations of issue 14: the same
 * student is audited again on each, to see whether recourse that holds on the test
 * distribution still holds when the deployment distribution or the constraints move.
 *
 * <ul>
 *   <li>{@link #featureNoise}: Gaussian noise (sigma in model-space units, i.e. standard
 *       deviations of the standardized columns) on the actionable columns, then projected onto
 *       the action set of the original row (the row stays a person recourse could describe);</li>
 *   <li>{@link #reweight}: rows drawn with replacement so that one group makes up a given share;</li>
 *   <li>{@link #labelPrior}: rows drawn with replacement so that a given share is favorable;</li>
 *   <li>{@link #scaledBox}: an encoder whose numeric boxes are scaled about their centres.</li>
 * </ul>
 */
public final class Shifts {
    private Shifts() {
    }

    /**
     * A shifted test set.
     *
     * @param x    rows, (y.length x width)
     * @param y    labels
     * @param rows their count
     */
    public record Shifted(float[] x, int[] y, int rows) {
        public Shifted {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (y.length != rows || (rows > 0 && x.length % rows != 0)) {
                throw new IllegalArgumentException("shifted set of " + rows + " rows has " + y.length + " labels and "
                        + x.length + " values");
            }
        }
    }

    /**
     * Adds {@code N(0, sigma^2)} to every column of every mutable feature, then projects each
     * row onto the action set of its original (immutable features unchanged, boxes, one-hot
     * groups, grids and monotone rules respected).
     */
    public static Shifted featureNoise(float[] x, int[] y, ActionSpace space, double sigma, SplittableRandom rng) {
        if (!(sigma >= 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        int w = space.width();
        int rows = y.length;
        float[] out = x.clone();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < space.features(); f++) {
                if (!space.mutable(f)) {
                    continue;
                }
                for (int c = space.start(f); c < space.start(f) + space.span(f); c++) {
                    out[r * w + c] += (float) (sigma * org.cfq.math.Gaussian.next(rng));
                }
            }
        }
        new FeasibilityProjector(space).project(x, out, rows, 0, space.l1Weights());
        return new Shifted(out, y.clone(), rows);
    }

    /**
     * Draws {@code rows} rows with replacement: {@code round(share * rows)} from the rows of
     * {@code target} (uniformly), the rest from the other rows.
     *
     * @param group group index of each row
     * @throws IllegalArgumentException when the target group or its complement is empty but asked for
     */
    public static Shifted reweight(float[] x, int[] y, int[] group, int target, double share, SplittableRandom rng) {
        boolean[] in = new boolean[y.length];
        for (int r = 0; r < y.length; r++) {
            in[r] = group[r] == target;
        }
        return mixture(x, y, in, share, rng, "group " + target);
    }

    /** Draws {@code rows} rows with replacement so that {@code round(favorable * rows)} carry label 1. */
    public static Shifted labelPrior(float[] x, int[] y, double favorable, SplittableRandom rng) {
        boolean[] in = new boolean[y.length];
        for (int r = 0; r < y.length; r++) {
            in[r] = y[r] == 1;
        }
        return mixture(x, y, in, favorable, rng, "favorable rows");
    }

    private static Shifted mixture(float[] x, int[] y, boolean[] in, double share, SplittableRandom rng, String what) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], got " + share);
        }
        int rows = y.length;
        int w = rows == 0 ? 0 : x.length / rows;
        int nIn = 0;
        for (boolean b : in) {
            nIn += b ? 1 : 0;
        }
        int[] inside = new int[nIn];
        int[] outside = new int[rows - nIn];
        for (int r = 0, a = 0, b = 0; r < rows; r++) {
            if (in[r]) {
                inside[a++] = r;
            } else {
                outside[b++] = r;
            }
        }
        int want = (int) Math.round(share * rows);
        if ((want > 0 && inside.length == 0) || (want < rows && outside.length == 0)) {
            throw new IllegalArgumentException("cannot draw " + want + " of " + rows + " rows from " + what + " ("
                    + inside.length + " rows in it, " + outside.length + " outside)");
        }
        float[] ox = new float[rows * w];
        int[] oy = new int[rows];
        for (int i = 0; i < rows; i++) {
            int[] pool = i < want ? inside : outside;
            int r = pool[rng.nextInt(pool.length)];
            System.arraycopy(x, r * w, ox, i * w, w);
            oy[i] = y[r];
        }
        return new Shifted(ox, oy, rows);
    }

    /**
     * {@return the encoder with each numeric feature's box scaled about its centre to
     * {@code factor} of its span} (level features keep theirs)
     */
    public static Encoder scaledBox(Encoder e, double factor) {
        if (!(factor > 0 && factor < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("box factor must be positive and finite, got " + factor);
        }
        int n = e.schema().size();
        double[] c = new double[n];
        double[] s = new double[n];
        Range[] box = new Range[n];
        for (int i = 0; i < n; i++) {
            c[i] = e.center(i);
            s[i] = e.scale(i);
            Range b = e.box(i);
            if (e.schema().feature(i).kind().hasLevels()) {
                box[i] = b;
            } else {
                double mid = (b.min() + b.max()) / 2;
                double half = factor * (b.max() - b.min()) / 2;
                box[i] = new Range(mid - half, mid + half);
            }
        }
        return new Encoder(e.schema(), e.scaling(), c, s, box);
    }
}
