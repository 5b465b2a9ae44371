package org.cfq.train;

import java.util.Arrays;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * Global magnitude pruning (Han et al., "Learning both Weights and Connections for Efficient
 * Neural Networks", NeurIPS 2015, one shot): the given share of all weights of all layers with
 * the smallest absolute values is set to zero, biases untouched. The paper's {@code prune-q}
 * baseline prunes 30% and then quantizes.
 */
public final class MagnitudePruning {
    /** The paper's share of pruned weights. */
    public static final double PAPER_FRACTION = 0.30;

    private MagnitudePruning() {
    }

    /**
     * {@return a pruned copy of {@code model} (the model is not modified)} Exactly
     * {@code floor(fraction * weights)} weights become zero (ties at the threshold broken by
     * position, earlier layers and indices first), plus any that were zero already.
     *
     * @param fraction share of the weights to zero, in [0, 1)
     */
    public static Mlp prune(Mlp model, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
        }
        Mlp copy = model.copy();
        int total = 0;
        for (DenseLayer l : copy.layers()) {
            total += l.weight().length;
        }
        int k = (int) Math.floor(fraction * total);
        if (k == 0) {
            return copy;
        }
        float[] mags = new float[total];
        int o = 0;
        for (DenseLayer l : copy.layers()) {
            for (float w : l.weight()) {
                mags[o++] = Math.abs(w);
            }
        }
        float[] sorted = mags.clone();
        Arrays.sort(sorted);
        float threshold = sorted[k - 1];
        int below = 0;
        for (float m : mags) {
            if (m < threshold) {
                below++;
            }
        }
        int atThreshold = k - below;
        for (DenseLayer l : copy.layers()) {
            float[] w = l.weight();
            for (int i = 0; i < w.length; i++) {
                float m = Math.abs(w[i]);
                if (m < threshold) {
                    w[i] = 0f;
                } else if (m == threshold && atThreshold > 0) {
                    w[i] = 0f;
                    atThreshold--;
                }
            }
        }
        return copy;
    }

    /** {@return the share of weights (not biases) that are exactly zero} */
    public static double zeroFraction(Mlp model) {
        long zeros = 0;
        long total = 0;
        for (DenseLayer l : model.layers()) {
            for (float w : l.weight()) {
                if (w == 0f) {
                    zeros++;
                }
                total++;
            }
        }
        return total == 0 ? 0 : (double) zeros / total;
    }
}
