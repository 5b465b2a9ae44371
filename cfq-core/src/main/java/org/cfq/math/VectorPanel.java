package org.cfq.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The panel product behind every {@link Dense} matrix kernel, on the JDK vector API.
 * Loaded only when the {@code jdk.incubator.vector} module is present (see {@link Dense}).
 *
 * <p>Register blocking: four rows of C times two vectors of columns stay in registers
 * while the loop runs down k, so each B vector load feeds four fused multiply-adds and
 * each A value is broadcast once per tile. A column count that is not a multiple of the
 * vector length ends with a full vector that overlaps the one before it (narrower vectors
 * and masked tails ran 10-30x slower on JDK 17). Fewer columns than one vector (the
 * 2-logit layer) turn the lanes to walk rows, with gathers and scatters.
 */
final class VectorPanel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of B per k chunk: 256 rows of ~128 floats (128 KB) stay in L2. */
    private static final int KC = 256;

    private VectorPanel() {
    }

    /**
     * ReLU over whole vectors of {@code a[0, n)}: NaN and values {@code <= 0} become 0.
     *
     * @return the first index not processed (the scalar tail starts there)
     */
    static int relu(float[] a, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            v.blend(0f, v.compare(VectorOperators.GT, 0f).not()).intoArray(a, i);
        }
        return i;
    }

    /**
     * {@link #relu} over rows {@code [0, rows)} of {@code n} columns ({@code n} a multiple of L),
     * listing for each group of four rows ({@code [4g, 4g + 4)}, the last possibly shorter) the
     * columns where one of them ends above 0, ascending, at {@code lists[g * n, g * n + counts[g])}:
     * the list {@link #nonzeroColumns4} makes of the rows after the ReLU (their values are +0.0 or
     * above 0), from the compare the ReLU makes anyway instead of a second pass over the rows.
     * A short last group repeats its last row, as {@link #sparseRows} does (the ReLU of a ReLU is itself).
     */
    static void reluLists(float[] a, int rows, int n, int[] lists, int[] counts) {
        int last = rows - 1;
        for (int m = 0, g = 0; m < rows; m += 4, g++) {
            int a0 = m * n;
            int a1 = Math.min(m + 1, last) * n;
            int a2 = Math.min(m + 2, last) * n;
            int a3 = Math.min(m + 3, last) * n;
            int cnt = g * n;
            for (int j = 0; j < n; j += L) {
                long bits = reluBits(a, a0 + j);
                bits |= reluBits(a, a1 + j);
                bits |= reluBits(a, a2 + j);
                bits |= reluBits(a, a3 + j);
                cnt = listBits(bits, j, lists, cnt, (g + 1) * n);
            }
            counts[g] = cnt - g * n;
        }
    }

    /** The ReLU of {@code a[i, i + L)} in place; returns the mask bits of the lanes above 0. */
    private static long reluBits(float[] a, int i) {
        FloatVector v = FloatVector.fromArray(S, a, i);
        VectorMask<Float> pos = v.compare(VectorOperators.GT, 0f);
        v.blend(0f, pos.not()).intoArray(a, i);
        return pos.toLong();
    }

    /**
     * Zeroes {@code g[i]} wherever {@code act[i]} is not above 0, over whole vectors.
     *
     * @return the first index not processed (the scalar tail starts there)
     */
    static int reluGrad(float[] act, float[] g, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector a = FloatVector.fromArray(S, act, i);
            FloatVector.fromArray(S, g, i).blend(0f, a.compare(VectorOperators.GT, 0f).not()).intoArray(g, i);
        }
        return i;
    }

    /**
     * Clipped ReLU fake-quantized on the unsigned grid of step {@code s}, over whole vectors:
     * {@code out = float(rint(clip(x, 0, alpha) * inv)) * s}, the code clamped to
     * {@code [0, qmax]}. Needs {@code 0 <= alpha * inv < 2^22}: then the scaled value is in
     * {@code [0, 2^22)} where {@code (v + 2^23) - 2^23} is {@code rint(v)} (ties to even) in
     * float32, so the bits are those of the scalar formula.
     *
     * @return the first index not processed
     */
    static int clipQuantize(float[] pre, int n, float alpha, float s, float inv, int qmax, float[] out) {
        int i = 0;
        FloatVector big = FloatVector.broadcast(S, 0x1p23f);
        FloatVector top = FloatVector.broadcast(S, (float) qmax);
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, pre, i);
            FloatVector c = x.min(alpha).blend(0f, x.compare(VectorOperators.GT, 0f).not());
            FloatVector r = c.mul(inv).add(big).sub(big);
            r.min(top).mul(s).intoArray(out, i);
        }
        return i;
    }

    /**
     * The clipped ReLU's backward over whole vectors: {@code d = up} where {@code 0 < x < alpha},
     * else 0; returns {@code acc} plus, in index order, {@code up} at every {@code x >= alpha}
     * (the other terms of the scalar loop add -0.0 or nothing, which leaves a double unchanged).
     *
     * @param done receives the first index not processed, in {@code done[0]}
     */
    static double clipBackward(float[] pre, int n, float alpha, float[] up, float[] d, double acc, int[] done) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, pre, i);
            FloatVector u = FloatVector.fromArray(S, up, i);
            var clipped = x.compare(VectorOperators.GE, alpha);
            if (clipped.anyTrue()) {
                for (int l = 0; l < L; l++) {
                    if (pre[i + l] >= alpha) {
                        acc += up[i + l];
                    }
                }
            }
            var pass = x.compare(VectorOperators.GT, 0f).and(clipped.not());
            u.blend(0f, pass.not()).intoArray(d, i);
        }
        done[0] = i;
        return acc;
    }

    /**
     * {@code C[m, :] = init + sum A[m, kk] * B[kk, :]}, leaving out terms with {@code A[m, kk] == 0},
     * in ascending {@code kk}, for rows {@code [0, rows)} and {@code n >= L} columns: see
     * {@link Dense#sparseRows}. Four rows at a time: the positions where any of the four is
     * nonzero are listed first (one-hot inputs of four rows share most of their zeros), then
     * tiles of four rows times four (or two) column vectors run their chains down that list, so
     * each B vector load feeds four fused multiply-adds as in {@link #panel}. A row's term at a
     * listed position where it is zero adds a zero, like an unlisted one. A last vector ending at
     * {@code n} overlaps the one before it when L does not divide n (same chains, same bits).
     *
     * @param nz     scratch of at least {@code k} ints (counts null), or the lists of every group of
     *               four rows, group g's at {@code nz[g * k, g * k + counts[g])}
     * @param counts null, or per group the length of its list: written (listed false) or read (listed true)
     * @param listed whether the lists are given (a superset of each group's nonzero columns, see
     *               {@link Dense#sparseRowsOnLists}) instead of built
     */
    static void sparseRows(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c, int[] nz,
                           int[] counts, boolean listed) {
        int vecs = (n + L - 1) / L;
        for (int m = 0; m < rows; m += 4) {
            // Fewer than four rows left: the spare rows repeat the last one and are not stored.
            int last = rows - 1;
            int a0 = m * k;
            int a1 = Math.min(m + 1, last) * k;
            int a2 = Math.min(m + 2, last) * k;
            int a3 = Math.min(m + 3, last) * k;
            // One scratch list, or group g's list kept (or given) at nz[g * k, g * k + counts[g]).
            int t0 = counts == null ? 0 : (m >> 2) * k;
            int t1;
            if (listed) {
                t1 = t0 + counts[m >> 2];
            } else {
                t1 = t0 + nonzeroColumns4(a, a0, a1, a2, a3, k, nz, t0);
                if (counts != null) {
                    counts[m >> 2] = t1 - t0;
                }
            }
            int stored = Math.min(4, rows - m);
            for (int v = 0; v < vecs; ) {
                int j0 = Math.min(v * L, n - L);
                int j1 = Math.min((v + 1) * L, n - L);
                if (vecs - v <= 2) {
                    // One or two vectors left (a narrow output such as the mutable columns).
                    sparseTile2(a, a0, a1, a2, a3, nz, t0, t1, b, n, bias, c, m, stored, j0, j1);
                    v += 2;
                } else {
                    sparseTile4(a, a0, a1, a2, a3, nz, t0, t1, b, n, bias, c, m, stored, j0, j1,
                            Math.min((v + 2) * L, n - L), Math.min((v + 3) * L, n - L));
                    v += 4;
                }
            }
        }
    }

    /**
     * Whether {@code VectorMask.toLong} compiles to a move of the mask bits: on x86 since JDK 18
     * (JDK-8273949). On JDK 17 it walks the lanes in Java (about 1 microsecond per call), so the
     * list below is then built through a store of the vector instead (same list;
     * {@code -Dcfq.nz.store=true} forces that form anywhere, for measurements).
     */
    static final boolean MASK_BITS = Runtime.version().feature() >= 18
            && ("amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch")))
            && !Boolean.getBoolean("cfq.nz.store");

    /**
     * The columns {@code kk} in {@code [0, k)} where any of the four rows starting at {@code a0},
     * {@code a1}, {@code a2}, {@code a3} holds a nonzero (NaN counts as nonzero, -0.0 as zero),
     * ascending, into {@code nz[no, no + count)}; see {@link Dense#nonzeroColumns4}.
     *
     * @return the count
     */
    static int nonzeroColumns4(float[] a, int a0, int a1, int a2, int a3, int k, int[] nz, int no) {
        return MASK_BITS ? nonzeroBits(a, a0, a1, a2, a3, k, nz, no) : nonzeroStored(a, a0, a1, a2, a3, k, nz, no);
    }

    /**
     * Per column, whether {@code |a0| + |a1| + |a2| + |a3|} is not +0.0 (bits 0): exactly when one of
     * the four is nonzero (a NaN or an overflow stays nonzero, a sum of magnitudes cannot round to 0).
     */
    private static long anyNonzero(float[] a, int a0, int a1, int a2, int a3, int kk) {
        // Returns the bits, not the mask: a vector or mask returned from a method that C2 does not
        // inline is boxed on every call.
        return FloatVector.fromArray(S, a, a0 + kk).abs()
                .add(FloatVector.fromArray(S, a, a1 + kk).abs())
                .add(FloatVector.fromArray(S, a, a2 + kk).abs())
                .add(FloatVector.fromArray(S, a, a3 + kk).abs())
                .reinterpretAsInts().compare(VectorOperators.NE, 0).toLong();
    }

    /** The list from the mask bits of each vector of columns, one entry per set bit. */
    static int nonzeroBits(float[] a, int a0, int a1, int a2, int a3, int k, int[] nz, int no) {
        int cnt = no;
        int kk = 0;
        for (; kk + L <= k; kk += L) {
            cnt = listBits(anyNonzero(a, a0, a1, a2, a3, kk), kk, nz, cnt, no + k);
        }
        if (kk < k && k >= L) {
            // The last columns: a vector ending at k, without the lanes already listed.
            cnt = listBits(anyNonzero(a, a0, a1, a2, a3, k - L) >>> (L - (k - kk)), kk, nz, cnt, no + k);
            kk = k;
        }
        return Dense.nonzeroTail(a, a0, a1, a2, a3, kk, k, nz, cnt) - no;
    }

    /** Entry {@code 8 m + t} is the t-th set bit of the byte m (then zeros): a byte's list in one load. */
    private static final int[] BYTE_BITS = new int[256 * 8];
    private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
    /** Whether lists go a byte of mask bits at a time: eight int lanes native, a mask of whole bytes. */
    private static final boolean BYTE_LISTS = L >= 8 && L % 8 == 0 && IntVector.SPECIES_PREFERRED.length() >= 8;

    static {
        for (int m = 0; m < 256; m++) {
            int t = 0;
            for (int bit = 0; bit < 8; bit++) {
                if ((m >>> bit & 1) != 0) {
                    BYTE_BITS[8 * m + t++] = bit;
                }
            }
        }
    }

    /**
     * Appends {@code base + b} for each set bit b of {@code bits} (at most L bits), ascending, at
     * {@code nz[cnt]}; returns the new count. A byte of bits takes one table load, add and store of
     * eight lanes, with no branch per bit: the loop over the bits, whose trip count the data decides,
     * took 27-30 ns per row to list 128 columns four rows at a time at 40% density, against 10-17 ns
     * this way (docs/benchmarks.md, issue 16). The store may write up to seven entries past the new
     * count, never at or past {@code limit}, the end of this list's space.
     */
    private static int listBits(long bits, int base, int[] nz, int cnt, int limit) {
        if (BYTE_LISTS) {
            for (int b = 0; b < L && cnt + 8 <= limit; b += 8) {
                int m = (int) (bits >>> b) & 0xff;
                IntVector.fromArray(I8, BYTE_BITS, 8 * m).add(base + b).intoArray(nz, cnt);
                cnt += Integer.bitCount(m);
                bits &= ~(0xffL << b);
            }
        }
        while (bits != 0) {
            nz[cnt++] = base + Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
        }
        return cnt;
    }

    /**
     * {@link Dense#weightedL1Changed}: the columns that differ found a vector at a time (mask bits),
     * their terms added in ascending order as the scalar loop adds them.
     */
    static double weightedL1Changed(float[] weight, float[] a, int ao, float[] b, int bo, int n) {
        double s = 0;
        int j = 0;
        for (; j + L <= n; j += L) {
            s = addChanged(differ(a, ao, b, bo, j), j, weight, a, ao, b, bo, s);
        }
        if (j < n && n >= L) {
            // The last columns: a vector ending at n, without the lanes already added (108 = 6 x 16 + 12
            // columns on Adult; the scalar tail's compare per column cost about as much as the six vectors).
            return addChanged(differ(a, ao, b, bo, n - L) >>> (L - (n - j)), j, weight, a, ao, b, bo, s);
        }
        return Dense.weightedL1Tail(weight, a, ao, b, bo, j, n, s);
    }

    /** The mask bits of the columns {@code [j, j + L)} where a and b differ ({@code !=}). */
    private static long differ(float[] a, int ao, float[] b, int bo, int j) {
        return FloatVector.fromArray(S, a, ao + j).compare(VectorOperators.NE, FloatVector.fromArray(S, b, bo + j))
                .toLong();
    }

    /** {@code s} plus the term of each column {@code base + i} for bit i of {@code bits}, ascending. */
    private static double addChanged(long bits, int base, float[] weight, float[] a, int ao, float[] b, int bo,
                                     double s) {
        while (bits != 0) {
            int c = base + Long.numberOfTrailingZeros(bits);
            s += weight[c] * Math.abs((double) b[bo + c] - a[ao + c]);
            bits &= bits - 1;
        }
        return s;
    }

    /**
     * The list through a store of each vector of columns: its bits are parked in
     * {@code nz[no + kk, no + kk + L)}, which the list ({@code cnt <= no + kk}) reaches only at or
     * behind the slot being read, then walked in scalar code.
     */
    static int nonzeroStored(float[] a, int a0, int a1, int a2, int a3, int k, int[] nz, int no) {
        int cnt = no;
        int kk = 0;
        for (; kk + L <= k; kk += L) {
            FloatVector any = FloatVector.fromArray(S, a, a0 + kk).abs()
                    .add(FloatVector.fromArray(S, a, a1 + kk).abs())
                    .add(FloatVector.fromArray(S, a, a2 + kk).abs())
                    .add(FloatVector.fromArray(S, a, a3 + kk).abs());
            any.reinterpretAsInts().intoArray(nz, no + kk);
            for (int l = 0; l < L; l++) {
                int bits = nz[no + kk + l];
                nz[cnt] = kk + l;
                // Integer arithmetic (1 iff bits != 0), so C2 cannot make it a branch.
                cnt += (bits | -bits) >>> 31;
            }
        }
        return Dense.nonzeroTail(a, a0, a1, a2, a3, kk, k, nz, cnt) - no;
    }

    private static void sparseTile2(float[] a, int a0, int a1, int a2, int a3, int[] nz, int t0, int t1, float[] b, int n,
                                    float[] bias, float[] c, int m, int stored, int j0, int j1) {
        FloatVector i0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector i1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s00 = i0;
        FloatVector s01 = i1;
        FloatVector s10 = i0;
        FloatVector s11 = i1;
        FloatVector s20 = i0;
        FloatVector s21 = i1;
        FloatVector s30 = i0;
        FloatVector s31 = i1;
        for (int t = t0; t < t1; t++) {
            int kk = nz[t];
            int bo = kk * n;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + j0);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + j1);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + kk]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            v = FloatVector.broadcast(S, a[a1 + kk]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            v = FloatVector.broadcast(S, a[a2 + kk]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            v = FloatVector.broadcast(S, a[a3 + kk]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
        }
        int co = m * n;
        if (stored > 3) {
            s31.intoArray(c, co + 3 * n + j1);
            s30.intoArray(c, co + 3 * n + j0);
        }
        if (stored > 2) {
            s21.intoArray(c, co + 2 * n + j1);
            s20.intoArray(c, co + 2 * n + j0);
        }
        if (stored > 1) {
            s11.intoArray(c, co + n + j1);
            s10.intoArray(c, co + n + j0);
        }
        s01.intoArray(c, co + j1);
        s00.intoArray(c, co + j0);
    }

    private static void sparseTile4(float[] a, int a0, int a1, int a2, int a3, int[] nz, int t0, int t1, float[] b, int n,
                                    float[] bias, float[] c, int m, int stored, int j0, int j1, int j2, int j3) {
        FloatVector i0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector i1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector i2 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j2);
        FloatVector i3 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j3);
        FloatVector s00 = i0;
        FloatVector s01 = i1;
        FloatVector s02 = i2;
        FloatVector s03 = i3;
        FloatVector s10 = i0;
        FloatVector s11 = i1;
        FloatVector s12 = i2;
        FloatVector s13 = i3;
        FloatVector s20 = i0;
        FloatVector s21 = i1;
        FloatVector s22 = i2;
        FloatVector s23 = i3;
        FloatVector s30 = i0;
        FloatVector s31 = i1;
        FloatVector s32 = i2;
        FloatVector s33 = i3;
        for (int t = t0; t < t1; t++) {
            int kk = nz[t];
            int bo = kk * n;
            FloatVector b0 = FloatVector.fromArray(S, b, bo + j0);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + j1);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + j2);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + j3);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + kk]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            s02 = b2.fma(v, s02);
            s03 = b3.fma(v, s03);
            v = FloatVector.broadcast(S, a[a1 + kk]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            s12 = b2.fma(v, s12);
            s13 = b3.fma(v, s13);
            v = FloatVector.broadcast(S, a[a2 + kk]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            s22 = b2.fma(v, s22);
            s23 = b3.fma(v, s23);
            v = FloatVector.broadcast(S, a[a3 + kk]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
            s32 = b2.fma(v, s32);
            s33 = b3.fma(v, s33);
        }
        int co = m * n;
        // Overlapping vectors (j3 == j2 ...) hold identical chains: the store order does not matter.
        if (stored > 3) {
            int o = co + 3 * n;
            s33.intoArray(c, o + j3);
            s32.intoArray(c, o + j2);
            s31.intoArray(c, o + j1);
            s30.intoArray(c, o + j0);
        }
        if (stored > 2) {
            int o = co + 2 * n;
            s23.intoArray(c, o + j3);
            s22.intoArray(c, o + j2);
            s21.intoArray(c, o + j1);
            s20.intoArray(c, o + j0);
        }
        if (stored > 1) {
            int o = co + n;
            s13.intoArray(c, o + j3);
            s12.intoArray(c, o + j2);
            s11.intoArray(c, o + j1);
            s10.intoArray(c, o + j0);
        }
        s03.intoArray(c, co + j3);
        s02.intoArray(c, co + j2);
        s01.intoArray(c, co + j1);
        s00.intoArray(c, co + j0);
    }

    /**
     * {@link Dense#softThresholdStep} over whole vectors.
     *
     * @return the first index not processed
     */
    static int softThresholdStep(float[] z, float[] f, int zo, float[] g, float[] th, int n, float step) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector fv = FloatVector.fromArray(S, f, zo + i);
            FloatVector t = FloatVector.fromArray(S, th, i);
            FloatVector d = FloatVector.fromArray(S, z, zo + i).sub(FloatVector.fromArray(S, g, i).mul(step)).sub(fv);
            fv.add(d).sub(d.min(t).max(t.neg())).intoArray(z, zo + i);
        }
        return i;
    }

    /**
     * {@link Dense#softThresholdClamp} over whole vectors: the step of {@link #softThresholdStep},
     * then the clamp of {@link #clamp} on the stepped value, stored once. When L does not divide n
     * (and n >= L), the last vector (ending at n) is computed first, from the values as they came
     * in, and stored last: the step is not idempotent, but every element depends on its own inputs
     * only, so the overlapped elements get the values the main loop stored there.
     *
     * @return the first index not processed (n, or 0 when n < L)
     */
    static int softThresholdClamp(float[] z, float[] f, int zo, float[] g, int go, float[] th, int to, float[] lo,
                                  float[] hi, int bo, int n, float step) {
        if (n < L) {
            return 0;
        }
        int end = S.loopBound(n);
        FloatVector last = end == n ? null : stepClamp(z, f, zo, g, go, th, to, lo, hi, bo, n - L, step);
        for (int i = 0; i < end; i += L) {
            stepClamp(z, f, zo, g, go, th, to, lo, hi, bo, i, step).intoArray(z, zo + i);
        }
        if (last != null) {
            last.intoArray(z, zo + n - L);
        }
        return n;
    }

    private static FloatVector stepClamp(float[] z, float[] f, int zo, float[] g, int go, float[] th, int to,
                                         float[] lo, float[] hi, int bo, int i, float step) {
        FloatVector fv = FloatVector.fromArray(S, f, zo + i);
        FloatVector t = FloatVector.fromArray(S, th, to + i);
        FloatVector d = FloatVector.fromArray(S, z, zo + i).sub(FloatVector.fromArray(S, g, go + i).mul(step)).sub(fv);
        FloatVector v = fv.add(d).sub(d.min(t).max(t.neg()));
        FloatVector l = FloatVector.fromArray(S, lo, bo + i);
        FloatVector h = FloatVector.fromArray(S, hi, bo + i);
        return v.min(h).max(l).blend(l, l.compare(VectorOperators.EQ, h));
    }

    /**
     * {@link Dense#clamp} over whole vectors; when L does not divide n (and n >= L) a last vector
     * ends at n, overlapping the one before it: clamping twice gives the same value.
     *
     * @return the first index not processed
     */
    static int clamp(float[] z, int zo, float[] lo, float[] hi, int bo, int n) {
        if (n < L) {
            return 0;
        }
        for (int i = 0; ; i += L) {
            int j = Math.min(i, n - L);
            FloatVector l = FloatVector.fromArray(S, lo, bo + j);
            FloatVector h = FloatVector.fromArray(S, hi, bo + j);
            FloatVector c = FloatVector.fromArray(S, z, zo + j).min(h).max(l);
            c.blend(l, l.compare(VectorOperators.EQ, h)).intoArray(z, zo + j);
            if (j == n - L) {
                return n;
            }
        }
    }

    /** {@return the number of float lanes in one vector} */
    static int lanes() {
        return L;
    }

    /**
     * {@code C[m, j] = init(m, j) + sum_kk A[m, kk] * B[kk, j]} for rows {@code m} in
     * {@code [m0, m1)} and columns {@code j} in {@code [0, n)}.
     *
     * <p>Every element is one chain of fused multiply-adds in ascending {@code kk}, starting
     * from {@code init}: {@code C[m, j]} itself when {@code accumulate}, else {@code bias[j]},
     * else 0. Nothing about the blocking, the vector width or the row range changes the
     * chain, so results do not depend on them.
     *
     * @param a    A, element (m, kk) at {@code m * aRow + kk * aK}
     * @param b    B, element (kk, j) at {@code kk * ldb + j}
     * @param c    C, element (m, j) at {@code m * ldc + j}
     * @param bias per-column start values, or null; ignored when {@code accumulate}
     */
    static void panel(float[] a, int aRow, int aK, float[] b, int ldb, int k,
                      float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        if (!accumulate) {
            pass(a, aRow, aK, b, ldb, 0, k, c, ldc, m0, m1, n, bias, false);
            return;
        }
        // A long k (the weight gradient's batch) runs in chunks whose B rows stay in cache;
        // each chunk continues every element's chain from the value stored in C.
        for (int k0 = 0; k0 < k; k0 += KC) {
            pass(a, aRow, aK, b, ldb, k0, Math.min(k, k0 + KC), c, ldc, m0, m1, n, bias, true);
        }
    }

    /**
     * The weight gradient {@code dW[o, :] += sum_r dy[r, o] x[r, :]} and, when {@code db} is
     * not null, {@code db[o] += sum_r dy[r, o]}, for outputs {@code o} in {@code [from, to)};
     * needs {@code in >= L}. Rows go in chunks of {@link #WG_KC}. Register tiles of four outputs
     * by three vectors of inputs, with dy read in place (the four values of a row are adjacent,
     * so each row costs one cache line shared by four tiles) and the rows of x contiguous. Every element is one chain over the rows in ascending
     * order from its old value: the same bits as {@link #panel} on {@code dy^T}.
     *
     * <p>Measured 2026-12-05 (docs/benchmarks.md): this runs at the forward kernel's speed; the
     * version before it packed each chunk of {@code dy^T} into scratch first, and that scalar
     * transposition cost about as much as the products at training batch sizes.
     */
    static void weightGrad(float[] dy, float[] x, int rows, int in, int out, float[] dw, float[] db,
                           int from, int to) {
        int width = to - from;
        for (int k0 = 0; k0 < rows; k0 += WG_KC) {
            int kc = Math.min(WG_KC, rows - k0);
            if (db != null) {
                // Each db[o] adds its rows in order (one chain per output), sixteen outputs' chains
                // side by side in one vector held in a register over the chunk's rows.
                int o = 0;
                for (; o + L <= width; o += L) {
                    FloatVector acc = FloatVector.fromArray(S, db, from + o);
                    for (int kk = 0, d = k0 * out + from + o; kk < kc; kk++, d += out) {
                        acc = acc.add(FloatVector.fromArray(S, dy, d));
                    }
                    acc.intoArray(db, from + o);
                }
                for (; o < width; o++) {
                    float s = db[from + o];
                    for (int kk = 0, d = k0 * out + from + o; kk < kc; kk++, d += out) {
                        s += dy[d];
                    }
                    db[from + o] = s;
                }
            }
            // Column vectors start at min(t * L, in - L); the last group takes the last three (so a
            // tail vector overlapping its predecessor shares its tile, and both lanes' chains start
            // from the same stored values), the others go in threes, a short group repeating its
            // last start (a repeated vector recomputes the same chain and stores the same bits).
            int vecs = (in + L - 1) / L;
            int lastGroup = Math.max(0, vecs - 3);
            for (int m = from; m < to; m += 4) {
                int last = to - 1;
                int r1 = Math.min(m + 1, last);
                int r2 = Math.min(m + 2, last);
                int r3 = Math.min(m + 3, last);
                for (int t = 0; t < lastGroup; t += 3) {
                    int e = lastGroup - 1;
                    weightGradTile3(dy, out, x, in, k0, k0 + kc, dw, m, r1, r2, r3, t * L,
                            Math.min(t + 1, e) * L, Math.min(t + 2, e) * L);
                }
                int e = vecs - 1;
                weightGradTile3(dy, out, x, in, k0, k0 + kc, dw, m, r1, r2, r3, Math.min(lastGroup * L, in - L),
                        Math.min(Math.min(lastGroup + 1, e) * L, in - L), Math.min(Math.min(lastGroup + 2, e) * L, in - L));
            }
        }
    }

    /**
     * {@code dW[r, j] += sum_kk dy[kk, r] x[kk, j]} for the four outputs {@code r0..r3} (repeats
     * allowed: they compute and store the same values) and three vectors of inputs at
     * {@code j0, j1, j2}: twelve accumulators, three loads of x and four broadcasts of dy per row.
     * Each element is one fma chain over {@code kk} ascending from its stored value.
     */
    private static void weightGradTile3(float[] dy, int out, float[] x, int in, int k0, int k1, float[] dw,
                                        int r0, int r1, int r2, int r3, int j0, int j1, int j2) {
        int c0 = r0 * in;
        int c1 = r1 * in;
        int c2 = r2 * in;
        int c3 = r3 * in;
        FloatVector s00 = FloatVector.fromArray(S, dw, c0 + j0);
        FloatVector s01 = FloatVector.fromArray(S, dw, c0 + j1);
        FloatVector s02 = FloatVector.fromArray(S, dw, c0 + j2);
        FloatVector s10 = FloatVector.fromArray(S, dw, c1 + j0);
        FloatVector s11 = FloatVector.fromArray(S, dw, c1 + j1);
        FloatVector s12 = FloatVector.fromArray(S, dw, c1 + j2);
        FloatVector s20 = FloatVector.fromArray(S, dw, c2 + j0);
        FloatVector s21 = FloatVector.fromArray(S, dw, c2 + j1);
        FloatVector s22 = FloatVector.fromArray(S, dw, c2 + j2);
        FloatVector s30 = FloatVector.fromArray(S, dw, c3 + j0);
        FloatVector s31 = FloatVector.fromArray(S, dw, c3 + j1);
        FloatVector s32 = FloatVector.fromArray(S, dw, c3 + j2);
        for (int kk = k0, d = k0 * out, xo = k0 * in; kk < k1; kk++, d += out, xo += in) {
            FloatVector b0 = FloatVector.fromArray(S, x, xo + j0);
            FloatVector b1 = FloatVector.fromArray(S, x, xo + j1);
            FloatVector b2 = FloatVector.fromArray(S, x, xo + j2);
            FloatVector v;
            v = FloatVector.broadcast(S, dy[d + r0]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            s02 = b2.fma(v, s02);
            v = FloatVector.broadcast(S, dy[d + r1]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            s12 = b2.fma(v, s12);
            v = FloatVector.broadcast(S, dy[d + r2]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            s22 = b2.fma(v, s22);
            v = FloatVector.broadcast(S, dy[d + r3]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
            s32 = b2.fma(v, s32);
        }
        s30.intoArray(dw, c3 + j0);
        s31.intoArray(dw, c3 + j1);
        s32.intoArray(dw, c3 + j2);
        s20.intoArray(dw, c2 + j0);
        s21.intoArray(dw, c2 + j1);
        s22.intoArray(dw, c2 + j2);
        s10.intoArray(dw, c1 + j0);
        s11.intoArray(dw, c1 + j1);
        s12.intoArray(dw, c1 + j2);
        s00.intoArray(dw, c0 + j0);
        s01.intoArray(dw, c0 + j1);
        s02.intoArray(dw, c0 + j2);
    }

    /**
     * Rows per chunk of {@link #weightGrad}: 128 rows of x (~46 KB at 90 inputs) and the
     * touched lines of dy stay in L1/L2 beside the tile; 256 measured 10-20 % slower.
     */
    private static final int WG_KC = 128;

    /** Largest weight row length (in) the gathering forward kernel takes. */
    static final int MAX_GATHER_STRIDE = 1024;
    /** {@code STRIDES[s * L + l] = s * l}: gather index maps for every row length s. */
    private static final int[] STRIDES = new int[(MAX_GATHER_STRIDE + 1) * L];

    static {
        for (int st = 0; st <= MAX_GATHER_STRIDE; st++) {
            for (int l = 0; l < L; l++) {
                STRIDES[st * L + l] = st * l;
            }
        }
    }

    /**
     * {@code y = x W^T + b} for rows {@code [m0, m1)} with W as stored (out x in), for
     * {@code out >= L} and {@code in <= MAX_GATHER_STRIDE}: the lanes walk outputs, so each
     * weight vector is a strided gather. Each element is the same fma chain over ascending
     * {@code i} from the bias as {@link #panel} computes on the transposed weight.
     */
    static void affineGather(float[] x, int in, float[] w, float[] bias, int out, float[] y, int m0, int m1) {
        for (int m = m0; m < m1; m += 4) {
            int last = m1 - 1;
            int r1 = Math.min(m + 1, last);
            int r2 = Math.min(m + 2, last);
            int r3 = Math.min(m + 3, last);
            int rows = Math.min(4, m1 - m);
            int j = 0;
            for (; j + 2 * L <= out; j += 2 * L) {
                gather2(x, in, w, bias, y, out, m, r1, r2, r3, rows, j, j + L);
            }
            if (j + L <= out) {
                gather1(x, in, w, bias, y, out, m, r1, r2, r3, rows, j);
                j += L;
            }
            if (j < out) {
                // Overlaps the columns before it with identical chains: rewriting them is harmless.
                gather1(x, in, w, bias, y, out, m, r1, r2, r3, rows, out - L);
            }
        }
    }


    /**
     * Fewer columns than one vector: the lanes walk rows instead, gathering A's column and
     * scattering into C's, and each element runs the same chain as in {@link #pass}. Rows
     * beyond the last full vector of rows are left for the caller. Here B's element
     * (kk, j) is at {@code kk * ldb + j * bCol}, so W as stored serves as B = W^T.
     *
     * @return the first row not done
     */
    static int narrow(float[] a, int aRow, int aK, float[] b, int ldb, int bCol, int k0, int k1,
                              float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        if (aRow > MAX_GATHER_STRIDE || ldc > MAX_GATHER_STRIDE) {
            return m0;
        }
        int m = m0;
        for (; m + L <= m1; m += L) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                narrow4(a, aRow, aK, b, ldb, bCol, k0, k1, c, ldc, m, j, bias, accumulate);
            }
            if (j + 2 <= n) {
                narrow2(a, aRow, aK, b, ldb, bCol, k0, k1, c, ldc, m, j, bias, accumulate);
                j += 2;
            }
            if (j < n) {
                narrow1(a, aRow, aK, b, ldb, bCol, k0, k1, c, ldc, m, j, bias, accumulate);
            }
        }
        return m;
    }

    private static void pass(float[] a, int aRow, int aK, float[] b, int ldb, int k0, int k1,
                             float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        pass(a, 0, aRow, aK, b, ldb, k0, k1, c, ldc, m0, m1, n, bias, accumulate);
    }

    /**
     * One pass of {@link #panel} over {@code kk} in {@code [k0, k1)}, with A's element (m, kk)
     * at {@code aOff + m * aRow + kk * aK}; {@code aOff != 0} needs {@code n >= L} (the narrow
     * path has no offset).
     */
    private static void pass(float[] a, int aOff, int aRow, int aK, float[] b, int ldb, int k0, int k1,
                             float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        if (n < L) {
            m0 = narrow(a, aRow, aK, b, ldb, 1, k0, k1, c, ldc, m0, m1, n, bias, accumulate);
        }
        for (int m = m0; m < m1; m += 4) {
            // Fewer than four rows left: the spare rows repeat the last one and are not stored.
            int last = m1 - 1;
            int r1 = Math.min(m + 1, last);
            int r2 = Math.min(m + 2, last);
            int r3 = Math.min(m + 3, last);
            int rows = Math.min(4, m1 - m);
            int j = 0;
            if (n >= L) {
                // Columns in vectors of L: pairs, then a last group of one or two full vectors
                // plus, when L does not divide n, one more vector ending at n. That last vector
                // shares lanes with the one before it inside the same tile: both start from
                // the same C values and run the same chain, so the shared lanes get the same
                // bits whichever store lands last, even when accumulating.
                int full = n / L;
                boolean tail = n % L != 0;
                int pairs = tail ? (full - 1) / 2 : full / 2;
                for (int p = 0; p < pairs; p++, j += 2 * L) {
                    tile2(a, aOff, aRow, aK, b, ldb, k0, k1, c, ldc, m, r1, r2, r3, rows, j, j + L, bias, accumulate);
                }
                int left = full - 2 * pairs;
                if (!tail) {
                    if (left == 1) {
                        tile1(a, aOff, aRow, aK, b, ldb, k0, k1, c, ldc, m, r1, r2, r3, rows, j, bias, accumulate);
                    }
                } else if (left == 1) {
                    tile2(a, aOff, aRow, aK, b, ldb, k0, k1, c, ldc, m, r1, r2, r3, rows, j, n - L, bias, accumulate);
                } else {
                    tile3(a, aOff, aRow, aK, b, ldb, k0, k1, c, ldc, m, r1, r2, r3, rows, j, j + L, n - L, bias,
                            accumulate);
                }
                j = n;
            }
            for (; j < n; j++) {
                for (int mm = m; mm < m + rows; mm++) {
                    int co = mm * ldc + j;
                    float s = accumulate ? c[co] : bias == null ? 0f : bias[j];
                    for (int kk = k0, ao = aOff + mm * aRow + k0 * aK, bo = k0 * ldb + j; kk < k1;
                            kk++, ao += aK, bo += ldb) {
                        s = Math.fma(a[ao], b[bo], s);
                    }
                    c[co] = s;
                }
            }
        }
    }

    private static void tile1(float[] a, int aOff, int aRow, int aK, float[] b, int ldb, int k0, int k1,
                              float[] c, int ldc, int r0, int r1, int r2, int r3, int rows, int j0,
                              float[] bias, boolean accumulate) {
        int c0 = r0 * ldc;
        int c1 = r1 * ldc;
        int c2 = r2 * ldc;
        int c3 = r3 * ldc;
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, c0 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        int a0 = aOff + r0 * aRow;
        int a1 = aOff + r1 * aRow;
        int a2 = aOff + r2 * aRow;
        int a3 = aOff + r3 * aRow;
        for (int kk = k0, ak = k0 * aK, bo = k0 * ldb; kk < k1; kk++, ak += aK, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + j0);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + ak]);
            s00 = b0.fma(v, s00);
            v = FloatVector.broadcast(S, a[a1 + ak]);
            s10 = b0.fma(v, s10);
            v = FloatVector.broadcast(S, a[a2 + ak]);
            s20 = b0.fma(v, s20);
            v = FloatVector.broadcast(S, a[a3 + ak]);
            s30 = b0.fma(v, s30);
        }
        if (rows > 3) {
            s30.intoArray(c, c3 + j0);
        }
        if (rows > 2) {
            s20.intoArray(c, c2 + j0);
        }
        if (rows > 1) {
            s10.intoArray(c, c1 + j0);
        }
        s00.intoArray(c, c0 + j0);
    }

    private static void tile2(float[] a, int aOff, int aRow, int aK, float[] b, int ldb, int k0, int k1,
                              float[] c, int ldc, int r0, int r1, int r2, int r3, int rows, int j0, int j1,
                              float[] bias, boolean accumulate) {
        int c0 = r0 * ldc;
        int c1 = r1 * ldc;
        int c2 = r2 * ldc;
        int c3 = r3 * ldc;
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, c0 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, c0 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, c, c2 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, c, c3 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        int a0 = aOff + r0 * aRow;
        int a1 = aOff + r1 * aRow;
        int a2 = aOff + r2 * aRow;
        int a3 = aOff + r3 * aRow;
        for (int kk = k0, ak = k0 * aK, bo = k0 * ldb; kk < k1; kk++, ak += aK, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + j0);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + j1);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + ak]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            v = FloatVector.broadcast(S, a[a1 + ak]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            v = FloatVector.broadcast(S, a[a2 + ak]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            v = FloatVector.broadcast(S, a[a3 + ak]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
        }
        if (rows > 3) {
            s30.intoArray(c, c3 + j0);
            s31.intoArray(c, c3 + j1);
        }
        if (rows > 2) {
            s20.intoArray(c, c2 + j0);
            s21.intoArray(c, c2 + j1);
        }
        if (rows > 1) {
            s10.intoArray(c, c1 + j0);
            s11.intoArray(c, c1 + j1);
        }
        s00.intoArray(c, c0 + j0);
        s01.intoArray(c, c0 + j1);
    }

    private static void tile3(float[] a, int aOff, int aRow, int aK, float[] b, int ldb, int k0, int k1,
                              float[] c, int ldc, int r0, int r1, int r2, int r3, int rows, int j0, int j1, int j2,
                              float[] bias, boolean accumulate) {
        int c0 = r0 * ldc;
        int c1 = r1 * ldc;
        int c2 = r2 * ldc;
        int c3 = r3 * ldc;
        FloatVector s00 = accumulate ? FloatVector.fromArray(S, c, c0 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s01 = accumulate ? FloatVector.fromArray(S, c, c0 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s02 = accumulate ? FloatVector.fromArray(S, c, c0 + j2)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j2);
        FloatVector s10 = accumulate ? FloatVector.fromArray(S, c, c1 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s11 = accumulate ? FloatVector.fromArray(S, c, c1 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s12 = accumulate ? FloatVector.fromArray(S, c, c1 + j2)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j2);
        FloatVector s20 = accumulate ? FloatVector.fromArray(S, c, c2 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s21 = accumulate ? FloatVector.fromArray(S, c, c2 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s22 = accumulate ? FloatVector.fromArray(S, c, c2 + j2)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j2);
        FloatVector s30 = accumulate ? FloatVector.fromArray(S, c, c3 + j0)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s31 = accumulate ? FloatVector.fromArray(S, c, c3 + j1)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s32 = accumulate ? FloatVector.fromArray(S, c, c3 + j2)
                : bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j2);
        int a0 = aOff + r0 * aRow;
        int a1 = aOff + r1 * aRow;
        int a2 = aOff + r2 * aRow;
        int a3 = aOff + r3 * aRow;
        for (int kk = k0, ak = k0 * aK, bo = k0 * ldb; kk < k1; kk++, ak += aK, bo += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + j0);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + j1);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + j2);
            FloatVector v;
            v = FloatVector.broadcast(S, a[a0 + ak]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            s02 = b2.fma(v, s02);
            v = FloatVector.broadcast(S, a[a1 + ak]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            s12 = b2.fma(v, s12);
            v = FloatVector.broadcast(S, a[a2 + ak]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            s22 = b2.fma(v, s22);
            v = FloatVector.broadcast(S, a[a3 + ak]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
            s32 = b2.fma(v, s32);
        }
        if (rows > 3) {
            s30.intoArray(c, c3 + j0);
            s31.intoArray(c, c3 + j1);
            s32.intoArray(c, c3 + j2);
        }
        if (rows > 2) {
            s20.intoArray(c, c2 + j0);
            s21.intoArray(c, c2 + j1);
            s22.intoArray(c, c2 + j2);
        }
        if (rows > 1) {
            s10.intoArray(c, c1 + j0);
            s11.intoArray(c, c1 + j1);
            s12.intoArray(c, c1 + j2);
        }
        s00.intoArray(c, c0 + j0);
        s01.intoArray(c, c0 + j1);
        s02.intoArray(c, c0 + j2);
    }

    private static void gather1(float[] x, int in, float[] w, float[] bias, float[] y, int out,
                                int r0, int r1, int r2, int r3, int rows, int j0) {
        int map = in * L;
        FloatVector s00 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s10 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s20 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s30 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        int x0 = r0 * in;
        int x1 = r1 * in;
        int x2 = r2 * in;
        int x3 = r3 * in;
        int w0 = j0 * in;
        for (int i = 0; i < in; i++) {
            FloatVector b0 = FloatVector.fromArray(S, w, w0 + i, STRIDES, map);
            FloatVector v;
            v = FloatVector.broadcast(S, x[x0 + i]);
            s00 = b0.fma(v, s00);
            v = FloatVector.broadcast(S, x[x1 + i]);
            s10 = b0.fma(v, s10);
            v = FloatVector.broadcast(S, x[x2 + i]);
            s20 = b0.fma(v, s20);
            v = FloatVector.broadcast(S, x[x3 + i]);
            s30 = b0.fma(v, s30);
        }
        if (rows > 3) {
            s30.intoArray(y, r3 * out + j0);
        }
        if (rows > 2) {
            s20.intoArray(y, r2 * out + j0);
        }
        if (rows > 1) {
            s10.intoArray(y, r1 * out + j0);
        }
        s00.intoArray(y, r0 * out + j0);
    }

    private static void gather2(float[] x, int in, float[] w, float[] bias, float[] y, int out,
                                int r0, int r1, int r2, int r3, int rows, int j0, int j1) {
        int map = in * L;
        FloatVector s00 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s01 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s10 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s11 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s20 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s21 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        FloatVector s30 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j0);
        FloatVector s31 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, j1);
        int x0 = r0 * in;
        int x1 = r1 * in;
        int x2 = r2 * in;
        int x3 = r3 * in;
        int w0 = j0 * in;
        int w1 = j1 * in;
        for (int i = 0; i < in; i++) {
            FloatVector b0 = FloatVector.fromArray(S, w, w0 + i, STRIDES, map);
            FloatVector b1 = FloatVector.fromArray(S, w, w1 + i, STRIDES, map);
            FloatVector v;
            v = FloatVector.broadcast(S, x[x0 + i]);
            s00 = b0.fma(v, s00);
            s01 = b1.fma(v, s01);
            v = FloatVector.broadcast(S, x[x1 + i]);
            s10 = b0.fma(v, s10);
            s11 = b1.fma(v, s11);
            v = FloatVector.broadcast(S, x[x2 + i]);
            s20 = b0.fma(v, s20);
            s21 = b1.fma(v, s21);
            v = FloatVector.broadcast(S, x[x3 + i]);
            s30 = b0.fma(v, s30);
            s31 = b1.fma(v, s31);
        }
        if (rows > 3) {
            s30.intoArray(y, r3 * out + j0);
            s31.intoArray(y, r3 * out + j1);
        }
        if (rows > 2) {
            s20.intoArray(y, r2 * out + j0);
            s21.intoArray(y, r2 * out + j1);
        }
        if (rows > 1) {
            s10.intoArray(y, r1 * out + j0);
            s11.intoArray(y, r1 * out + j1);
        }
        s00.intoArray(y, r0 * out + j0);
        s01.intoArray(y, r0 * out + j1);
    }

    private static void narrow1(float[] a, int aRow, int aK, float[] b, int ldb, int bCol, int k0, int k1,
                                float[] c, int ldc, int m, int j, float[] bias, boolean accumulate) {
        int aMap = aRow * L;
        int cMap = ldc * L;
        int co = m * ldc + j;
        FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, co + 0, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 0]);
        for (int kk = k0, ao = m * aRow + k0 * aK, bo = k0 * ldb + j * bCol; kk < k1; kk++, ao += aK, bo += ldb) {
            FloatVector av = FloatVector.fromArray(S, a, ao, STRIDES, aMap);
            s0 = av.fma(FloatVector.broadcast(S, b[bo]), s0);
        }
        s0.intoArray(c, co + 0, STRIDES, cMap);
    }

    private static void narrow2(float[] a, int aRow, int aK, float[] b, int ldb, int bCol, int k0, int k1,
                                float[] c, int ldc, int m, int j, float[] bias, boolean accumulate) {
        int aMap = aRow * L;
        int cMap = ldc * L;
        int co = m * ldc + j;
        FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, co + 0, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 0]);
        FloatVector s1 = accumulate ? FloatVector.fromArray(S, c, co + 1, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 1]);
        for (int kk = k0, ao = m * aRow + k0 * aK, bo = k0 * ldb + j * bCol; kk < k1; kk++, ao += aK, bo += ldb) {
            FloatVector av = FloatVector.fromArray(S, a, ao, STRIDES, aMap);
            s0 = av.fma(FloatVector.broadcast(S, b[bo]), s0);
            s1 = av.fma(FloatVector.broadcast(S, b[bo + bCol]), s1);
        }
        s0.intoArray(c, co + 0, STRIDES, cMap);
        s1.intoArray(c, co + 1, STRIDES, cMap);
    }

    private static void narrow4(float[] a, int aRow, int aK, float[] b, int ldb, int bCol, int k0, int k1,
                                float[] c, int ldc, int m, int j, float[] bias, boolean accumulate) {
        int aMap = aRow * L;
        int cMap = ldc * L;
        int co = m * ldc + j;
        FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, co + 0, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 0]);
        FloatVector s1 = accumulate ? FloatVector.fromArray(S, c, co + 1, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 1]);
        FloatVector s2 = accumulate ? FloatVector.fromArray(S, c, co + 2, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 2]);
        FloatVector s3 = accumulate ? FloatVector.fromArray(S, c, co + 3, STRIDES, cMap)
                : FloatVector.broadcast(S, bias == null ? 0f : bias[j + 3]);
        for (int kk = k0, ao = m * aRow + k0 * aK, bo = k0 * ldb + j * bCol; kk < k1; kk++, ao += aK, bo += ldb) {
            FloatVector av = FloatVector.fromArray(S, a, ao, STRIDES, aMap);
            s0 = av.fma(FloatVector.broadcast(S, b[bo]), s0);
            s1 = av.fma(FloatVector.broadcast(S, b[bo + bCol]), s1);
            s2 = av.fma(FloatVector.broadcast(S, b[bo + 2 * bCol]), s2);
            s3 = av.fma(FloatVector.broadcast(S, b[bo + 3 * bCol]), s3);
        }
        s0.intoArray(c, co + 0, STRIDES, cMap);
        s1.intoArray(c, co + 1, STRIDES, cMap);
        s2.intoArray(c, co + 2, STRIDES, cMap);
        s3.intoArray(c, co + 3, STRIDES, cMap);
    }
}
