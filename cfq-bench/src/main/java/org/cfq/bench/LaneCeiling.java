package org.cfq.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The multiply-add rate of each lane type in which the JDK vector API sums integer products
 * exactly, at the integer engine's hidden-layer shape (64 rows x 128 codes -> 64 outputs, weights
 * in the L1 cache, every input nonzero), each with 16 sums in registers and one broadcast per row
 * and input (four rows by the 64 outputs in float32 or int32 lanes, eight rows by them in int16
 * lanes; fewer sums left the int16 tile waiting on its own additions, docs/benchmarks.md):
 * <ul>
 *   <li><b>float32 fma</b>: 8-bit codes and weights; every partial sum is a whole number below
 *       2^24, so exact (the engine's {@code FLOAT32} kind, and the float path's own kernel);</li>
 *   <li><b>int32 multiply and add</b>: the same 8-bit operands in int lanes (the engine's
 *       {@code INT32} kind);</li>
 *   <li><b>int16 multiply and add</b>: 4-bit codes and weights, whose sums stay below 2^15 (the
 *       engine's {@code INT16} kind), twice the lanes per vector. 8-bit sums do not fit.</li>
 * </ul>
 * Neither JDK 17 nor JDK 25 exposes a widening multiply-add (int16 pairs into int32, x86
 * {@code vpmaddwd}/{@code vpdpwssd}) in the vector API, so an 8-bit layer has the first two, both
 * 16 lanes per 512-bit vector. Every kernel's sums are checked against exact long arithmetic
 * before they are timed. Issue 16; see docs/benchmarks.md.
 */
final class LaneCeiling {
    static final int ROWS = 64;
    static final int IN = 128;
    static final int OUT = 64;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;

    private final float[] codesF;
    private final int[] codesI;
    private final int[] codesPairs;
    private final float[] wF;
    private final int[] wI;
    private final short[] wS;
    private final float[] outF = new float[ROWS * OUT];
    private final int[] outI = new int[ROWS * OUT];
    private final short[] outS = new short[ROWS * OUT];
    private final long[] exact8;
    private final long[] exact4;

    /**
     * Operands drawn from {@code seed}: 8-bit codes in [0, 255] and weights in [-128, 127], 4-bit
     * codes in [0, 15] and weights in [-8, 7].
     */
    LaneCeiling(long seed) {
        if (!supported()) {
            throw new IllegalStateException("the lane ceiling's tiles need 512-bit vectors; this JVM has "
                    + F.length() + " float lanes");
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        codesF = new float[ROWS * IN];
        codesI = new int[ROWS * IN];
        codesPairs = new int[ROWS * IN];
        int[] codes4 = new int[ROWS * IN];
        for (int i = 0; i < codesF.length; i++) {
            codesI[i] = rng.nextInt(256);
            codesF[i] = codesI[i];
            codes4[i] = rng.nextInt(16);
            codesPairs[i] = codes4[i] | codes4[i] << 16;
        }
        wF = new float[IN * OUT];
        wI = new int[IN * OUT];
        wS = new short[IN * OUT];
        int[] w4 = new int[IN * OUT];
        for (int i = 0; i < wI.length; i++) {
            wI[i] = rng.nextInt(256) - 128;
            wF[i] = wI[i];
            w4[i] = rng.nextInt(16) - 8;
            wS[i] = (short) w4[i];
        }
        exact8 = exact(codesI, wI);
        exact4 = exact(codes4, w4);
    }

    /** {@return whether the tiles fit this JVM's vectors (64 outputs = 4 float or int vectors = 2 short vectors)} */
    static boolean supported() {
        return OUT == 4 * F.length() && OUT == 2 * S.length() && S.length() == 2 * I.length() && ROWS % 8 == 0;
    }

    /** {@return the multiply-adds of one call of each kernel} */
    static double macs() {
        return (double) ROWS * IN * OUT;
    }

    private static long[] exact(int[] codes, int[] w) {
        long[] y = new long[ROWS * OUT];
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < IN; i++) {
                for (int o = 0; o < OUT; o++) {
                    y[r * OUT + o] += (long) codes[r * IN + i] * w[i * OUT + o];
                }
            }
        }
        return y;
    }

    /**
     * Runs each kernel once and compares its sums with exact arithmetic.
     *
     * @throws IllegalStateException naming the kernel whose sums differ
     */
    void verify() {
        float32();
        int32();
        int16();
        for (int i = 0; i < exact8.length; i++) {
            if (outF[i] != exact8[i] || outI[i] != exact8[i] || outS[i] != exact4[i]) {
                throw new IllegalStateException("lane ceiling: sums differ from exact arithmetic at " + i + ": float32 "
                        + outF[i] + ", int32 " + outI[i] + " (exact " + exact8[i] + "), int16 " + outS[i] + " (exact "
                        + exact4[i] + ")");
            }
        }
    }

    void float32() {
        int v = F.length();
        for (int r = 0; r < ROWS; r += 4) {
            for (int j = 0; j < OUT; j += 4 * v) {
                FloatVector s00 = FloatVector.zero(F);
                FloatVector s01 = FloatVector.zero(F);
                FloatVector s02 = FloatVector.zero(F);
                FloatVector s03 = FloatVector.zero(F);
                FloatVector s10 = FloatVector.zero(F);
                FloatVector s11 = FloatVector.zero(F);
                FloatVector s12 = FloatVector.zero(F);
                FloatVector s13 = FloatVector.zero(F);
                FloatVector s20 = FloatVector.zero(F);
                FloatVector s21 = FloatVector.zero(F);
                FloatVector s22 = FloatVector.zero(F);
                FloatVector s23 = FloatVector.zero(F);
                FloatVector s30 = FloatVector.zero(F);
                FloatVector s31 = FloatVector.zero(F);
                FloatVector s32 = FloatVector.zero(F);
                FloatVector s33 = FloatVector.zero(F);
                for (int i = 0; i < IN; i++) {
                    FloatVector b0 = FloatVector.fromArray(F, wF, i * OUT + j + 0 * v);
                    FloatVector b1 = FloatVector.fromArray(F, wF, i * OUT + j + 1 * v);
                    FloatVector b2 = FloatVector.fromArray(F, wF, i * OUT + j + 2 * v);
                    FloatVector b3 = FloatVector.fromArray(F, wF, i * OUT + j + 3 * v);
                    FloatVector a0 = FloatVector.broadcast(F, codesF[(r + 0) * IN + i]);
                    s00 = b0.fma(a0, s00);
                    s01 = b1.fma(a0, s01);
                    s02 = b2.fma(a0, s02);
                    s03 = b3.fma(a0, s03);
                    FloatVector a1 = FloatVector.broadcast(F, codesF[(r + 1) * IN + i]);
                    s10 = b0.fma(a1, s10);
                    s11 = b1.fma(a1, s11);
                    s12 = b2.fma(a1, s12);
                    s13 = b3.fma(a1, s13);
                    FloatVector a2 = FloatVector.broadcast(F, codesF[(r + 2) * IN + i]);
                    s20 = b0.fma(a2, s20);
                    s21 = b1.fma(a2, s21);
                    s22 = b2.fma(a2, s22);
                    s23 = b3.fma(a2, s23);
                    FloatVector a3 = FloatVector.broadcast(F, codesF[(r + 3) * IN + i]);
                    s30 = b0.fma(a3, s30);
                    s31 = b1.fma(a3, s31);
                    s32 = b2.fma(a3, s32);
                    s33 = b3.fma(a3, s33);
                }
                s00.intoArray(outF, (r + 0) * OUT + j + 0 * v);
                s01.intoArray(outF, (r + 0) * OUT + j + 1 * v);
                s02.intoArray(outF, (r + 0) * OUT + j + 2 * v);
                s03.intoArray(outF, (r + 0) * OUT + j + 3 * v);
                s10.intoArray(outF, (r + 1) * OUT + j + 0 * v);
                s11.intoArray(outF, (r + 1) * OUT + j + 1 * v);
                s12.intoArray(outF, (r + 1) * OUT + j + 2 * v);
                s13.intoArray(outF, (r + 1) * OUT + j + 3 * v);
                s20.intoArray(outF, (r + 2) * OUT + j + 0 * v);
                s21.intoArray(outF, (r + 2) * OUT + j + 1 * v);
                s22.intoArray(outF, (r + 2) * OUT + j + 2 * v);
                s23.intoArray(outF, (r + 2) * OUT + j + 3 * v);
                s30.intoArray(outF, (r + 3) * OUT + j + 0 * v);
                s31.intoArray(outF, (r + 3) * OUT + j + 1 * v);
                s32.intoArray(outF, (r + 3) * OUT + j + 2 * v);
                s33.intoArray(outF, (r + 3) * OUT + j + 3 * v);
            }
        }
    }

    void int32() {
        int v = I.length();
        for (int r = 0; r < ROWS; r += 4) {
            for (int j = 0; j < OUT; j += 4 * v) {
                IntVector s00 = IntVector.zero(I);
                IntVector s01 = IntVector.zero(I);
                IntVector s02 = IntVector.zero(I);
                IntVector s03 = IntVector.zero(I);
                IntVector s10 = IntVector.zero(I);
                IntVector s11 = IntVector.zero(I);
                IntVector s12 = IntVector.zero(I);
                IntVector s13 = IntVector.zero(I);
                IntVector s20 = IntVector.zero(I);
                IntVector s21 = IntVector.zero(I);
                IntVector s22 = IntVector.zero(I);
                IntVector s23 = IntVector.zero(I);
                IntVector s30 = IntVector.zero(I);
                IntVector s31 = IntVector.zero(I);
                IntVector s32 = IntVector.zero(I);
                IntVector s33 = IntVector.zero(I);
                for (int i = 0; i < IN; i++) {
                    IntVector b0 = IntVector.fromArray(I, wI, i * OUT + j + 0 * v);
                    IntVector b1 = IntVector.fromArray(I, wI, i * OUT + j + 1 * v);
                    IntVector b2 = IntVector.fromArray(I, wI, i * OUT + j + 2 * v);
                    IntVector b3 = IntVector.fromArray(I, wI, i * OUT + j + 3 * v);
                    IntVector a0 = IntVector.broadcast(I, codesI[(r + 0) * IN + i]);
                    s00 = b0.mul(a0).add(s00);
                    s01 = b1.mul(a0).add(s01);
                    s02 = b2.mul(a0).add(s02);
                    s03 = b3.mul(a0).add(s03);
                    IntVector a1 = IntVector.broadcast(I, codesI[(r + 1) * IN + i]);
                    s10 = b0.mul(a1).add(s10);
                    s11 = b1.mul(a1).add(s11);
                    s12 = b2.mul(a1).add(s12);
                    s13 = b3.mul(a1).add(s13);
                    IntVector a2 = IntVector.broadcast(I, codesI[(r + 2) * IN + i]);
                    s20 = b0.mul(a2).add(s20);
                    s21 = b1.mul(a2).add(s21);
                    s22 = b2.mul(a2).add(s22);
                    s23 = b3.mul(a2).add(s23);
                    IntVector a3 = IntVector.broadcast(I, codesI[(r + 3) * IN + i]);
                    s30 = b0.mul(a3).add(s30);
                    s31 = b1.mul(a3).add(s31);
                    s32 = b2.mul(a3).add(s32);
                    s33 = b3.mul(a3).add(s33);
                }
                s00.intoArray(outI, (r + 0) * OUT + j + 0 * v);
                s01.intoArray(outI, (r + 0) * OUT + j + 1 * v);
                s02.intoArray(outI, (r + 0) * OUT + j + 2 * v);
                s03.intoArray(outI, (r + 0) * OUT + j + 3 * v);
                s10.intoArray(outI, (r + 1) * OUT + j + 0 * v);
                s11.intoArray(outI, (r + 1) * OUT + j + 1 * v);
                s12.intoArray(outI, (r + 1) * OUT + j + 2 * v);
                s13.intoArray(outI, (r + 1) * OUT + j + 3 * v);
                s20.intoArray(outI, (r + 2) * OUT + j + 0 * v);
                s21.intoArray(outI, (r + 2) * OUT + j + 1 * v);
                s22.intoArray(outI, (r + 2) * OUT + j + 2 * v);
                s23.intoArray(outI, (r + 2) * OUT + j + 3 * v);
                s30.intoArray(outI, (r + 3) * OUT + j + 0 * v);
                s31.intoArray(outI, (r + 3) * OUT + j + 1 * v);
                s32.intoArray(outI, (r + 3) * OUT + j + 2 * v);
                s33.intoArray(outI, (r + 3) * OUT + j + 3 * v);
            }
        }
    }

    /**
     * Eight rows by two short vectors (the 64 outputs): 16 sums, as the float32 and int32 tiles hold.
     */
    void int16() {
        int v = S.length();
        for (int r = 0; r < ROWS; r += 8) {
            ShortVector s00 = ShortVector.zero(S);
            ShortVector s01 = ShortVector.zero(S);
            ShortVector s10 = ShortVector.zero(S);
            ShortVector s11 = ShortVector.zero(S);
            ShortVector s20 = ShortVector.zero(S);
            ShortVector s21 = ShortVector.zero(S);
            ShortVector s30 = ShortVector.zero(S);
            ShortVector s31 = ShortVector.zero(S);
            ShortVector s40 = ShortVector.zero(S);
            ShortVector s41 = ShortVector.zero(S);
            ShortVector s50 = ShortVector.zero(S);
            ShortVector s51 = ShortVector.zero(S);
            ShortVector s60 = ShortVector.zero(S);
            ShortVector s61 = ShortVector.zero(S);
            ShortVector s70 = ShortVector.zero(S);
            ShortVector s71 = ShortVector.zero(S);
            for (int i = 0; i < IN; i++) {
                ShortVector b0 = ShortVector.fromArray(S, wS, i * OUT + 0 * v);
                ShortVector b1 = ShortVector.fromArray(S, wS, i * OUT + 1 * v);
                // A code in both halves of an int: one 32-bit broadcast puts it in every short lane.
                ShortVector a0 = IntVector.broadcast(I, codesPairs[(r + 0) * IN + i]).reinterpretAsShorts();
                s00 = b0.mul(a0).add(s00);
                s01 = b1.mul(a0).add(s01);
                ShortVector a1 = IntVector.broadcast(I, codesPairs[(r + 1) * IN + i]).reinterpretAsShorts();
                s10 = b0.mul(a1).add(s10);
                s11 = b1.mul(a1).add(s11);
                ShortVector a2 = IntVector.broadcast(I, codesPairs[(r + 2) * IN + i]).reinterpretAsShorts();
                s20 = b0.mul(a2).add(s20);
                s21 = b1.mul(a2).add(s21);
                ShortVector a3 = IntVector.broadcast(I, codesPairs[(r + 3) * IN + i]).reinterpretAsShorts();
                s30 = b0.mul(a3).add(s30);
                s31 = b1.mul(a3).add(s31);
                ShortVector a4 = IntVector.broadcast(I, codesPairs[(r + 4) * IN + i]).reinterpretAsShorts();
                s40 = b0.mul(a4).add(s40);
                s41 = b1.mul(a4).add(s41);
                ShortVector a5 = IntVector.broadcast(I, codesPairs[(r + 5) * IN + i]).reinterpretAsShorts();
                s50 = b0.mul(a5).add(s50);
                s51 = b1.mul(a5).add(s51);
                ShortVector a6 = IntVector.broadcast(I, codesPairs[(r + 6) * IN + i]).reinterpretAsShorts();
                s60 = b0.mul(a6).add(s60);
                s61 = b1.mul(a6).add(s61);
                ShortVector a7 = IntVector.broadcast(I, codesPairs[(r + 7) * IN + i]).reinterpretAsShorts();
                s70 = b0.mul(a7).add(s70);
                s71 = b1.mul(a7).add(s71);
            }
            s00.intoArray(outS, (r + 0) * OUT + 0 * v);
            s01.intoArray(outS, (r + 0) * OUT + 1 * v);
            s10.intoArray(outS, (r + 1) * OUT + 0 * v);
            s11.intoArray(outS, (r + 1) * OUT + 1 * v);
            s20.intoArray(outS, (r + 2) * OUT + 0 * v);
            s21.intoArray(outS, (r + 2) * OUT + 1 * v);
            s30.intoArray(outS, (r + 3) * OUT + 0 * v);
            s31.intoArray(outS, (r + 3) * OUT + 1 * v);
            s40.intoArray(outS, (r + 4) * OUT + 0 * v);
            s41.intoArray(outS, (r + 4) * OUT + 1 * v);
            s50.intoArray(outS, (r + 5) * OUT + 0 * v);
            s51.intoArray(outS, (r + 5) * OUT + 1 * v);
            s60.intoArray(outS, (r + 6) * OUT + 0 * v);
            s61.intoArray(outS, (r + 6) * OUT + 1 * v);
            s70.intoArray(outS, (r + 7) * OUT + 0 * v);
            s71.intoArray(outS, (r + 7) * OUT + 1 * v);
        }
    }
}
