package org.cfq.quant.integer;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link IntegerKernels} on the JDK vector API: int32 lanes for the
 * products and sums, float32 lanes of the same width for the requantization. Loaded only when
 * the {@code jdk.incubator.vector} module is present. Every lane computes exactly what the
 * plain-Java form computes for its element.
 */
final class IntegerVectorKernels {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = I.length();

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
     * JDK 17's C2 does not compile the vector API's int<->float lane conversions on x86 (they run
     * as boxed Java loops, ~100x slower), so these two use bit reinterpretation, which it does.
     */

    /** Exact int of whole-number lanes in [-2^22, 2^22]. */
    private static IntVector toInt(FloatVector wholes) {
        return wholes.add(MAGIC).reinterpretAsInts().sub(MAGIC_BITS);
    }

    /** Exact float of int lanes with {@code |v| < 2^24}: the high part (v >> 11) and the low 11 bits separately. */
    private static FloatVector toFloat(IntVector v) {
        FloatVector hi = v.lanewise(VectorOperators.ASHR, 11).add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC);
        FloatVector lo = v.and(2047).add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC);
        // hi * 2048 is exact; the sum is a whole number below 2^24 in magnitude, so exact too.
        return hi.mul(2048f).add(lo);
    }

    static int lanes() {
        return L;
    }

    /**
     * {@link IntegerKernels#quantizeRelu} over whole vectors. The scaled value {@code relu(x) * inv}
     * is capped at 2^22 before rounding (any value that large is clamped to qmax anyway), where
     * {@code (v + 2^23) - 2^23} is {@code rint(v)} in float32; the code is clamped in float
     * (whole numbers, exact) and converted.
     *
     * @return the first index not done
     */
    static int quantizeRelu(float[] pre, int n, float inv, int z, int qmin, int qmax, int[] centered) {
        int i = 0;
        float lo = qmin - z;
        float hi = qmax - z;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(F, pre, i);
            FloatVector v = x.blend(0f, x.compare(VectorOperators.GT, 0f).not()).mul(inv).min(0x1p22f);
            FloatVector r = v.add(0x1p23f).sub(0x1p23f);
            // clamp(r + z, qmin, qmax) - z == clamp(r, qmin - z, qmax - z): whole numbers, exact.
            toInt(r.max(lo).min(hi)).intoArray(centered, i);
        }
        return i;
    }

    /**
     * {@link IntegerKernels#accumulate} for {@code out >= L}: the row's non-zero codes are listed
     * first, then up to four vectors of outputs are summed per pass over that list.
     *
     * @param nz scratch of at least {@code in} ints: the non-zero inputs' weight-row offsets
     * @param cz scratch of at least {@code in} ints: their codes
     */
    static void accumulate(int[] a, int rows, int in, int[] wt, int out, int[] acc, long[] sumA, int[] nz, int[] cz) {
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            int yo = r * out;
            long s = 0;
            int n = 0;
            for (int i = 0; i < in; i++) {
                int c = a[ao + i];
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
     * {@link IntegerKernels#requantizeOne} for every output of one row ({@code out >= L}; a last
     * partial vector overlaps the one before it, and an element it recomputes is flagged at most
     * once).
     *
     * @return the new flagged count
     */
    static int requantizeRow(int[] acc, int yo, float sumA, int out, IntegerLayer.Requant q, int[] centered,
                             int[] flagged, int count) {
        FloatVector sa = FloatVector.broadcast(F, sumA);
        float z = q.zeroPoint();
        float top = q.qmax();
        int prevEnd = 0;
        for (int j = 0; j < out; j += L) {
            int o = Math.min(j, out - L);
            FloatVector accF = toFloat(IntVector.fromArray(I, acc, yo + o));
            FloatVector est = accF.fma(FloatVector.fromArray(F, q.mult(), o), FloatVector.fromArray(F, q.offset(), o));
            FloatVector slack = sa.fma(FloatVector.fromArray(F, q.slope(), o), FloatVector.fromArray(F, q.base(), o))
                    .add(est.abs().mul(0x1p-22f));
            FloatVector e = est.max(-0x1p22f).min(0x1p22f);
            FloatVector rounded = e.add(0x1p23f).sub(0x1p23f);
            FloatVector code = rounded.max(0f).add(z).min(top);
            toInt(code.sub(z)).intoArray(centered, yo + o);
            VectorMask<Float> near = e.sub(rounded).abs().neg().add(0.5f).compare(VectorOperators.GT, slack).not();
            if (near.anyTrue()) {
                for (int l = 0; l < L; l++) {
                    if (near.laneIsSet(l) && o + l >= prevEnd) {
                        flagged[count++] = yo + o + l;
                    }
                }
            }
            prevEnd = o + L;
        }
        return count;
    }
}
