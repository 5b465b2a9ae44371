package org.cfq.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.FloatRange;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.junit.jupiter.api.Test;

class UniformQuantizerTest {

    private static UniformQuantizer q(int bits, boolean signed, boolean narrow, float s, int z) {
        return new UniformQuantizer(new QuantSpec(bits, signed, narrow, Granularity.TENSOR), QuantParams.perTensor(s, z));
    }

    @Test
    void fakeQuantize_tieAtHalf_roundsToEven() {
        UniformQuantizer q = q(4, true, false, 0.5f, 0);
        // x / s = 1.5 -> 2; 2.5 -> 2; -0.5 -> -0 -> 0; -1.5 -> -2; 3.5 -> 4
        float[] x = {0.75f, 1.25f, -0.25f, -0.75f, 1.75f};
        assertThat(q.quantize(x)).containsExactly(2, 2, 0, -2, 4);
        assertThat(q.fakeQuantize(x)).containsExactly(1.0f, 1.0f, 0.0f, -1.0f, 2.0f);
    }

    @Test
    void fakeQuantize_beyondRange_saturatesAtQminQmax() {
        UniformQuantizer q = q(4, true, false, 0.5f, 0);
        // 9 / 0.5 = 18 -> 7 (3.5); -9 / 0.5 = -18 -> -8 (-4.0)
        assertThat(q.quantize(new float[] {9f, -9f, 1e30f, -1e30f})).containsExactly(7, -8, 7, -8);
        assertThat(q.fakeQuantize(new float[] {9f, -9f})).containsExactly(3.5f, -4.0f);
    }

    @Test
    void code_multipliesByFloatReciprocal_notDivides() {
        // 1/0.3f in float32 times -38.25f is exactly -127.5, which rounds to even -128;
        // dividing (-38.25f / 0.3f = -127.49999) would give -127.
        UniformQuantizer q = q(8, true, false, 0.3f, 0);
        assertThat(-38.25f / 0.3f).isEqualTo(-127.49999f);
        assertThat(q.quantize(new float[] {-38.25f})).containsExactly(-128);
        assertThat(q.fakeQuantize(new float[] {-38.25f})).containsExactly(-38.4f);
    }

    @Test
    void fakeQuantize_twoBitFullRange_hasCodesMinusTwoToOne() {
        UniformQuantizer q = q(2, true, false, 1f, 0);
        // 1.5 -> 2 -> clamp 1; -2.5 -> -2 (even); -3 -> -2; 0.5 -> 0; -1.5 -> -2
        float[] x = {1.5f, -2.5f, -3f, 0.5f, -1.5f, 0.6f};
        assertThat(q.quantize(x)).containsExactly(1, -2, -2, 0, -2, 1);
        assertThat(q.fakeQuantize(x)).containsExactly(1f, -2f, -2f, 0f, -2f, 1f);
    }

    @Test
    void fakeQuantize_twoBitNarrowRange_isSymmetricMinusOneToOne() {
        UniformQuantizer q = q(2, true, true, 1f, 0);
        float[] x = {1.5f, -2.5f, -3f, 0.5f, -1.5f};
        assertThat(q.quantize(x)).containsExactly(1, -1, -1, 0, -1);
        assertThat(q.fakeQuantize(x)).containsExactly(1f, -1f, -1f, 0f, -1f);
    }

    @Test
    void fakeQuantize_narrowVsFullRangeAt8Bits_differOnlyAtMostNegative() {
        UniformQuantizer full = q(8, true, false, 0.25f, 0);
        UniformQuantizer narrow = q(8, true, true, 0.25f, 0);
        // -40 / 0.25 = -160: full clamps to -128 (-32.0), narrow to -127 (-31.75)
        assertThat(full.fakeQuantize(new float[] {-40f, 40f})).containsExactly(-32.0f, 31.75f);
        assertThat(narrow.fakeQuantize(new float[] {-40f, 40f})).containsExactly(-31.75f, 31.75f);
    }

    @Test
    void fakeQuantize_unsignedTwoBit_clipsNegativesAndTop() {
        UniformQuantizer q = q(2, false, false, 0.5f, 0);
        // [0, 3]: 2.0 -> 4 -> 3 (1.5); -1 -> 0; 0.7 -> 1.4 -> 1 (0.5); 0.75 -> 1.5 -> 2 (1.0)
        float[] x = {2.0f, -1f, 0.7f, 0.75f};
        assertThat(q.quantize(x)).containsExactly(3, 0, 1, 2);
        assertThat(q.fakeQuantize(x)).containsExactly(1.5f, 0f, 0.5f, 1.0f);
    }

    @Test
    void fakeQuantize_affineZeroPoint_shiftsGrid() {
        UniformQuantizer q = q(8, false, false, 0.1f, 10);
        // -1.0 * 10 = -10, + 10 = 0 -> (0 - 10) * 0.1 = -1.0; -2.0 -> -10 -> clamp 0 -> -1.0; 0 -> 10 -> 0.0
        float[] x = {-1.0f, -2.0f, 0f};
        assertThat(q.quantize(x)).containsExactly(0, 0, 10);
        assertThat(q.fakeQuantize(x)).containsExactly(-1.0f, -1.0f, 0f);
    }

