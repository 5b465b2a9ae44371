package org.cfq.recourse;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How plausible counterfactuals are, as CARLA measures it (Pawelczyk et al., "CARLA: A Python
 * Library to Benchmark Algorithmic Recourse and Counterfactual Explanation Algorithms", 2021):
 *
 * <ul>
 *   <li><b>yNN</b>: the share of a counterfactual's k nearest training rows (k = 5) whose model
 *       label is the counterfactual's (favorable) label: 1 means it sits among people the
 *       model already treats that way;</li>
 *   <li><b>LOF</b>: the local outlier factor (Breunig et al., 2000) of the counterfactual
 *       against the training rows of the favorable class, with k = 5: about 1 inside that data,
 *       clearly above 1 off it.</li>
 * </ul>
 *
 * Distances are Euclidean in model space (standardized numeric columns, one-hot groups).
 * To keep the cost linear in the number of counterfactuals, both reference sets are seeded
 * samples of at most {@code maxReference} training rows (all rows when fewer). Instances are
 * immutable; {@link #score} is thread-safe.
 */
public final class Plausibility {
    /** CARLA's neighbourhood size. */
    public static final int K = 5;
    /** Reference rows kept per set by default. */
    public static final int DEFAULT_REFERENCE = 2000;
    /** Rows per parallel task when the LOF neighbours of the reference rows are found. */
    private static final int NEIGHBOUR_BLOCK = 64;

    private final int width;
    private final float[] all;
    private final int[] allLabel;
    private final int nAll;
    private final float[] fav;
    private final int nFav;
    /** The reference sets column by column, (width x rows): the distance loops walk rows innermost. */
    private final float[] allT;
    private final float[] favT;
    private final double[] kdist;
    private final double[] lrd;

    /**
     * @param x           training rows in model space (rows x width)
     * @param modelLabel  the model's label of each training row (for yNN)
     * @param trueLabel   each row's true label (the favorable class, 1, is LOF's reference)
     * @param seed        seeds the reference samples
     */
    public Plausibility(float[] x, int rows, int width, int[] modelLabel, int[] trueLabel, int maxReference,
                        long seed) {
        Objects.requireNonNull(x, "x");
        if (rows <= K || x.length < rows * width || modelLabel.length < rows || trueLabel.length < rows) {
            throw new IllegalArgumentException("plausibility needs more than " + K + " training rows of width "
                    + width + ", got " + rows);
        }
        this.width = width;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] idx = sample(rows, null, maxReference, rng);
        nAll = idx.length;
        all = gather(x, idx);
        allLabel = new int[nAll];
        for (int i = 0; i < nAll; i++) {
            allLabel[i] = modelLabel[idx[i]];
        }
        int[] favIdx = sample(rows, trueLabel, maxReference, rng);
        if (favIdx.length <= K) {
            throw new IllegalArgumentException("LOF needs more than " + K + " favorable training rows, got "
                    + favIdx.length);
        }
        nFav = favIdx.length;
        fav = gather(x, favIdx);
        allT = transpose(all, nAll);
        favT = transpose(fav, nFav);
        kdist = new double[nFav];
        int[][] nn = new int[nFav][];
        // Each row's neighbours are its own computation, so blocks of rows run in parallel with
        // the same results (this was ~0.3 s of a fresh LSQ cell on one thread).
        int blocks = (nFav + NEIGHBOUR_BLOCK - 1) / NEIGHBOUR_BLOCK;
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(blk -> {
            double[] d = new double[nFav];
            for (int i = blk * NEIGHBOUR_BLOCK; i < Math.min(nFav, (blk + 1) * NEIGHBOUR_BLOCK); i++) {
                distances(fav, i * width, favT, nFav, d);
                d[i] = Double.POSITIVE_INFINITY;
                nn[i] = nearest(d, nFav, K);
                kdist[i] = d[nn[i][K - 1]];
            }
        });
        lrd = new double[nFav];
        for (int i = 0; i < nFav; i++) {
            double s = 0;
            for (int o : nn[i]) {
                s += Math.max(kdist[o], dist(fav, i * width, fav, o * width));
            }
            lrd[i] = s > 0 ? K / s : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * The scores of one point.
     *
     * @param label the counterfactual's label (1 favorable)
     * @return {yNN, LOF}
     */
    public double[] score(float[] row, int offset, int label) {
        double[] d = new double[Math.max(nAll, nFav)];
        distances(row, offset, allT, nAll, d);
        int[] nn = nearest(d, nAll, K);
        int same = 0;
        for (int j : nn) {
            if (allLabel[j] == label) {
                same++;
            }
        }
        double ynn = same / (double) K;
        distances(row, offset, favT, nFav, d);
        int[] fn = nearest(d, nFav, K);
        double reach = 0;
        double ratio = 0;
        for (int o : fn) {
            reach += Math.max(kdist[o], d[o]);
            ratio += lrd[o];
        }
        double lrdQ = reach > 0 ? K / reach : Double.POSITIVE_INFINITY;
        double lof = Double.isInfinite(lrdQ) ? 1.0 : ratio / K / lrdQ;
        return new double[] {ynn, lof};
    }

    /**
     * Rejects the found counterfactuals whose LOF exceeds {@code maxLof}: they become
     * {@link RecourseResult.Reason#NOT_PLAUSIBLE}.
     *
     * @return the batch with implausible counterfactuals rejected
     */
    public RecourseBatch require(RecourseBatch batch, double maxLof) {
        RecourseResult[] out = new RecourseResult[batch.size()];
        java.util.stream.IntStream.range(0, out.length).parallel().forEach(i -> {
            RecourseResult r = batch.get(i);
            if (r instanceof RecourseResult.Found f && score(f.counterfactual(), 0, 1)[1] > maxLof) {
                out[i] = new RecourseResult.NotFound(RecourseResult.Reason.NOT_PLAUSIBLE);
            } else {
                out[i] = r;
            }
        });
        return RecourseBatch.of(batch.width(), out);
    }

    /**
     * Mean yNN and LOF over the found counterfactuals of a batch (label 1).
     *
     * @return {mean yNN, mean LOF}, NaN when nothing was found
     */
    public double[] means(RecourseBatch batch) {
        double[][] s = new double[batch.size()][];
        java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> {
            if (batch.get(i) instanceof RecourseResult.Found f) {
                s[i] = score(f.counterfactual(), 0, 1);
            }
        });
        double sy = 0;
        double sl = 0;
        int n = 0;
        for (double[] v : s) { // summed in row order: the same result on any thread count
            if (v != null) {
                sy += v[0];
                sl += v[1];
                n++;
            }
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sy / n, sl / n};
    }

    /**
     * {@code d[j] = dist(a, ao, b, j * width)} for {@code j < n}, from {@code bT}, the rows of
     * {@code b} column by column ({@code bT[c * n + j] = b[j * width + c]}): each distance is still
     * one chain over the columns in order, the float difference widened and squared in double
     * (the same bits as {@link #dist}), but the inner loop walks the rows, n independent sums
     * that the JIT runs a vector at a time (a chain per row, as the columns go by).
     */
    private void distances(float[] a, int ao, float[] bT, int n, double[] d) {
        java.util.Arrays.fill(d, 0, n, 0.0);
        for (int c = 0; c < width; c++) {
            float x = a[ao + c];
            int base = c * n;
            for (int j = 0; j < n; j++) {
                double t = x - bT[base + j];
                d[j] += t * t;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = Math.sqrt(d[j]);
        }
    }

    /** {@code rows} rows of {@code width} columns, column by column. */
    private float[] transpose(float[] x, int rows) {
        float[] t = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                t[c * rows + r] = x[r * width + c];
            }
        }
        return t;
    }

    private double dist(float[] a, int ao, float[] b, int bo) {
        double s = 0;
        for (int j = 0; j < width; j++) {
            double t = a[ao + j] - b[bo + j];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /** Indices of the k smallest of d[0..n) (ties by index), by partial selection. */
    private static int[] nearest(double[] d, int n, int k) {
        int[] best = new int[k];
        Arrays.fill(best, -1);
        for (int j = 0; j < n; j++) {
            // Most rows are not among the k nearest: one compare against the k-th (same outcome
            // as the loop below, which would leave pos at k).
            if (best[k - 1] >= 0 && !(d[j] < d[best[k - 1]])) {
                continue;
            }
            int pos = k;
            while (pos > 0 && (best[pos - 1] < 0 || d[j] < d[best[pos - 1]])) {
                pos--;
            }
            if (pos < k) {
                System.arraycopy(best, pos, best, pos + 1, k - pos - 1);
                best[pos] = j;
            }
        }
        return best;
    }

    private static int[] sample(int rows, int[] label, int max, SplittableRandom rng) {
        int[] pool = new int[rows];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (label == null || label[r] == 1) {
                pool[n++] = r;
            }
        }
        if (n > max) {
            for (int i = 0; i < max; i++) { // partial Fisher-Yates
                int j = i + rng.nextInt(n - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            n = max;
            Arrays.sort(pool, 0, n);
        }
        return Arrays.copyOf(pool, n);
    }

    private float[] gather(float[] x, int[] idx) {
        float[] out = new float[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(x, idx[i] * width, out, i * width, width);
        }
        return out;
    }
}
