package org.cfq.quant.mixed;

import java.util.List;
import java.util.Objects;
import org.cfq.quant.QuantSpec;

/**
 * A budget on the parameter-weighted average weight bits, with the candidate widths each
 * layer may take. Biases and scales are not part of the budget; they are reported apart.
 *
 * @param averageBits the largest allowed {@code sum_l n_l b_l / sum_l n_l}; at least the
 *                    smallest candidate (anything lower cannot be met) and finite
 * @param candidates  distinct widths in [2, 8], sorted ascending on construction
 */
public record BitBudget(double averageBits, List<Integer> candidates) {
    /** The published candidate set. */
    public static final List<Integer> DEFAULT_CANDIDATES = List.of(2, 3, 4, 8);

    public BitBudget {
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must hold at least one width in [2, 8], got none");
        }
        candidates = candidates.stream().sorted().toList();
        for (int i = 0; i < candidates.size(); i++) {
            QuantSpec.checkBits(candidates.get(i));
            if (i > 0 && candidates.get(i).equals(candidates.get(i - 1))) {
                throw new IllegalArgumentException("candidates must be distinct, got " + candidates);
            }
        }
        if (!(averageBits >= 0 && averageBits < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("averageBits must be finite and >= 0, got " + averageBits);
        }
        if (averageBits < candidates.get(0)) {
            throw new IllegalArgumentException("averageBits " + averageBits + " is below the smallest candidate width "
                    + candidates.get(0) + ", so no allocation can meet it; raise the budget to at least "
                    + candidates.get(0) + " or add a narrower candidate");
        }
    }

    /** A budget over the default candidates 2, 3, 4, 8. */
    public static BitBudget of(double averageBits) {
        return new BitBudget(averageBits, DEFAULT_CANDIDATES);
    }

    /** {@return the candidates as an int array, ascending} */
    public int[] candidateArray() {
        return candidates.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * {@return the largest total number of weight bits allowed for {@code weights} weights}
     * A tiny tolerance keeps {@code 3.0 * n} from rounding below {@code 3n}.
     */
    public long maxWeightBits(long weights) {
        return (long) Math.floor(averageBits * weights + 1e-9 * Math.max(1, weights));
    }
}
