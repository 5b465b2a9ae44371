package org.cfq.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackedCodesTest {

    @Test
    void pack_twoBitCodes_fourPerByteFromLowBits() {
        // 2-bit full range: q - qmin = q + 2; codes -2, -1, 0, 1 -> 0, 1, 2, 3 -> 0b11_10_01_00 = 0xE4
        byte[] p = PackedCodes.pack(new int[] {-2, -1, 0, 1, 1}, QuantSpec.weights(2));
        assertThat(p).containsExactly((byte) 0xE4, (byte) 0x03);
    }

    @Test
    void pack_threeBitCodes_straddleBytes() {
        // 3 bits, qmin -4: codes 3, -4, 0 -> 7, 0, 4 -> bits 111 000 100 -> byte0 = 0b0_000_111 = 0x07,
        // the 4 (0b100) occupies bits 6..8: bit 8 set -> byte0 unchanged in bits 6,7; byte1 = 0x01
        byte[] p = PackedCodes.pack(new int[] {3, -4, 0}, QuantSpec.weights(3));
        assertThat(p).containsExactly((byte) 0x07, (byte) 0x01);
        assertThat(PackedCodes.packedLength(3, 3)).isEqualTo(2);
    }

    @Test
    void unpack_randomCodesEveryWidth_roundTrips() {
        SplittableRandom r = new SplittableRandom(1);
        for (int bits = 2; bits <= 8; bits++) {
            for (boolean narrow : new boolean[] {false, true}) {
                QuantSpec spec = new QuantSpec(bits, true, narrow, Granularity.TENSOR);
                int[] codes = new int[37];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = spec.qmin() + r.nextInt(spec.levels());
                }
                assertThat(PackedCodes.unpack(PackedCodes.pack(codes, spec), codes.length, spec)).containsExactly(codes);
            }
        }
    }

    @Test
    void unpack_wrongLength_fails() {
        assertThatThrownBy(() -> PackedCodes.unpack(new byte[2], 5, QuantSpec.weights(4)))
                .hasMessageContaining("need 3 bytes").hasMessageContaining("5 codes of 4 bits");
    }

    @Test
    void unpack_narrowRangeCodeAboveQmax_fails() {
        // 2-bit narrow: qmin -1, qmax 1; stored value 3 -> code 2
        assertThatThrownBy(() -> PackedCodes.unpack(new byte[] {0x03}, 1,
                new QuantSpec(2, true, true, Granularity.TENSOR))).hasMessageContaining("above qmax 1");
    }
}
