package org.cfq.quant.integer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.cfq.math.Dense;

/**
 * The vector forms of {@link IntegerKernels} on the JDK vector API: int32 lanes, int16 lanes
 * (the narrow layers' products and sums) and float32 lanes of the same width (exact whole-number
 * sums and the requantization). Loaded only when the {@code jdk.incubator.vector} module is
 * present. Every lane computes exactly what the plain-Java form computes for its element.
 *
 * <p>Activation codes are held as float32 whole numbers (centered, {@code c - za}): the float
 * kernels read them as they are, the integer kernels broadcast them one scalar at a time, and the
 * fallback multiplies them by the activation scale exactly as {@code float(c - za) * s_a}.
 */
final class IntegerVectorKernels {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SH = ShortVector.SPECIES_PREFERRED;
    private static final int L = I.length();
    /** Short lanes: twice the int lanes, so one short vector widens to two int vectors. */
    private static final int SL = SH.length();

    static {
        if (F.length() != L) {
            throw new IllegalStateException("int and float vectors differ in lanes: " + L + " vs " + F.length());
        }
    }

    private IntegerVectorKernels() {
    }

    /** 1.5 * 2^23: a whole number v in [-2^22, 2^22] added to it gives bits {@code MAGIC_BITS + v}. */
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /*
     * Lane conversions between whole-number floats and ints go through these bits: JDK 17's C2 does
     * not compile the vector API's int<->float conversions on x86 (they run as boxed Java loops,
     * ~100x slower), but it does compile bit reinterpretation. A whole number v in [-2^22, 2^22]:
     * int = bits(v + MAGIC) - MAGIC_BITS, float = float(bits v + MAGIC_BITS) - MAGIC. They are
     * written out where they are used, not in helper methods: a vector passed to or returned from a
     * method that C2 does not inline is boxed on every call, and C2 does not inline a callee it has
     * already compiled into large code. With a helper, one run in three of the integer engine
     * boxed every row's logit sums (JFR: 1.3 GB allocated in logits2Only, its logits 4x slower;
     * docs/benchmarks.md, issue 16).
     */

    static int lanes() {
        return L;
    }

    /** {@return whether the int16 kernel runs here: short vectors exactly twice as wide as int ones} */
    static boolean shortLanes() {
        return SL == 2 * L;
    }

    /** {@return the short lanes of one vector} */
    static int shortLaneCount() {
        return SL;
    }

