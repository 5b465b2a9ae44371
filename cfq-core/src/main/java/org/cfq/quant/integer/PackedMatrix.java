package org.cfq.quant.integer;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.quant.PackedCodes;
import org.cfq.quant.QuantSpec;

/**
 * An (rows x cols) row-major matrix of integer codes packed at their bit width, in the
 * layout of {@link PackedCodes}: code {@code q} is stored as the unsigned value
 * {@code q - qmin}, least significant bit first, codes back to back with no row padding
 * (four 2-bit codes per byte, two 4-bit, 3-bit codes straddle bytes). An (out x in) weight
 * of {@code n} codes at {@code b} bits takes {@code ceil(n * b / 8)} bytes.
 *
 * <p>Immutable: the bytes are copied in and out.
 */
public final class PackedMatrix {
    private final int rows;
    private final int cols;
    private final QuantSpec spec;
    private final byte[] packed;

    private PackedMatrix(int rows, int cols, QuantSpec spec, byte[] packed) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + " x " + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.spec = Objects.requireNonNull(spec, "spec");
        int want = PackedCodes.packedLength(rows * cols, spec.bits());
        if (packed.length != want) {
            throw new IllegalArgumentException(rows + " x " + cols + " codes of " + spec.bits() + " bits need "
                    + want + " bytes, got " + packed.length);
        }
        this.packed = packed;
        // Narrow ranges leave one unsigned pattern unused; reject it once here so decoding never has to.
        int[] row = new int[cols];
        for (int r = 0; r < rows; r++) {
            decodeRow(r, row);
            for (int c = 0; c < cols; c++) {
                if (row[c] > spec.qmax()) {
                    throw new IllegalArgumentException("packed code (" + r + ", " + c + ") is " + row[c]
                            + ", above qmax " + spec.qmax());
                }
            }
        }
    }

    /**
     * Packs codes that lie on the spec's grid.
     *
     * @param codes (rows x cols) row-major
     * @throws IllegalArgumentException on a shape mismatch or a code off the grid
     */
    public static PackedMatrix pack(int[] codes, int rows, int cols, QuantSpec spec) {
        if ((long) rows * cols != codes.length) {
            throw new IllegalArgumentException("codes length must be rows*cols = " + ((long) rows * cols)
                    + ", got " + codes.length);
        }
        return new PackedMatrix(rows, cols, spec, PackedCodes.pack(codes, spec));
    }

    /**
     * Wraps bytes read from a file; they are copied.
     *
     * @throws IllegalArgumentException when the byte count does not match the shape and width,
     *                                  or a narrow-range code lies above qmax
     */
    public static PackedMatrix of(byte[] packed, int rows, int cols, QuantSpec spec) {
        return new PackedMatrix(rows, cols, spec, packed.clone());
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public QuantSpec spec() {
        return spec;
    }

    /** {@return the packed size in bytes} */
    public int bytes() {
        return packed.length;
    }

    /** {@return a copy of the packed bytes} */
    public byte[] packed() {
        return packed.clone();
    }

    /**
     * Decodes one row of codes.
     *
     * @param out codes of row {@code row}, length &gt;= cols; the first cols entries are overwritten
     */
    public void decodeRow(int row, int[] out) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("row must be in [0, " + (rows - 1) + "], got " + row);
        }
        int bits = spec.bits();
        int qmin = spec.qmin();
        int mask = (1 << bits) - 1;
        long bitPos = (long) row * cols * bits;
        for (int c = 0; c < cols; c++, bitPos += bits) {
            int b = (int) (bitPos >>> 3);
            int shift = (int) (bitPos & 7);
            int v = (packed[b] & 0xFF) >>> shift;
            if (shift + bits > 8) {
                // The code straddles into the next byte (widths that do not divide 8, or unaligned rows).
                v |= (packed[b + 1] & 0xFF) << (8 - shift);
            }
            out[c] = (v & mask) + qmin;
        }
    }

    /** {@return all codes, (rows x cols), freshly allocated} */
    public int[] decode() {
        int[] all = new int[rows * cols];
        int[] row = new int[cols];
        for (int r = 0; r < rows; r++) {
            decodeRow(r, row);
            System.arraycopy(row, 0, all, r * cols, cols);
        }
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedMatrix m && m.rows == rows && m.cols == cols && m.spec.equals(spec)
                && Arrays.equals(m.packed, packed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, spec, Arrays.hashCode(packed));
    }

    @Override
    public String toString() {
        return "PackedMatrix[" + rows + " x " + cols + ", " + spec.bits() + " bits, " + packed.length + " bytes]";
    }
}
