package org.cfq.quant.integer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cfq.quant.Granularity;
import org.cfq.quant.PackedCodes;
import org.cfq.quant.QuantSpec;

class PackedMatrixPropertiesTest {

    @Property(tries = 300)
    void decodeRow_anyShapeWidthAndCodes_givesEveryRowBack(@ForAll @IntRange(min = 1, max = 9) int rows,
                                                            @ForAll @IntRange(min = 1, max = 13) int cols,
                                                            @ForAll @IntRange(min = 2, max = 8) int bits,
                                                            @ForAll boolean signed, @ForAll boolean narrow,
                                                            @ForAll long seed) {
        QuantSpec spec = new QuantSpec(bits, signed, narrow, Granularity.TENSOR);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        int[] codes = new int[rows * cols];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = spec.qmin() + rng.nextInt(spec.levels());
        }
        PackedMatrix m = PackedMatrix.pack(codes, rows, cols, spec);
        // Same bytes as the file format's packing, and ceil(n * b / 8) of them.
        assertThat(m.packed()).containsExactly(PackedCodes.pack(codes, spec));
        assertThat(m.bytes()).isEqualTo((rows * cols * bits + 7) / 8);
        int[] row = new int[cols];
        for (int r = rows - 1; r >= 0; r--) {
            m.decodeRow(r, row);
            for (int c = 0; c < cols; c++) {
                assertThat(row[c]).as("(%d, %d)", r, c).isEqualTo(codes[r * cols + c]);
            }
        }
    }
}
