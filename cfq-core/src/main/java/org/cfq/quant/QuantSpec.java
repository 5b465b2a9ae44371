package org.cfq.quant;

import java.util.Objects;

/**
 * The integer grid of a quantizer: bit width, signedness, range and granularity.
 *
 * <p>Integer ranges for {@code b} bits:
 * <ul>
 *   <li>signed, full range: {@code [-2^(b-1), 2^(b-1) - 1]}; 8 bits gives [-128, 127], 2 bits [-2, 1];</li>
 *   <li>signed, narrow range: {@code [-(2^(b-1) - 1), 2^(b-1) - 1]}; 8 bits gives [-127, 127], 2 bits [-1, 1];</li>
 *   <li>unsigned: {@code [0, 2^b - 1]}; 8 bits gives [0, 255], 2 bits [0, 3]
 *       (narrow range drops the top code: [0, 2^b - 2]).</li>
 * </ul>
 *
 * @param bits        bit width, in [{@value #MIN_BITS}, {@value #MAX_BITS}]
 * @param signed      signed (weights) or unsigned (activations after ReLU)
 * @param narrowRange drop the most negative code so the signed grid is symmetric
 * @param granularity one scale per tensor or per output channel
 */
public record QuantSpec(int bits, boolean signed, boolean narrowRange, Granularity granularity) {
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;

    public QuantSpec {
        checkBits(bits);
        Objects.requireNonNull(granularity, "granularity");
    }

    /** @throws IllegalArgumentException when {@code bits} is outside [2, 8] */
    public static int checkBits(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits must be in [" + MIN_BITS + ", " + MAX_BITS + "], got " + bits);
        }
        return bits;
    }

    /** Signed full-range per-tensor weights of the given width (PyTorch's qint8 convention). */
    public static QuantSpec weights(int bits) {
        return new QuantSpec(bits, true, false, Granularity.TENSOR);
    }

    /** Signed full-range weights of the given width and granularity. */
    public static QuantSpec weights(int bits, Granularity granularity) {
        return new QuantSpec(bits, true, false, granularity);
    }

    /** Unsigned per-tensor activations of the given width (after a ReLU). */
    public static QuantSpec unsignedActivations(int bits) {
        return new QuantSpec(bits, false, false, Granularity.TENSOR);
    }

    /** The same grid at another width. */
    public QuantSpec withBits(int newBits) {
        return new QuantSpec(newBits, signed, narrowRange, granularity);
    }

    /** {@return the smallest integer code} */
    public int qmin() {
        if (!signed) {
            return 0;
        }
        return narrowRange ? -((1 << (bits - 1)) - 1) : -(1 << (bits - 1));
    }

    /** {@return the largest integer code} */
    public int qmax() {
        if (!signed) {
            return narrowRange ? (1 << bits) - 2 : (1 << bits) - 1;
        }
        return (1 << (bits - 1)) - 1;
    }

    /** {@return the number of codes on the grid} */
    public int levels() {
        return qmax() - qmin() + 1;
    }
}
