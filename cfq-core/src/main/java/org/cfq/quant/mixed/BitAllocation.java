package org.cfq.quant.mixed;

/**
 * A chosen width per layer.
 *
 * @param bits          width of each layer
 * @param weightBits    {@code sum_l n_l b_l}
 * @param weights       {@code sum_l n_l}
 * @param objective     the summed sensitivity of the choice
 */
public record BitAllocation(int[] bits, long weightBits, long weights, double objective) {
    public BitAllocation {
        bits = bits.clone();
    }

    @Override
    public int[] bits() {
        return bits.clone();
    }

    /** {@return the parameter-weighted average bits} */
    public double averageBits() {
        return (double) weightBits / weights;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BitAllocation a && java.util.Arrays.equals(a.bits, bits) && a.weightBits == weightBits
                && a.weights == weights && Double.compare(a.objective, objective) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "BitAllocation[bits=" + java.util.Arrays.toString(bits) + ", average=" + averageBits()
                + ", objective=" + objective + "]";
    }
}
