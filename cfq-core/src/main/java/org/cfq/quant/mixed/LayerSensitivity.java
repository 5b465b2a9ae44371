package org.cfq.quant.mixed;

import java.util.Arrays;

/**
 * How much each layer suffers at each candidate width: {@code score(l, k)} is the estimated
 * loss increase when layer {@code l} is quantized at {@code candidates[k]}. Lower is better.
 * Immutable: arrays are copied in and out.
 */
public final class LayerSensitivity {
    private final int[] candidates;
    private final double[][] scores;
    private final String method;

    /**
     * @param candidates widths, ascending
     * @param scores     (layers x candidates), finite
     * @param method     how the scores were measured ("loss" or "hutchinson")
     */
    public LayerSensitivity(int[] candidates, double[][] scores, String method) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores need at least one layer, got none");
        }
        this.candidates = candidates.clone();
        this.scores = new double[scores.length][];
        for (int l = 0; l < scores.length; l++) {
            if (scores[l].length != candidates.length) {
                throw new IllegalArgumentException("layer " + l + " has " + scores[l].length + " scores for "
                        + candidates.length + " candidates");
            }
            for (double s : scores[l]) {
                if (!Double.isFinite(s)) {
                    throw new IllegalArgumentException("layer " + l + " has a non-finite score " + s);
                }
            }
            this.scores[l] = scores[l].clone();
        }
        this.method = method;
    }

    public int layers() {
        return scores.length;
    }

    public int[] candidates() {
        return candidates.clone();
    }

    public double score(int layer, int candidate) {
        return scores[layer][candidate];
    }

    public String method() {
        return method;
    }

    @Override
    public String toString() {
        return "LayerSensitivity[" + method + ", candidates=" + Arrays.toString(candidates) + ", scores="
                + Arrays.deepToString(scores) + "]";
    }
}
