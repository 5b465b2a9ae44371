package org.cfq.quant.mixed;

import java.util.Arrays;

/**
 * The published greedy width choice of {@code mixed-ptq}, kept as an option beside the exact
 * {@link BitAllocator} so the difference can be reported. Every layer starts at the widest
 * candidate; while {@code sum_l n_l b_l} exceeds {@code floor(B sum_l n_l)}, the layer with the
 * smallest sensitivity per weight {@code s_l / n_l} that can still narrow moves to the next
 * narrower candidate (ties: the earlier layer). (Our reading of the paper's "greedy ratio": the
 * large, insensitive layers give up bits first.)
 */
public final class GreedyAllocator {
    private GreedyAllocator() {
    }

    /**
     * @param weightsPerLayer {@code n_l}, &gt; 0
     * @param sensitivity     {@code s_l} per layer, &gt;= 0
     * @throws IllegalArgumentException when even the narrowest widths exceed the budget
     */
    public static BitAllocation allocate(int[] weightsPerLayer, double[] sensitivity, BitBudget budget) {
        int layers = weightsPerLayer.length;
        if (sensitivity.length != layers) {
            throw new IllegalArgumentException("sensitivity has " + sensitivity.length + " layers, the model "
                    + layers);
        }
        int[] cand = budget.candidateArray();
        int[] k = new int[layers];
        Arrays.fill(k, cand.length - 1);
        long weights = 0;
        long used = 0;
        for (int l = 0; l < layers; l++) {
            weights += weightsPerLayer[l];
            used += (long) weightsPerLayer[l] * cand[k[l]];
        }
        long cap = budget.maxWeightBits(weights);
        while (used > cap) {
            int pick = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int l = 0; l < layers; l++) {
                double ratio = sensitivity[l] / weightsPerLayer[l];
                if (k[l] > 0 && ratio < best) {
                    best = ratio;
                    pick = l;
                }
            }
            if (pick < 0) {
                throw new IllegalArgumentException("budget " + budget.averageBits()
                        + " bits is below the narrowest candidate " + cand[0]);
            }
            used -= (long) weightsPerLayer[pick] * (cand[k[pick]] - cand[k[pick] - 1]);
            k[pick]--;
        }
        int[] bits = new int[layers];
        double objective = 0;
        for (int l = 0; l < layers; l++) {
            bits[l] = cand[k[l]];
            objective += sensitivity[l];
        }
        return new BitAllocation(bits, used, weights, objective);
    }
}
