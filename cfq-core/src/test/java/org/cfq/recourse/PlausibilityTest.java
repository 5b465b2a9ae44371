package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlausibilityTest {

    /**
     * The scorer as first written (one distance at a time, serial LOF neighbours, plain partial
     * selection): the faster one must give the same bits.
     */
    private static final class Reference {
        final int width;
        final float[] all;
        final int[] allLabel;
        final float[] fav;
        final double[] kdist;
        final double[] lrd;

        Reference(float[] x, int rows, int width, int[] modelLabel, int[] trueLabel, int max, long seed) {
            this.width = width;
            SplittableRandom rng = new SplittableRandom(seed);
            int[] idx = sample(rows, null, max, rng);
            all = gather(x, idx);
            allLabel = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                allLabel[i] = modelLabel[idx[i]];
            }
            int[] favIdx = sample(rows, trueLabel, max, rng);
            int nFav = favIdx.length;
            fav = gather(x, favIdx);
            kdist = new double[nFav];
            int[][] nn = new int[nFav][];
            double[] d = new double[nFav];
            for (int i = 0; i < nFav; i++) {
                for (int j = 0; j < nFav; j++) {
                    d[j] = j == i ? Double.POSITIVE_INFINITY : dist(fav, i * width, fav, j * width);
                }
                nn[i] = nearest(d, nFav, Plausibility.K);
                kdist[i] = d[nn[i][Plausibility.K - 1]];
            }
            lrd = new double[nFav];
            for (int i = 0; i < nFav; i++) {
                double s = 0;
                for (int o : nn[i]) {
                    s += Math.max(kdist[o], dist(fav, i * width, fav, o * width));
                }
                lrd[i] = s > 0 ? Plausibility.K / s : Double.POSITIVE_INFINITY;
            }
        }

        double[] score(float[] row, int offset, int label) {
            int nAll = allLabel.length;
            int nFav = kdist.length;
            double[] d = new double[Math.max(nAll, nFav)];
            for (int j = 0; j < nAll; j++) {
                d[j] = dist(row, offset, all, j * width);
            }
            int same = 0;
            for (int j : nearest(d, nAll, Plausibility.K)) {
                if (allLabel[j] == label) {
                    same++;
                }
            }
            for (int j = 0; j < nFav; j++) {
                d[j] = dist(row, offset, fav, j * width);
            }
            double reach = 0;
            double ratio = 0;
            for (int o : nearest(d, nFav, Plausibility.K)) {
                reach += Math.max(kdist[o], d[o]);
                ratio += lrd[o];
            }
            double lrdQ = reach > 0 ? Plausibility.K / reach : Double.POSITIVE_INFINITY;
            return new double[] {same / (double) Plausibility.K,
                Double.isInfinite(lrdQ) ? 1.0 : ratio / Plausibility.K / lrdQ};
        }

        double dist(float[] a, int ao, float[] b, int bo) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                double t = a[ao + j] - b[bo + j];
                s += t * t;
            }
            return Math.sqrt(s);
        }

        static int[] nearest(double[] d, int n, int k) {
            int[] best = new int[k];
            Arrays.fill(best, -1);
            for (int j = 0; j < n; j++) {
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

        static int[] sample(int rows, int[] label, int max, SplittableRandom rng) {
            int[] pool = new int[rows];
            int n = 0;
            for (int r = 0; r < rows; r++) {
                if (label == null || label[r] == 1) {
                    pool[n++] = r;
                }
            }
            if (n > max) {
                for (int i = 0; i < max; i++) {
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

        float[] gather(float[] x, int[] idx) {
            float[] out = new float[idx.length * width];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(x, idx[i] * width, out, i * width, width);
            }
            return out;
        }
    }

    /** Rows with one-hot groups and coarse numeric values, so many distances tie exactly. */
    private static float[] rows(int rows, int width, SplittableRandom rnd) {
        float[] x = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                x[r * width + j] = j < 3 ? (float) (rnd.nextInt(7) * 0.37 - 1) : rnd.nextInt(4) == 0 ? 1f : 0f;
            }
        }
        return x;
    }

    @Test
    void scores_areThoseOfTheSerialOneDistanceAtATimeScorer_bitForBit() {
        for (int width : new int[] {1, 5, 13, 90}) {
            for (int rows : new int[] {9, 203, 1201}) {
                SplittableRandom rnd = new SplittableRandom(width * 31L + rows);
                float[] x = rows(rows, width, rnd);
                int[] model = new int[rows];
                int[] truth = new int[rows];
                for (int r = 0; r < rows; r++) {
                    model[r] = rnd.nextInt(2);
                    truth[r] = r < 7 ? 1 : rnd.nextInt(2);
                }
                int max = 500;
                Plausibility p = new Plausibility(x, rows, width, model, truth, max, 11);
                Reference ref = new Reference(x, rows, width, model, truth, max, 11);
                float[] queries = rows(60, width, rnd);
                for (int q = 0; q < 60; q++) {
                    for (int label = 0; label < 2; label++) {
                        double[] got = p.score(queries, q * width, label);
                        double[] want = ref.score(queries, q * width, label);
                        assertThat(got).as("width %d rows %d query %d", width, rows, q).isEqualTo(want);
                    }
                }
                // A training row itself: its own distance 0 is among the neighbours.
                assertThat(p.score(x, 0, 1)).isEqualTo(ref.score(x, 0, 1));
            }
        }
    }

    @Test
    void lof_isAboutOneInsideTheData_andLargeFarOff() {
        SplittableRandom rnd = new SplittableRandom(3);
        int rows = 400;
        int width = 4;
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] ones = new int[rows];
        Arrays.fill(ones, 1);
        Plausibility p = new Plausibility(x, rows, width, ones, ones, 2000, 1);
        double inside = p.score(new float[] {0, 0, 0, 0}, 0, 1)[1];
        double far = p.score(new float[] {30, 30, 30, 30}, 0, 1)[1];
        assertThat(inside).isBetween(0.7, 1.5);
        assertThat(far).isGreaterThan(5);
        assertThat(p.score(new float[] {0, 0, 0, 0}, 0, 1)[0]).isEqualTo(1.0);
    }
}
