package org.cfq.quant.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitAllocatorTest {

    @Test
    void allocate_handCase_spendsBitsOnSensitiveSmallLayer() {
        // layers of 100 and 10 weights, budget 3 average -> 330 bits.
        // Options (2,8): 200 + 80 = 280 ok; (3,3): 330 ok; (4,2): 420 too many.
        int[] cand = {2, 3, 4, 8};
        double[][] s = {
            {1.0, 0.5, 0.2, 0.0},   // big layer
            {9.0, 4.0, 1.0, 0.0},   // small, sensitive layer
        };
        BitAllocation a = BitAllocator.allocate(new int[] {100, 10}, new LayerSensitivity(cand, s, "test"),
                new BitBudget(3.0, List.of(2, 3, 4, 8)));
        // (3,4) costs 0.5 + 1.0 = 1.5 with 340 bits: over; (2,8): 1.0 + 0 = 1.0 with 280 bits; (3,3): 4.5
        assertThat(a.bits()).containsExactly(2, 8);
        assertThat(a.weightBits()).isEqualTo(280);
        assertThat(a.averageBits()).isCloseTo(280.0 / 110, within(1e-12));
        assertThat(a.objective()).isEqualTo(1.0);
    }

    @Test
    void allocate_randomSmallCases_matchesBruteForce() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] cand = {2, 3, 4, 8};
        for (int trial = 0; trial < 300; trial++) {
            int layers = 1 + rng.nextInt(4);
            int[] n = new int[layers];
            double[][] s = new double[layers][cand.length];
            for (int l = 0; l < layers; l++) {
                n[l] = 1 + rng.nextInt(60);
                double prev = 10 * rng.nextDouble();
                for (int k = 0; k < cand.length; k++) {
                    s[l][k] = rng.nextInt(4) == 0 ? rng.nextDouble() * 5 : prev;
                    prev = prev * rng.nextDouble();
                }
            }
            double budget = 2 + 6 * rng.nextDouble();
            BitBudget b = new BitBudget(budget, List.of(2, 3, 4, 8));
            BitAllocation a = BitAllocator.allocate(n, new LayerSensitivity(cand, s, "test"), b);
            double best = bruteForce(n, s, cand, b.maxWeightBits(sum(n)));
            assertThat(a.objective()).as("trial %d", trial).isCloseTo(best, within(1e-9));
            assertThat(a.weightBits()).isLessThanOrEqualTo(b.maxWeightBits(sum(n)));
            double check = 0;
            for (int l = 0; l < layers; l++) {
                check += s[l][indexOf(cand, a.bits()[l])];
            }
            assertThat(check).isCloseTo(a.objective(), within(1e-9));
        }
    }

    @Test
    void allocate_budgetExactlyNarrowest_allLayersNarrowest() {
        double[][] s = {{0, 0}, {0, 0}};
        BitAllocation a = BitAllocator.allocate(new int[] {3, 7}, new LayerSensitivity(new int[] {3, 8}, s, "t"),
                new BitBudget(3.0, List.of(3, 8)));
        assertThat(a.bits()).containsExactly(3, 3);
    }

    @Test
    void budget_belowSmallestCandidate_failsWithFix() {
        assertThatThrownBy(() -> new BitBudget(1.5, List.of(2, 3, 4, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5 is below the smallest candidate width 2")
                .hasMessageContaining("raise the budget");
        assertThatThrownBy(() -> new BitBudget(2.5, List.of(3, 4)))
                .hasMessageContaining("below the smallest candidate width 3");
    }

    @Test
    void budget_badCandidates_fail() {
        assertThatThrownBy(() -> new BitBudget(3, List.of(2, 9))).hasMessageContaining("bits must be in [2, 8], got 9");
        assertThatThrownBy(() -> new BitBudget(3, List.of(2, 2))).hasMessageContaining("distinct");
        assertThatThrownBy(() -> BitBudget.of(Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void budget_candidates_sortedOnConstruction() {
        assertThat(new BitBudget(4, List.of(8, 2, 4)).candidateArray()).containsExactly(2, 4, 8);
    }

    @Test
    void allocate_mismatchedSensitivity_fails() {
        assertThatThrownBy(() -> BitAllocator.allocate(new int[] {1, 2},
                new LayerSensitivity(new int[] {2, 3, 4, 8}, new double[][] {{0, 0, 0, 0}}, "t"), BitBudget.of(3)))
                .hasMessageContaining("1 layers, the model 2");
    }

    private static long sum(int[] n) {
        long s = 0;
        for (int x : n) {
            s += x;
        }
        return s;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v);
    }

    private static double bruteForce(int[] n, double[][] s, int[] cand, long maxBits) {
        int layers = n.length;
        int combos = (int) Math.pow(cand.length, layers);
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < combos; c++) {
            int code = c;
            long bits = 0;
            double v = 0;
            for (int l = 0; l < layers; l++) {
                int k = code % cand.length;
                code /= cand.length;
                bits += (long) n[l] * cand[k];
                v += s[l][k];
            }
            if (bits <= maxBits && v < best) {
                best = v;
            }
        }
        return best;
    }
}
