package org.cfq.quant;

/**
 * Dense bit packing of integer codes at their width: code {@code q} is stored as the
 * unsigned {@code b}-bit value {@code q - qmin}, codes one after another from the least
 * significant bit of byte 0 (four 2-bit codes per byte, two 4-bit, 3-bit codes straddle
 * bytes). {@code n} codes take {@code ceil(n * b / 8)} bytes.
 */
public final class PackedCodes {
    private PackedCodes() {
    }

    /** {@return the bytes needed for {@code n} codes of {@code bits} bits} */
    public static int packedLength(int n, int bits) {
        return (int) (((long) n * bits + 7) / 8);
    }

    /**
     * Packs codes that lie in [qmin, qmax] of the spec.
     *
     * @throws IllegalArgumentException when a code lies off the grid
     */
    public static byte[] pack(int[] codes, QuantSpec spec) {
        int bits = spec.bits();
        byte[] out = new byte[packedLength(codes.length, bits)];
        long bitPos = 0;
        for (int i = 0; i < codes.length; i++) {
            int q = codes[i];
            if (q < spec.qmin() || q > spec.qmax()) {
                throw new IllegalArgumentException("code " + i + " must be in [" + spec.qmin() + ", " + spec.qmax()
                        + "], got " + q);
            }
            int u = q - spec.qmin();
            for (int k = 0; k < bits; k++, bitPos++) {
                if (((u >>> k) & 1) != 0) {
                    out[(int) (bitPos >>> 3)] |= (byte) (1 << (bitPos & 7));
                }
            }
        }
        return out;
    }

    /**
     * Unpacks {@code n} codes.
     *
     * @throws IllegalArgumentException when the byte count is not {@link #packedLength}, or a
     *                                  code lands off the grid (possible only for narrow ranges)
     */
    public static int[] unpack(byte[] packed, int n, QuantSpec spec) {
        int bits = spec.bits();
        if (packed.length != packedLength(n, bits)) {
            throw new IllegalArgumentException(n + " codes of " + bits + " bits need " + packedLength(n, bits)
                    + " bytes, got " + packed.length);
        }
        int[] codes = new int[n];
        long bitPos = 0;
        for (int i = 0; i < n; i++) {
            int u = 0;
            for (int k = 0; k < bits; k++, bitPos++) {
                if ((packed[(int) (bitPos >>> 3)] & (1 << (bitPos & 7))) != 0) {
                    u |= 1 << k;
                }
            }
            int q = u + spec.qmin();
            if (q > spec.qmax()) {
                throw new IllegalArgumentException("packed code " + i + " is " + q + ", above qmax " + spec.qmax());
            }
            codes[i] = q;
        }
        return codes;
    }
}
