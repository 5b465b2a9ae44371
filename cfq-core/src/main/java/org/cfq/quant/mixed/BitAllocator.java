package org.cfq.quant.mixed;

import java.util.Arrays;

/**
 * The exact optimum of the budgeted width choice: minimize {@code sum_l score(l, b_l)}
 * subject to {@code sum_l n_l b_l <= floor(B * sum_l n_l)}.
 *
 * <p>Dynamic programming over layers and the integer number of extra weight bits used above
 * the all-narrowest allocation (a multiple-choice knapsack). Bit counts are divided by the
 * gcd of every possible per-layer increment, which keeps the table small. Ties keep the
 * allocation found first (layers in order, candidates ascending), so the result is
 * deterministic.
 */
public final class BitAllocator {
    /** Tables larger than this are refused rather than risking an out-of-memory error. */
    static final long MAX_CELLS = 200_000_000L;

    private BitAllocator() {
    }

    /**
     * @param weightsPerLayer {@code n_l}, the weight count of each layer, &gt; 0
     * @param sensitivity     scores with the budget's candidates
     * @throws IllegalArgumentException when the budget is below the smallest width or the
     *                                  shapes disagree
     */
    public static BitAllocation allocate(int[] weightsPerLayer, LayerSensitivity sensitivity, BitBudget budget) {
        int layers = weightsPerLayer.length;
        int[] cand = budget.candidateArray();
        if (sensitivity.layers() != layers) {
            throw new IllegalArgumentException("sensitivity has " + sensitivity.layers() + " layers, the model "
                    + layers);
        }
        if (!Arrays.equals(sensitivity.candidates(), cand)) {
            throw new IllegalArgumentException("sensitivity candidates " + Arrays.toString(sensitivity.candidates())
                    + " differ from the budget's " + Arrays.toString(cand));
        }
        long total = 0;
        for (int n : weightsPerLayer) {
            if (n <= 0) {
                throw new IllegalArgumentException("weight counts must be > 0, got " + Arrays.toString(weightsPerLayer));
            }
            total += n;
        }
        long allowed = budget.maxWeightBits(total);
        long minimum = total * cand[0];
        if (allowed < minimum) {
            throw new IllegalArgumentException("budget of " + budget.averageBits() + " average bits allows "
                    + allowed + " weight bits but the narrowest allocation needs " + minimum
                    + "; raise the budget to at least " + cand[0]);
        }
        long g = 0;
        for (int n : weightsPerLayer) {
            for (int b : cand) {
                g = gcd(g, (long) n * (b - cand[0]));
            }
        }
        if (g == 0) {
            g = 1;
        }
        long capL = Math.min((allowed - minimum) / g, maxExtra(weightsPerLayer, cand) / g);
        if ((capL + 1) * layers > MAX_CELLS) {
            throw new IllegalArgumentException("allocation table of " + (capL + 1) + " x " + layers
                    + " cells is too large; use fewer layers or candidates");
        }
        int cap = (int) capL;
        double[] best = new double[cap + 1];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        best[0] = 0;
        byte[][] choice = new byte[layers][cap + 1];
        for (int l = 0; l < layers; l++) {
            double[] next = new double[cap + 1];
            Arrays.fill(next, Double.POSITIVE_INFINITY);
            for (int used = 0; used <= cap; used++) {
                if (best[used] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                for (int k = 0; k < cand.length; k++) {
                    long step = (long) weightsPerLayer[l] * (cand[k] - cand[0]) / g;
                    long u = used + step;
                    if (u > cap) {
                        break;
                    }
                    double v = best[used] + sensitivity.score(l, k);
                    if (v < next[(int) u]) {
                        next[(int) u] = v;
                        choice[l][(int) u] = (byte) k;
                    }
                }
            }
            best = next;
        }
        int end = -1;
        for (int u = 0; u <= cap; u++) {
            if (best[u] < Double.POSITIVE_INFINITY && (end < 0 || best[u] < best[end])) {
                end = u;
            }
        }
        if (end < 0) {
            throw new IllegalArgumentException("no allocation of " + Arrays.toString(cand) + " meets "
                    + budget.averageBits() + " average bits");
        }
        int[] bits = new int[layers];
        long weightBits = 0;
        int u = end;
        for (int l = layers - 1; l >= 0; l--) {
            int k = choice[l][u];
            bits[l] = cand[k];
            weightBits += (long) weightsPerLayer[l] * cand[k];
            u -= (int) ((long) weightsPerLayer[l] * (cand[k] - cand[0]) / g);
        }
        return new BitAllocation(bits, weightBits, total, best[end]);
    }

    private static long maxExtra(int[] n, int[] cand) {
        long s = 0;
        for (int x : n) {
            s += (long) x * (cand[cand.length - 1] - cand[0]);
        }
        return s;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return Math.abs(a);
    }
}
