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
            ((IntVector) r.max(lo).min(hi).convert(VectorOperators.F2I, 0)).intoArray(centered, i);
        }
        return i;
    }

    /** {@link IntegerKernels#accumulate} for {@code out >= L}: up to four vectors of outputs per pass over a row. */
    static void accumulate(int[] a, int rows, int in, int[] wt, int out, int[] acc, long[] sumA) {
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            int yo = r * out;
            long s = 0;
            for (int i = 0; i < in; i++) {
                s += Math.abs(a[ao + i]);
            }
            sumA[r] = s;
            // Column blocks of 4, 2 or 1 vectors; a last partial vector overlaps the one before
            // it and recomputes those lanes from scratch (same sums, so the overlap is harmless).
            int j = 0;
            while (j < out) {
                int left = out - j;
                if (left >= 4 * L) {
                    block4(a, ao, in, wt, out, acc, yo, j);
                    j += 4 * L;
                } else if (left >= 2 * L) {
                    block2(a, ao, in, wt, out, acc, yo, j);
                    j += 2 * L;
                } else {
                    block1(a, ao, in, wt, out, acc, yo, left >= L ? j : out - L);
                    j += Math.max(L, left >= L ? L : left);
                }
            }
        }
    }

    private static void block4(int[] a, int ao, int in, int[] wt, int out, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        IntVector s2 = IntVector.zero(I);
        IntVector s3 = IntVector.zero(I);
        for (int i = 0, wo = j; i < in; i++, wo += out) {
            int c = a[ao + i];
            if (c == 0) {
                continue;
            }
            IntVector cv = IntVector.broadcast(I, c);
            s0 = s0.add(IntVector.fromArray(I, wt, wo).mul(cv));
            s1 = s1.add(IntVector.fromArray(I, wt, wo + L).mul(cv));
            s2 = s2.add(IntVector.fromArray(I, wt, wo + 2 * L).mul(cv));
            s3 = s3.add(IntVector.fromArray(I, wt, wo + 3 * L).mul(cv));
        }
        s0.intoArray(acc, yo + j);
        s1.intoArray(acc, yo + j + L);
        s2.intoArray(acc, yo + j + 2 * L);
        s3.intoArray(acc, yo + j + 3 * L);
    }

    private static void block2(int[] a, int ao, int in, int[] wt, int out, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        IntVector s1 = IntVector.zero(I);
        for (int i = 0, wo = j; i < in; i++, wo += out) {
            int c = a[ao + i];
            if (c == 0) {
                continue;
            }
            IntVector cv = IntVector.broadcast(I, c);
            s0 = s0.add(IntVector.fromArray(I, wt, wo).mul(cv));
            s1 = s1.add(IntVector.fromArray(I, wt, wo + L).mul(cv));
        }
        s0.intoArray(acc, yo + j);
        s1.intoArray(acc, yo + j + L);
    }

    private static void block1(int[] a, int ao, int in, int[] wt, int out, int[] acc, int yo, int j) {
        IntVector s0 = IntVector.zero(I);
        for (int i = 0, wo = j; i < in; i++, wo += out) {
            int c = a[ao + i];
            if (c == 0) {
                continue;
            }
            s0 = s0.add(IntVector.fromArray(I, wt, wo).mul(IntVector.broadcast(I, c)));
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
            FloatVector accF = (FloatVector) IntVector.fromArray(I, acc, yo + o).convert(VectorOperators.I2F, 0);
            FloatVector est = accF.fma(FloatVector.fromArray(F, q.mult(), o), FloatVector.fromArray(F, q.offset(), o));
            FloatVector slack = sa.fma(FloatVector.fromArray(F, q.slope(), o), FloatVector.fromArray(F, q.base(), o))
                    .add(est.abs().mul(0x1p-22f));
            FloatVector e = est.max(-0x1p22f).min(0x1p22f);
            FloatVector rounded = e.add(0x1p23f).sub(0x1p23f);
            FloatVector code = rounded.max(0f).add(z).min(top);
            ((IntVector) code.sub(z).convert(VectorOperators.F2I, 0)).intoArray(centered, yo + o);
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