    @Test
    void fakeQuantize_zeroTensor_staysZeroWithEpsScale() {
        float[] zeros = new float[6];
        QuantSpec spec = QuantSpec.weights(4);
        QuantParams p = new MinMaxCalibrator().calibrate(zeros, 1, spec);
        assertThat(p.scale(0)).isEqualTo(1.1920929e-7f);
        UniformQuantizer q = new UniformQuantizer(spec, p);
        assertThat(q.quantize(zeros)).containsOnly(0);
        assertThat(q.fakeQuantize(zeros)).containsOnly(0f);
    }

    @Test
    void fakeQuantize_perChannel_usesEachRowsScale() {
        QuantSpec spec = QuantSpec.weights(4, Granularity.CHANNEL);
        UniformQuantizer q = new UniformQuantizer(spec, QuantParams.symmetric(new float[] {0.5f, 2f}));
        // row 0 with s = 0.5, row 1 with s = 2: 1.2 / 2 = 0.6 -> 1 (2.0); 3 / 2 = 1.5 -> 2 (4.0)
        float[] w = {1.2f, 3f, 1.2f, 3f};
        assertThat(q.quantize(w)).containsExactly(2, 6, 1, 2);
        assertThat(q.fakeQuantize(w)).containsExactly(1.0f, 3.0f, 2.0f, 4.0f);
    }

    @Test
    void maskGradient_outsideClampRange_zeroesGradient() {
        UniformQuantizer q = q(2, true, false, 1f, 0);
        // codes before clamp: 1 (in), 2 (out), -2 (in), -3 (out), rint(1.4)=1 (in)
        float[] x = {1f, 1.6f, -2.4f, -2.6f, 1.4f};
        float[] g = {1f, 1f, 1f, 1f, 1f};
        q.maskGradient(x, g);
        assertThat(g).containsExactly(1f, 0f, 1f, 0f, 1f);
    }

    @Test
    void dequantize_codeOffGrid_failsNamingRange() {
        UniformQuantizer q = q(2, true, false, 1f, 0);
        assertThatThrownBy(() -> q.dequantize(new int[] {2}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[-2, 1], got 2");
    }

    @Test
    void constructor_zeroPointOffGrid_fails() {
        assertThatThrownBy(() -> q(2, false, false, 1f, 4)).hasMessageContaining("zero point 0 must be in [0, 3], got 4");
    }

    @Test
    void constructor_nanScale_fails() {
        assertThatThrownBy(() -> QuantParams.symmetric(Float.NaN)).hasMessageContaining("got NaN");
    }

    // ---- properties ----

    @Provide
    Arbitrary<UniformQuantizer> quantizers() {
        Arbitrary<Integer> bits = Arbitraries.integers().between(2, 8);
        Arbitrary<Boolean> signed = Arbitraries.of(true, false);
        Arbitrary<Boolean> narrow = Arbitraries.of(true, false);
        Arbitrary<Float> scale = Arbitraries.floats().between(1e-3f, 10f).ofScale(6);
        Arbitrary<Double> zFrac = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(bits, signed, narrow, scale, zFrac).as((b, sg, nr, s, zf) -> {
            QuantSpec spec = new QuantSpec(b, sg, nr, Granularity.TENSOR);
            int z = sg ? 0 : (int) Math.floor(zf * spec.qmax());
            return new UniformQuantizer(spec, QuantParams.perTensor(s, z));
        });
    }

    @Property
    void fakeQuantize_anyInput_liesOnGrid(@ForAll("quantizers") UniformQuantizer q,
                                          @ForAll @FloatRange(min = -5000, max = 5000) float x) {
        float y = q.fakeQuantize(new float[] {x})[0];
        int code = q.quantize(new float[] {y})[0];
        assertThat(code).isBetween(q.spec().qmin(), q.spec().qmax());
        assertThat(UniformQuantizer.dequantize(code, q.params().scale(0), q.params().zeroPoint(0))).isEqualTo(y);
    }

    @Property
    void fakeQuantize_twice_changesNothing(@ForAll("quantizers") UniformQuantizer q,
                                           @ForAll @FloatRange(min = -5000, max = 5000) float x) {
        float[] once = q.fakeQuantize(new float[] {x});
        assertThat(q.fakeQuantize(once)).containsExactly(once);
    }

    @Property
    void fakeQuantize_farOutside_saturates(@ForAll("quantizers") UniformQuantizer q,
                                           @ForAll @FloatRange(min = 2, max = 1000) float over) {
        float s = q.params().scale(0);
        int z = q.params().zeroPoint(0);
        float top = (q.spec().qmax() - z) * s;
        float bottom = (q.spec().qmin() - z) * s;
        float[] y = q.fakeQuantize(new float[] {top + over * s, bottom - over * s});
        assertThat(y).containsExactly(UniformQuantizer.dequantize(q.spec().qmax(), s, z),
                UniformQuantizer.dequantize(q.spec().qmin(), s, z));
    }

    @Property
    void fakeQuantize_ordered_isMonotone(@ForAll("quantizers") UniformQuantizer q,
                                         @ForAll @FloatRange(min = -5000, max = 5000) float a,
                                         @ForAll @FloatRange(min = -5000, max = 5000) float b) {
        float lo = Math.min(a, b);
        float hi = Math.max(a, b);
        float[] y = q.fakeQuantize(new float[] {lo, hi});
        assertThat(y[0]).isLessThanOrEqualTo(y[1]);
    }
}
