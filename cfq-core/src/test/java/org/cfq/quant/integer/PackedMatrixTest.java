package org.cfq.quant.integer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.junit.jupiter.api.Test;

class PackedMatrixTest {

    @Test
    void pack_twoBitCodes_fourPerByteLowBitsFirst() {
        // 2-bit signed [-2, 1]: stored u = q + 2 = 0, 1, 2, 3 -> 0b11_10_01_00 = 0xE4
        PackedMatrix m = PackedMatrix.pack(new int[] {-2, -1, 0, 1}, 1, 4, QuantSpec.weights(2));
        assertThat(m.bytes()).isEqualTo(1);
        assertThat(m.packed()).containsExactly((byte) 0xE4);
    }

    @Test
    void pack_fourBitCodes_twoPerByte() {
        // 4-bit signed [-8, 7]: u = q + 8: (-8, 7) -> (0, 15) -> 0xF0; (1, -1) -> (9, 7) -> 0x79
        PackedMatrix m = PackedMatrix.pack(new int[] {-8, 7, 1, -1}, 2, 2, QuantSpec.weights(4));
        assertThat(m.packed()).containsExactly((byte) 0xF0, (byte) 0x79);
    }

    @Test
    void decodeRow_threeBitRowsStraddleBytes_giveCodesBack() {
        // 3 rows x 3 codes of 3 bits = 27 bits -> 4 bytes; row 1 starts at bit 9, row 2 at bit 18,
        // and code (0, 2) spans bits 6..8 across bytes 0 and 1.
        int[] codes = {-4, 3, 2, -1, 0, 1, 3, -3, -4};
        PackedMatrix m = PackedMatrix.pack(codes, 3, 3, QuantSpec.weights(3));
        assertThat(m.bytes()).isEqualTo(4);
        int[] row = new int[3];
        m.decodeRow(0, row);
        assertThat(row).containsExactly(-4, 3, 2);
        m.decodeRow(1, row);
        assertThat(row).containsExactly(-1, 0, 1);
        m.decodeRow(2, row);
        assertThat(row).containsExactly(3, -3, -4);
        assertThat(m.decode()).containsExactly(codes);
    }

    @Test
    void decode_everyWidthSignedAndUnsigned_roundTrips() {
        for (int bits = 2; bits <= 8; bits++) {
            for (boolean signed : new boolean[] {true, false}) {
                QuantSpec spec = new QuantSpec(bits, signed, false, Granularity.TENSOR);
                int n = 5 * 7;
                int[] codes = new int[n];
                for (int i = 0; i < n; i++) {
                    codes[i] = spec.qmin() + (i * 37) % spec.levels();
                }
                PackedMatrix m = PackedMatrix.pack(codes, 5, 7, spec);
                assertThat(m.bytes()).as("%d bits", bits).isEqualTo((n * bits + 7) / 8);
                assertThat(PackedMatrix.of(m.packed(), 5, 7, spec).decode()).as("%d bits", bits).containsExactly(codes);
            }
        }
    }

    @Test
    void of_wrongByteCount_failsNamingBothCounts() {
        assertThatThrownBy(() -> PackedMatrix.of(new byte[3], 2, 5, QuantSpec.weights(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 5 bytes").hasMessageContaining("got 3");
    }

    @Test
    void of_narrowRangeUnusedPattern_failsNamingThePosition() {
        // 2-bit narrow signed [-1, 1] stores u = q + 1 in [0, 2]; pattern 3 (byte 0b11) is off the grid
        QuantSpec narrow = new QuantSpec(2, true, true, Granularity.TENSOR);
        assertThatThrownBy(() -> PackedMatrix.of(new byte[] {0b11}, 1, 4, narrow))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(0, 0)").hasMessageContaining("above qmax 1");
    }
}