    /**
     * {@link IntegerKernels#quantizeRelu} over whole vectors. The scaled value {@code relu(x) * inv}
     * is capped at 2^22 before rounding (any value that large is clamped to qmax anyway), where
     * {@code (v + 2^23) - 2^23} is {@code rint(v)} in float32; the code is clamped in float
     * (whole numbers, exact).
     *
     * @return the first index not done
     */
    static int quantizeRelu(float[] pre, int n, float inv, int z, int qmin, int qmax, float[] centered) {
        int i = 0;
        float lo = qmin - z;
        float hi = qmax - z;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(F, pre, i);
            // ReLU as zero.blend(x, x > 0): NaN and values <= 0 become 0.
            FloatVector v = FloatVector.zero(F).blend(x, x.compare(VectorOperators.GT, 0f)).mul(inv).min(0x1p22f);
            FloatVector r = v.add(0x1p23f).sub(0x1p23f);
            // clamp(r + z, qmin, qmax) - z == clamp(r, qmin - z, qmax - z): whole numbers, exact.
            r.max(lo).min(hi).intoArray(centered, i);
        }
        return i;
    }

    /**
     * {@link IntegerKernels#quantizeRelu} of {@code rows} rows of width {@code out} (a multiple of
     * L), and each row's {@code sums[r] = sum_o |centered[r, o]|} on the way (the requantization
     * guard of the next layer needs it; the codes are in registers here, where a separate pass
     * reloads them). For {@code inv > 0} finite and {@code qmin <= z <= qmax} (every activation
     * quantizer: its zero point lies in its range), with {@code hi = qmax - z}:
     * {@code v = relu(x) * inv} is {@code >= +0} and never NaN (ReLU maps NaN to 0), and for the
     * whole number {@code hi} (at most 2^16, so below 2^22) {@code rint(min(v, hi)) = min(rint(v), hi)}
     * (rint is monotone and keeps whole numbers), which is {@code >= 0 >= qmin - z}: the fake
     * quantizer's {@code clamp(rint(v) + z, qmin, qmax) - z} exactly, with one compare-and-blend
     * for the clamp where {@code min}/{@code max} with Java's NaN and signed-zero rules cost several
     * instructions each. Codes are {@code >= 0}, so the sum adds them as they are; every partial
     * sum is a whole number below {@code out * hi}, exact when the caller's {@code out * hi < 2^24}.
     *
     * @param small whether {@code out * hi <= 2^22} (the lanes then reduce as ints, as a tree)
     */
    static void quantizeReluRows(float[] pre, int rows, int out, float inv, float hi, float[] centered,
                                 float[] sums, boolean small) {
        for (int r = 0; r < rows; r++) {
            FloatVector s = FloatVector.zero(F);
            for (int j = r * out, end = j + out; j < end; j += L) {
                FloatVector x = FloatVector.fromArray(F, pre, j);
                FloatVector v = FloatVector.zero(F).blend(x, x.compare(VectorOperators.GT, 0f)).mul(inv);
                v = v.blend(hi, v.compare(VectorOperators.GT, hi));
                FloatVector c = v.add(0x1p23f).sub(0x1p23f);
                c.intoArray(centered, j);
                s = s.add(c);
            }
            sums[r] = small
                    ? s.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD)
                    : s.reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * {@code sumA[r] = sum_i |a[r, i]|} for whole-number rows of width {@code in >= L} whose sums stay
     * below 2^24 (every partial sum is then exact, in any order). A last partial vector is masked
     * by a blend (the overlapping lanes already counted are zeroed).
     *
     * @param small whether every row's sum is at most 2^22 (then the lanes reduce as ints)
     */
    static void absRowSums(float[] a, int rows, int in, float[] sumA, boolean small) {
        int full = F.loopBound(in);
        VectorMask<Float> fresh = freshLanes(in);
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < full; i += L) {
                s = s.add(FloatVector.fromArray(F, a, ao + i).abs());
            }
            if (full < in) {
                s = s.add(FloatVector.zero(F).blend(FloatVector.fromArray(F, a, ao + in - L).abs(), fresh));
            }
            // At most 2^22 (small): exact as int lanes, which C2 reduces as a tree (see logits2).
            sumA[r] = small
                    ? s.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD)
                    : s.reduceLanes(VectorOperators.ADD);
        }
    }

    private static final float[] IOTA = new float[L];

    static {
        for (int l = 0; l < L; l++) {
            IOTA[l] = l;
        }
    }

    /**
     * The lanes of the vector {@code [in - L, in)} that the whole vectors {@code [0, loopBound(in))}
     * did not cover ({@code in >= L}).
     */
    private static VectorMask<Float> freshLanes(int in) {
        int covered = F.loopBound(in) - (in - L);
        return FloatVector.fromArray(F, IOTA, 0).compare(VectorOperators.GE, (float) covered);
    }

    /**
     * {@code acc = a W^T} in int16 lanes for a layer whose worst case {@code sum_i |q_i - z| max|c - za|}
     * is below 2^15: every product and every partial sum then fits a short, in any order, so the
     * short sums are the int32 sums. (int16 products: 32 multiply-adds per 512-bit instruction pair,
     * twice the float32 lanes' count per vector; the 4-bit layers fit, the 8-bit ones do not.)
     *
     * <p>Two register tiles, chosen per call by the share of nonzero codes (counted on the pass that
     * makes {@code pairs}). From a quarter nonzero on, eight rows at a time down every input, zero or
     * not, with 16 sums in registers: the first hidden layer's 4-bit codes on Adult, German and
     * COMPAS are 36-44% nonzero per row and 73-83% of the inputs are nonzero in one of four rows
     * (a quarter nonzero at random would already leave 68% listed), so a list of the nonzero inputs
     * saves little and costs a pass of its own. Sparser, four rows at a time down the inputs where
     * any of the four is nonzero, as {@link org.cfq.math.Dense#sparseRows}. Both tiles store their
     * short sums, widened to exact floats in one pass at the end: a vector handed to a method C2
     * does not inline is boxed on every call, and these tiles are too large to inline one into.
     *
     * @param a      centered codes as whole-number floats, (rows x in)
     * @param ws     centered weights as shorts, (in x outPad); within each block of {@code SL}
     *               outputs, short lane {@code 2t} holds output {@code t} and lane {@code 2t + 1}
     *               output {@code t + L} (so the two int halves of a short vector are the block's
     *               two float vectors in order); padding outputs are 0
     * @param outPad {@code out} rounded up to a multiple of {@code SL}
     * @param accF   sums as exact floats, (rows x outPad); overwritten
     * @param nz     scratch of at least {@code in} ints
     * @param pairs  scratch of at least {@code rows * in} ints
     * @param sums   scratch of at least {@code roundUp(rows, 8) * outPad} shorts (every tile stores all its rows)
     */
    static void accumulateShort(float[] a, int rows, int in, short[] ws, int outPad, float[] accF, int[] nz,
                                int[] pairs, short[] sums) {
        // Each code as an int holding it in both 16-bit halves: a 32-bit broadcast from memory then
        // gives the code in every short lane (one load), where a short broadcast of a float code
        // needs a conversion and a register broadcast per row and input.
        int n = rows * in;
        int nonzero = 0;
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector c = FloatVector.fromArray(F, a, i);
            nonzero += c.compare(VectorOperators.NE, 0f).trueCount();
            IntVector v = c.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS);
            v.and(0xffff).or(v.lanewise(VectorOperators.LSHL, 16)).intoArray(pairs, i);
        }
        for (; i < n; i++) {
            int v = (int) a[i];
            nonzero += v != 0 ? 1 : 0;
            pairs[i] = (v & 0xffff) | (v << 16);
        }
        int blocks = outPad / SL;
        int last = rows - 1;
        if (4L * nonzero >= n) {
            for (int m = 0; m < rows; m += 8) {
                int b = 0;
                for (; b + 2 <= blocks; b += 2) {
                    denseTile8x2(pairs, m, last, in, ws, outPad, b * SL, sums);
                }
                if (b < blocks) {
                    denseTile8x1(pairs, m, last, in, ws, outPad, b * SL, sums);
                }
            }
        } else {
            for (int m = 0; m < rows; m += 4) {
                int a0 = m * in;
                int a1 = Math.min(m + 1, last) * in;
                int a2 = Math.min(m + 2, last) * in;
                int a3 = Math.min(m + 3, last) * in;
                // The same list as Dense.sparseRows' (the columns where one of the four rows is nonzero).
                int cnt = Dense.nonzeroColumns4(a, a0, a1, a2, a3, in, nz, 0);
                int b = 0;
                for (; b + 2 <= blocks; b += 2) {
                    listTile4x2(pairs, a0, a1, a2, a3, nz, cnt, ws, outPad, b * SL, sums, m);
                }
                if (b < blocks) {
                    listTile4x1(pairs, a0, a1, a2, a3, nz, cnt, ws, outPad, b * SL, sums, m);
                }
            }
        }
        for (int o = 0, end = rows * outPad; o < end; o += SL) {
            widen(sums, o, accF);
        }
    }

    /**
     * Eight rows by two blocks of outputs, down every input: 16 sums in registers and one pair of
     * weight loads per eight rows. A last group of fewer rows repeats its last row (in every
     * store too: {@code sums} has room for whole groups, and no branch per row).
     */
    private static void denseTile8x2(int[] a, int m, int last, int in, short[] w, int outPad, int j, short[] sums) {
        int a0 = m * in;
        int a1 = Math.min(m + 1, last) * in;
        int a2 = Math.min(m + 2, last) * in;
        int a3 = Math.min(m + 3, last) * in;
        int a4 = Math.min(m + 4, last) * in;
        int a5 = Math.min(m + 5, last) * in;
        int a6 = Math.min(m + 6, last) * in;
        int a7 = Math.min(m + 7, last) * in;
        ShortVector s00 = ShortVector.zero(SH);
        ShortVector s01 = ShortVector.zero(SH);
        ShortVector s10 = ShortVector.zero(SH);
        ShortVector s11 = ShortVector.zero(SH);
        ShortVector s20 = ShortVector.zero(SH);
        ShortVector s21 = ShortVector.zero(SH);
        ShortVector s30 = ShortVector.zero(SH);
        ShortVector s31 = ShortVector.zero(SH);
        ShortVector s40 = ShortVector.zero(SH);
        ShortVector s41 = ShortVector.zero(SH);
        ShortVector s50 = ShortVector.zero(SH);
        ShortVector s51 = ShortVector.zero(SH);
        ShortVector s60 = ShortVector.zero(SH);
        ShortVector s61 = ShortVector.zero(SH);
        ShortVector s70 = ShortVector.zero(SH);
        ShortVector s71 = ShortVector.zero(SH);
        for (int k = 0; k < in; k++) {
            int bo = k * outPad + j;
            ShortVector b0 = ShortVector.fromArray(SH, w, bo);
            ShortVector b1 = ShortVector.fromArray(SH, w, bo + SL);
            ShortVector v;
            v = IntVector.broadcast(I, a[a0 + k]).reinterpretAsShorts();
            s00 = b0.mul(v).add(s00);
            s01 = b1.mul(v).add(s01);
            v = IntVector.broadcast(I, a[a1 + k]).reinterpretAsShorts();
            s10 = b0.mul(v).add(s10);
            s11 = b1.mul(v).add(s11);
            v = IntVector.broadcast(I, a[a2 + k]).reinterpretAsShorts();
            s20 = b0.mul(v).add(s20);
            s21 = b1.mul(v).add(s21);
            v = IntVector.broadcast(I, a[a3 + k]).reinterpretAsShorts();
            s30 = b0.mul(v).add(s30);
            s31 = b1.mul(v).add(s31);
            v = IntVector.broadcast(I, a[a4 + k]).reinterpretAsShorts();
            s40 = b0.mul(v).add(s40);
            s41 = b1.mul(v).add(s41);
            v = IntVector.broadcast(I, a[a5 + k]).reinterpretAsShorts();
            s50 = b0.mul(v).add(s50);
            s51 = b1.mul(v).add(s51);
            v = IntVector.broadcast(I, a[a6 + k]).reinterpretAsShorts();
            s60 = b0.mul(v).add(s60);
            s61 = b1.mul(v).add(s61);
            v = IntVector.broadcast(I, a[a7 + k]).reinterpretAsShorts();
            s70 = b0.mul(v).add(s70);
            s71 = b1.mul(v).add(s71);
        }
        int co = m * outPad + j;
        s70.intoArray(sums, co + 7 * outPad);
        s71.intoArray(sums, co + 7 * outPad + SL);
        s60.intoArray(sums, co + 6 * outPad);
        s61.intoArray(sums, co + 6 * outPad + SL);
        s50.intoArray(sums, co + 5 * outPad);
        s51.intoArray(sums, co + 5 * outPad + SL);
        s40.intoArray(sums, co + 4 * outPad);
        s41.intoArray(sums, co + 4 * outPad + SL);
        s30.intoArray(sums, co + 3 * outPad);
        s31.intoArray(sums, co + 3 * outPad + SL);
        s20.intoArray(sums, co + 2 * outPad);
        s21.intoArray(sums, co + 2 * outPad + SL);
        s10.intoArray(sums, co + outPad);
        s11.intoArray(sums, co + outPad + SL);
        s00.intoArray(sums, co);
        s01.intoArray(sums, co + SL);
    }

    /** {@link #denseTile8x2} for one block of outputs. */
    private static void denseTile8x1(int[] a, int m, int last, int in, short[] w, int outPad, int j, short[] sums) {
        int a0 = m * in;
        int a1 = Math.min(m + 1, last) * in;
        int a2 = Math.min(m + 2, last) * in;
        int a3 = Math.min(m + 3, last) * in;
        int a4 = Math.min(m + 4, last) * in;
        int a5 = Math.min(m + 5, last) * in;
        int a6 = Math.min(m + 6, last) * in;
        int a7 = Math.min(m + 7, last) * in;
        ShortVector s00 = ShortVector.zero(SH);
        ShortVector s10 = ShortVector.zero(SH);
        ShortVector s20 = ShortVector.zero(SH);
        ShortVector s30 = ShortVector.zero(SH);
        ShortVector s40 = ShortVector.zero(SH);
        ShortVector s50 = ShortVector.zero(SH);
        ShortVector s60 = ShortVector.zero(SH);
        ShortVector s70 = ShortVector.zero(SH);
        for (int k = 0; k < in; k++) {
            int bo = k * outPad + j;
            ShortVector b0 = ShortVector.fromArray(SH, w, bo);
            ShortVector v;
            v = IntVector.broadcast(I, a[a0 + k]).reinterpretAsShorts();
            s00 = b0.mul(v).add(s00);
            v = IntVector.broadcast(I, a[a1 + k]).reinterpretAsShorts();
            s10 = b0.mul(v).add(s10);
            v = IntVector.broadcast(I, a[a2 + k]).reinterpretAsShorts();
            s20 = b0.mul(v).add(s20);
            v = IntVector.broadcast(I, a[a3 + k]).reinterpretAsShorts();
            s30 = b0.mul(v).add(s30);
            v = IntVector.broadcast(I, a[a4 + k]).reinterpretAsShorts();
            s40 = b0.mul(v).add(s40);
            v = IntVector.broadcast(I, a[a5 + k]).reinterpretAsShorts();
            s50 = b0.mul(v).add(s50);
            v = IntVector.broadcast(I, a[a6 + k]).reinterpretAsShorts();
            s60 = b0.mul(v).add(s60);
            v = IntVector.broadcast(I, a[a7 + k]).reinterpretAsShorts();
            s70 = b0.mul(v).add(s70);
        }
        int co = m * outPad + j;
        s70.intoArray(sums, co + 7 * outPad);
        s60.intoArray(sums, co + 6 * outPad);
        s50.intoArray(sums, co + 5 * outPad);
        s40.intoArray(sums, co + 4 * outPad);
        s30.intoArray(sums, co + 3 * outPad);
        s20.intoArray(sums, co + 2 * outPad);
        s10.intoArray(sums, co + outPad);
        s00.intoArray(sums, co);
    }

    /**
     * Four rows by two blocks of outputs down the listed inputs, two inputs per step into two sets
     * of sums (added at the end; exact in any order, see above), so that a step does not wait on the
     * last step's additions: a dense 64 x 128 -> 64 probe of this tile ran at 139 GFLOP/s with one
     * set and 375 with two (docs/benchmarks.md, issue 16).
     */
    private static void listTile4x2(int[] a, int a0, int a1, int a2, int a3, int[] nz, int cnt, short[] w,
                                   int outPad, int j, short[] sums, int m) {
        ShortVector s00 = ShortVector.zero(SH);
        ShortVector s01 = ShortVector.zero(SH);
        ShortVector s10 = ShortVector.zero(SH);
        ShortVector s11 = ShortVector.zero(SH);
        ShortVector s20 = ShortVector.zero(SH);
        ShortVector s21 = ShortVector.zero(SH);
        ShortVector s30 = ShortVector.zero(SH);
        ShortVector s31 = ShortVector.zero(SH);
        ShortVector u00 = ShortVector.zero(SH);
        ShortVector u01 = ShortVector.zero(SH);
        ShortVector u10 = ShortVector.zero(SH);
        ShortVector u11 = ShortVector.zero(SH);
        ShortVector u20 = ShortVector.zero(SH);
        ShortVector u21 = ShortVector.zero(SH);
        ShortVector u30 = ShortVector.zero(SH);
        ShortVector u31 = ShortVector.zero(SH);
        int t = 0;
        for (; t + 2 <= cnt; t += 2) {
            int k0 = nz[t];
            int bo0 = k0 * outPad + j;
            ShortVector b00 = ShortVector.fromArray(SH, w, bo0);
            ShortVector b01 = ShortVector.fromArray(SH, w, bo0 + SL);
            ShortVector v00 = IntVector.broadcast(I, a[a0 + k0]).reinterpretAsShorts();
            s00 = b00.mul(v00).add(s00);
            s01 = b01.mul(v00).add(s01);
            ShortVector v01 = IntVector.broadcast(I, a[a1 + k0]).reinterpretAsShorts();
            s10 = b00.mul(v01).add(s10);
            s11 = b01.mul(v01).add(s11);
            ShortVector v02 = IntVector.broadcast(I, a[a2 + k0]).reinterpretAsShorts();
            s20 = b00.mul(v02).add(s20);
            s21 = b01.mul(v02).add(s21);
            ShortVector v03 = IntVector.broadcast(I, a[a3 + k0]).reinterpretAsShorts();
            s30 = b00.mul(v03).add(s30);
            s31 = b01.mul(v03).add(s31);
            int k1 = nz[t + 1];
            int bo1 = k1 * outPad + j;
            ShortVector b10 = ShortVector.fromArray(SH, w, bo1);
            ShortVector b11 = ShortVector.fromArray(SH, w, bo1 + SL);
            ShortVector v10 = IntVector.broadcast(I, a[a0 + k1]).reinterpretAsShorts();
            u00 = b10.mul(v10).add(u00);
            u01 = b11.mul(v10).add(u01);
            ShortVector v11 = IntVector.broadcast(I, a[a1 + k1]).reinterpretAsShorts();
            u10 = b10.mul(v11).add(u10);
            u11 = b11.mul(v11).add(u11);
            ShortVector v12 = IntVector.broadcast(I, a[a2 + k1]).reinterpretAsShorts();
            u20 = b10.mul(v12).add(u20);
            u21 = b11.mul(v12).add(u21);
            ShortVector v13 = IntVector.broadcast(I, a[a3 + k1]).reinterpretAsShorts();
            u30 = b10.mul(v13).add(u30);
            u31 = b11.mul(v13).add(u31);
        }
        if (t < cnt) {
            int k0 = nz[t];
            int bo0 = k0 * outPad + j;
            ShortVector b00 = ShortVector.fromArray(SH, w, bo0);
            ShortVector b01 = ShortVector.fromArray(SH, w, bo0 + SL);
            ShortVector v00 = IntVector.broadcast(I, a[a0 + k0]).reinterpretAsShorts();
            s00 = b00.mul(v00).add(s00);
            s01 = b01.mul(v00).add(s01);
            ShortVector v01 = IntVector.broadcast(I, a[a1 + k0]).reinterpretAsShorts();
            s10 = b00.mul(v01).add(s10);
            s11 = b01.mul(v01).add(s11);
            ShortVector v02 = IntVector.broadcast(I, a[a2 + k0]).reinterpretAsShorts();
            s20 = b00.mul(v02).add(s20);
            s21 = b01.mul(v02).add(s21);
            ShortVector v03 = IntVector.broadcast(I, a[a3 + k0]).reinterpretAsShorts();
            s30 = b00.mul(v03).add(s30);
            s31 = b01.mul(v03).add(s31);
        }
        int co = m * outPad + j;
        s30.add(u30).intoArray(sums, co + 3 * outPad);
        s31.add(u31).intoArray(sums, co + 3 * outPad + SL);
        s20.add(u20).intoArray(sums, co + 2 * outPad);
        s21.add(u21).intoArray(sums, co + 2 * outPad + SL);
        s10.add(u10).intoArray(sums, co + outPad);
        s11.add(u11).intoArray(sums, co + outPad + SL);
        s00.add(u00).intoArray(sums, co);
        s01.add(u01).intoArray(sums, co + SL);
    }

    /** {@link #listTile4x2} for one block of outputs. */
    private static void listTile4x1(int[] a, int a0, int a1, int a2, int a3, int[] nz, int cnt, short[] w,
                                   int outPad, int j, short[] sums, int m) {
        ShortVector s00 = ShortVector.zero(SH);
        ShortVector s10 = ShortVector.zero(SH);
        ShortVector s20 = ShortVector.zero(SH);
        ShortVector s30 = ShortVector.zero(SH);
        ShortVector u00 = ShortVector.zero(SH);
        ShortVector u10 = ShortVector.zero(SH);
        ShortVector u20 = ShortVector.zero(SH);
        ShortVector u30 = ShortVector.zero(SH);
        int t = 0;
        for (; t + 2 <= cnt; t += 2) {
            int k0 = nz[t];
            int bo0 = k0 * outPad + j;
            ShortVector b00 = ShortVector.fromArray(SH, w, bo0);
            ShortVector v00 = IntVector.broadcast(I, a[a0 + k0]).reinterpretAsShorts();
            s00 = b00.mul(v00).add(s00);
            ShortVector v01 = IntVector.broadcast(I, a[a1 + k0]).reinterpretAsShorts();
            s10 = b00.mul(v01).add(s10);
            ShortVector v02 = IntVector.broadcast(I, a[a2 + k0]).reinterpretAsShorts();
            s20 = b00.mul(v02).add(s20);
            ShortVector v03 = IntVector.broadcast(I, a[a3 + k0]).reinterpretAsShorts();
            s30 = b00.mul(v03).add(s30);
            int k1 = nz[t + 1];
            int bo1 = k1 * outPad + j;
            ShortVector b10 = ShortVector.fromArray(SH, w, bo1);
            ShortVector v10 = IntVector.broadcast(I, a[a0 + k1]).reinterpretAsShorts();
            u00 = b10.mul(v10).add(u00);
            ShortVector v11 = IntVector.broadcast(I, a[a1 + k1]).reinterpretAsShorts();
            u10 = b10.mul(v11).add(u10);
            ShortVector v12 = IntVector.broadcast(I, a[a2 + k1]).reinterpretAsShorts();
            u20 = b10.mul(v12).add(u20);
            ShortVector v13 = IntVector.broadcast(I, a[a3 + k1]).reinterpretAsShorts();
            u30 = b10.mul(v13).add(u30);
        }
        if (t < cnt) {
            int k0 = nz[t];
            int bo0 = k0 * outPad + j;
            ShortVector b00 = ShortVector.fromArray(SH, w, bo0);
            ShortVector v00 = IntVector.broadcast(I, a[a0 + k0]).reinterpretAsShorts();
            s00 = b00.mul(v00).add(s00);
            ShortVector v01 = IntVector.broadcast(I, a[a1 + k0]).reinterpretAsShorts();
            s10 = b00.mul(v01).add(s10);
            ShortVector v02 = IntVector.broadcast(I, a[a2 + k0]).reinterpretAsShorts();
            s20 = b00.mul(v02).add(s20);
            ShortVector v03 = IntVector.broadcast(I, a[a3 + k0]).reinterpretAsShorts();
            s30 = b00.mul(v03).add(s30);
        }
        int co = m * outPad + j;
        s30.add(u30).intoArray(sums, co + 3 * outPad);
        s20.add(u20).intoArray(sums, co + 2 * outPad);
        s10.add(u10).intoArray(sums, co + outPad);
        s00.add(u00).intoArray(sums, co);
    }

    /**
     * The short sums {@code sums[o, o + SL)} as exact floats at {@code acc[o, o + SL)}: the two int16
     * halves of each int lane, sign-extended ({@code (v << 16) >> 16} and {@code v >> 16}); the low
     * halves are the block's first L outputs, the high halves the next L (the weight layout of
     * {@link #accumulateShort}).
     */
    private static void widen(short[] sums, int o, float[] acc) {
        IntVector v = ShortVector.fromArray(SH, sums, o).reinterpretAsInts();
        v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(MAGIC_BITS).reinterpretAsFloats()
                .sub(MAGIC).intoArray(acc, o);
        v.lanewise(VectorOperators.ASHR, 16).add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC).intoArray(acc, o + L);
    }

    /**
     * {@link IntegerKernels#accumulate} for {@code out >= L}: the row's non-zero codes are listed
     * first, then up to four vectors of outputs are summed per pass over that list.
     *
     * @param nz scratch of at least {@code in} ints: the non-zero inputs' weight-row offsets
     * @param cz scratch of at least {@code in} ints: their codes
     */
    static void accumulate(float[] a, int rows, int in, int[] wt, int out, int[] acc, float[] sumA, int[] nz,
                           int[] cz) {
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            int yo = r * out;
            long s = 0;
            int n = 0;
            for (int i = 0; i < in; i++) {
                int c = (int) a[ao + i];
                s += Math.abs(c);
                nz[n] = i * out;
                cz[n] = c;
                n += c != 0 ? 1 : 0;
            }
            sumA[r] = s;
            // Column blocks of 4, 2 or 1 vectors; a last partial vector overlaps the one before
            // it and recomputes those lanes from scratch (same sums, so the overlap is harmless).
            int j = 0;
            while (j < out) {
                int left = out - j;
                if (left >= 4 * L) {
                    block4(nz, cz, n, wt, acc, yo, j);
                    j += 4 * L;
                } else if (left >= 2 * L) {
                    block2(nz, cz, n, wt, acc, yo, j);
                    j += 2 * L;
                } else if (left >= L) {
                    block1(nz, cz, n, wt, acc, yo, j);
                    j += L;
                } else {
                    block1(nz, cz, n, wt, acc, yo, out - L);
                    j = out;
                }
            }
        }
    }

    private static void block4(int[] nz, int[] cz, int n, int[] wt, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        IntVector s2 = IntVector.zero(I);
        IntVector s3 = IntVector.zero(I);
        for (int k = 0; k < n; k++) {
            int wo = nz[k] + j;
            IntVector cv = IntVector.broadcast(I, cz[k]);
            s0 = IntVector.fromArray(I, wt, wo).mul(cv).add(s0);
            s1 = IntVector.fromArray(I, wt, wo + L).mul(cv).add(s1);
            s2 = IntVector.fromArray(I, wt, wo + 2 * L).mul(cv).add(s2);
            s3 = IntVector.fromArray(I, wt, wo + 3 * L).mul(cv).add(s3);
        }
        s0.intoArray(acc, yo + j);
        s1.intoArray(acc, yo + j + L);
        s2.intoArray(acc, yo + j + 2 * L);
        s3.intoArray(acc, yo + j + 3 * L);
    }

    private static void block2(int[] nz, int[] cz, int n, int[] wt, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        for (int k = 0; k < n; k++) {
            int wo = nz[k] + j;
            IntVector cv = IntVector.broadcast(I, cz[k]);
            s0 = IntVector.fromArray(I, wt, wo).mul(cv).add(s0);
            s1 = IntVector.fromArray(I, wt, wo + L).mul(cv).add(s1);
        }
        s0.intoArray(acc, yo + j);
        s1.intoArray(acc, yo + j + L);
    }

    private static void block1(int[] nz, int[] cz, int n, int[] wt, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        for (int k = 0; k < n; k++) {
            s0 = IntVector.fromArray(I, wt, nz[k] + j).mul(IntVector.broadcast(I, cz[k])).add(s0);
        }
        s0.intoArray(acc, yo + j);
    }

    /**
     * The two logits' integer sums of a layer whose every {@code |acc|} is below 2^24, in float32
     * lanes over the inputs (whole numbers: every product and partial sum exact, so the order of
     * the lane reduction does not matter), and {@code sumA = sum_i |c_i|}; {@code in >= L}. A last
     * partial vector is blended to zero on the lanes the full vectors already covered.
     *
     * @param w0   centered weights of output 0 as floats, (in)
     * @param w1   of output 1
     * @param acc  (rows x 2); overwritten
     * @param small whether every sum of absolute values ({@code sum_i |q_i - z| |c_i - za|} and
     *              {@code sum_i |c_i - za|}) is at most 2^22, so each lane and each total converts
     *              to int exactly ({@link #toInt})
     */
    static void logits2(float[] a, int rows, int in, float[] w0, float[] w1, float[] acc, float[] sumA,
                        boolean small) {
        int full = F.loopBound(in);
        VectorMask<Float> fresh = freshLanes(in);
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            FloatVector sa = FloatVector.zero(F);
            for (int i = 0; i < full; i += L) {
                FloatVector c = FloatVector.fromArray(F, a, ao + i);
                s0 = c.fma(FloatVector.fromArray(F, w0, i), s0);
                s1 = c.fma(FloatVector.fromArray(F, w1, i), s1);
                sa = sa.add(c.abs());
            }
            if (full < in) {
                FloatVector c = FloatVector.zero(F).blend(FloatVector.fromArray(F, a, ao + in - L), fresh);
                s0 = c.fma(FloatVector.fromArray(F, w0, in - L), s0);
                s1 = c.fma(FloatVector.fromArray(F, w1, in - L), s1);
                sa = sa.add(c.abs());
            }
            if (small) {
                // Whole numbers of magnitude at most 2^22 in every lane and in total: the int lanes
                // are exact, and C2 reduces int lanes as a tree where it reduces float lanes one
                // lane after another (the float reduction was about half of this engine's time).
                acc[2 * r] = s0.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD);
                acc[2 * r + 1] = s1.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD);
                sumA[r] = sa.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD);
            } else {
                acc[2 * r] = s0.reduceLanes(VectorOperators.ADD);
                acc[2 * r + 1] = s1.reduceLanes(VectorOperators.ADD);
                sumA[r] = sa.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /** {@link #logits2} without {@code sumA} (the caller has it). */
    static void logits2Only(float[] a, int rows, int in, float[] w0, float[] w1, float[] acc, boolean small) {
        int full = F.loopBound(in);
        VectorMask<Float> fresh = freshLanes(in);
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (int i = 0; i < full; i += L) {
                FloatVector c = FloatVector.fromArray(F, a, ao + i);
                s0 = c.fma(FloatVector.fromArray(F, w0, i), s0);
                s1 = c.fma(FloatVector.fromArray(F, w1, i), s1);
            }
            if (full < in) {
                FloatVector c = FloatVector.zero(F).blend(FloatVector.fromArray(F, a, ao + in - L), fresh);
                s0 = c.fma(FloatVector.fromArray(F, w0, in - L), s0);
                s1 = c.fma(FloatVector.fromArray(F, w1, in - L), s1);
            }
            if (small) {
                acc[2 * r] = s0.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD);
                acc[2 * r + 1] = s1.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD);
            } else {
                acc[2 * r] = s0.reduceLanes(VectorOperators.ADD);
                acc[2 * r + 1] = s1.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * {@link IntegerKernels#requantizeOne} for every output of one row ({@code out >= L}; a last
     * partial vector overlaps the one before it, and an element it recomputes is flagged at most
     * once), from exact float sums. The clamp to {@code [0, qmax - z]} is a compare-and-blend on
     * each side ({@code est} is finite or NaN; a NaN stays NaN, is flagged and recomputed, as in
     * the scalar element); the operations are the scalar element's, in the same order.
     *
     * @param ao   the row's offset in {@code accF}
     * @param co   the row's offset in {@code centered}; flagged entries are indices there
     * @param sums when not null ({@code out} a multiple of L), {@code sums[row] = sum_o centered[co + o]}
     *             (codes {@code >= 0}, whole numbers; flagged codes are the estimate's and the caller
     *             corrects the sum after its fallback)
     * @param small whether the sum is at most 2^22 (int-lane reduction)
     * @return the new flagged count
     */
    static int requantizeRow(float[] accF, int ao, float sumA, int out, IntegerLayer.Requant q, float[] centered,
                             int co, int[] flagged, int count, float[] sums, int row, boolean small) {
        FloatVector sa = FloatVector.broadcast(F, sumA);
        float hi = q.qmax() - q.zeroPoint();
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector s = FloatVector.zero(F);
        int prevEnd = 0;
        for (int j = 0; j < out; j += L) {
            int o = Math.min(j, out - L);
            FloatVector est = FloatVector.fromArray(F, accF, ao + o).fma(FloatVector.fromArray(F, q.mult(), o),
                    FloatVector.fromArray(F, q.offset(), o));
            FloatVector slack = sa.fma(FloatVector.fromArray(F, q.slope(), o), FloatVector.fromArray(F, q.base(), o))
                    .add(est.abs().mul(0x1p-22f));
            FloatVector e = est.blend(0f, est.compare(VectorOperators.LT, 0f));
            e = e.blend(hi, e.compare(VectorOperators.GT, hi));
            FloatVector rounded = e.add(0x1p23f).sub(0x1p23f);
            rounded.intoArray(centered, co + o);
            s = s.add(rounded);
            // Every lane farther than its slack from a rounding boundary.
            VectorMask<Float> far = half.sub(e.sub(rounded).abs()).compare(VectorOperators.GT, slack);
            if (!far.allTrue()) {
                // Rare. The scalar element redoes each lane with the same operations (same code, same
                // flag). The mask is not read lane by lane: on JDK 17, laneIsSet materializes the mask as
                // a boolean array on every call (JFR: 17 % of the engine's samples in getBits/getPayload).
                for (int l = Math.max(0, prevEnd - o); l < L; l++) {
                    if (IntegerKernels.requantizeOne(accF[ao + o + l], sumA, o + l, q, centered, co + o + l)) {
                        flagged[count++] = co + o + l;
                    }
                }
            }
            prevEnd = o + L;
        }
        if (sums != null) {
            sums[row] = small
                    ? s.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS).reduceLanes(VectorOperators.ADD)
                    : s.reduceLanes(VectorOperators.ADD);
        }
        return count;
    }

    /** {@link #requantizeRow(float[], int, float, int, IntegerLayer.Requant, float[], int, int[], int, float[], int, boolean)} from int32 sums, without the row sum. */
    static int requantizeRow(int[] acc, int yo, float sumA, int out, IntegerLayer.Requant q, float[] centered,
                             int[] flagged, int count) {
        FloatVector sa = FloatVector.broadcast(F, sumA);
        float hi = q.qmax() - q.zeroPoint();
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        int prevEnd = 0;
        for (int j = 0; j < out; j += L) {
            int o = Math.min(j, out - L);
            // float(acc), exact below 2^24: the high part (acc >> 11) and the low 11 bits each
            // through the bits, then hi * 2048 + lo (both exact).
            IntVector iv = IntVector.fromArray(I, acc, yo + o);
            FloatVector accF = iv.lanewise(VectorOperators.ASHR, 11).add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC)
                    .mul(2048f).add(iv.and(2047).add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC));
            FloatVector est = accF.fma(FloatVector.fromArray(F, q.mult(), o), FloatVector.fromArray(F, q.offset(), o));
            FloatVector slack = sa.fma(FloatVector.fromArray(F, q.slope(), o), FloatVector.fromArray(F, q.base(), o))
                    .add(est.abs().mul(0x1p-22f));
            FloatVector e = est.blend(0f, est.compare(VectorOperators.LT, 0f));
            e = e.blend(hi, e.compare(VectorOperators.GT, hi));
            FloatVector rounded = e.add(0x1p23f).sub(0x1p23f);
            rounded.intoArray(centered, yo + o);
            VectorMask<Float> far = half.sub(e.sub(rounded).abs()).compare(VectorOperators.GT, slack);
            if (!far.allTrue()) {
                // As in the float form above.
                for (int l = Math.max(0, prevEnd - o); l < L; l++) {
                    if (IntegerKernels.requantizeOne(acc[yo + o + l], sumA, o + l, q, centered, yo + o + l)) {
                        flagged[count++] = yo + o + l;
                    }
                }
            }
            prevEnd = o + L;
        }
        return count;
    }
}
