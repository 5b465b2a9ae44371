package org.cfq.math;

import java.util.Arrays;

/**
 * Batched dense kernels on row-major float matrices.
 *
 * <p>Callers pass every output buffer. Shapes are given as (rows x columns).
 *
 * <h2>Arithmetic</h2>
 * Every output element of a matrix kernel is one chain of fused multiply-adds
 * ({@link Math#fma(float, float, float)}) over the reduced index in ascending order,
 * starting from the bias (affine), zero (input gradient) or the old value (weight
 * gradient). The vectorized path computes exactly this chain in each lane, so it gives the
 * same bits as the plain-Java path, whatever the block sizes, vector width or thread count.
 *
 * <h2>Speed</h2>
 * The matrix products run on the JDK vector API ({@code jdk.incubator.vector}) when that
 * module is loaded ({@code java --add-modules jdk.incubator.vector}: the {@code ./cfq}
 * launcher, Maven tests and the benchmarks pass it), with four rows times two vectors of
 * outputs held in registers. Without the module they fall back to plain loops that give the
 * same results about ten times slower. The forward pass is fastest with the weight
 * transposed once per weight update ({@link #transpose}, {@link #affineTransposed}):
 * its inner loop then walks the outputs, which are contiguous.
 *
 * <h2>Threading</h2>
 * Overloads without a {@link Parallelism} use {@link Parallelism#defaults()}: all
 * processors, the calling thread plus the threads of a {@link SpinningCrew}, but only when a call has at
 * least {@link Parallelism#DEFAULT_MIN_WORK} multiply-adds per thread; smaller calls (for
 * example batches of a few rows) run on the calling thread. Pass
 * {@link Parallelism#single()} to stay on the calling thread (for example inside an outer
 * parallel loop), or {@link Parallelism#of(int)} to cap the threads. The splits keep each
 * reduction whole inside one thread, so results are identical for every thread count:
 * <ul>
 *   <li>affine maps and input gradients split the batch rows;</li>
 *   <li>weight gradients split the output neurons; each neuron's rows are summed in order
 *       by one thread, never as partial sums over row ranges.</li>
 * </ul>
 * A call on one thread allocates nothing once compiled (the vector API boxes vectors until
 * the JIT has compiled a kernel); a split call allocates a few small objects for the hand-off.
 */
public final class Dense {
    /** Whether the vector module is loaded; fixed for the life of the JVM. */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Dense() {
    }

    /** {@return whether the kernels run on the JDK vector API in this JVM} */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * Affine map of a batch: {@code y = x W^T + b}, with the default {@link Parallelism}.
     *
     * @param x input, (rows x in)
     * @param w weight, (out x in)
     * @param b bias, (out), or null for none
     * @param y output, (rows x out); overwritten
     */
    public static void affine(float[] x, int rows, int in, float[] w, float[] b, int out, float[] y) {
        affine(x, rows, in, w, b, out, y, Parallelism.defaults());
    }

    /**
     * Affine map of a batch, {@code y = x W^T + b}, with the weight as stored (out x in).
     * The vector path gathers strided weight columns, which runs at about half the
     * speed of {@link #affineTransposed}; loops that call it often should transpose the
     * weight once per update and use that, which gives the same bits.
     *
     * @param x input, (rows x in)
     * @param w weight, (out x in)
     * @param b bias, (out), or null for none
     * @param y output, (rows x out); overwritten
     */
    public static void affine(float[] x, int rows, int in, float[] w, float[] b, int out, float[] y,
                              Parallelism par) {
        checkShape(rows, in, out);
        checkLength("x", x, (long) rows * in);
        checkLength("w", w, (long) out * in);
        checkBias(b, out);
        checkLength("y", y, (long) rows * out);
        long work = (long) in * out;
        if (VECTOR && rows >= TRANSPOSE_MIN_ROWS && out >= VectorPanel.lanes()) {
            // The gathering kernel runs at a fifth of the transposed one's speed on some CPUs;
            // one transpose into this thread's scratch costs a pass over the weight and gives
            // the same bits. Helper threads only read it, and this thread waits for them.
            float[] wt = Scratch.transposed(in * out);
            transposeInto(w, out, in, wt);
            if (par.blocks(rows, work) == 1) {
                panel(true, x, in, 1, wt, out, in, y, out, 0, rows, out, b, false);
                return;
            }
            par.run(rows, work, 4, (from, to) -> panel(true, x, in, 1, wt, out, in, y, out, from, to, out, b, false));
            return;
        }
        if (par.blocks(rows, work) == 1) {
            affineRows(x, in, w, b, out, y, 0, rows);
            return;
        }
        par.run(rows, work, 4, (from, to) -> affineRows(x, in, w, b, out, y, from, to));
    }

    /** {@link #affine} transposes the weight into scratch from this many rows on (same bits either way). */
    static final int TRANSPOSE_MIN_ROWS = 8;

    private static void affineRows(float[] x, int in, float[] w, float[] b, int out, float[] y, int from, int to) {
        if (VECTOR && out >= VectorPanel.lanes() && in <= VectorPanel.MAX_GATHER_STRIDE) {
            VectorPanel.affineGather(x, in, w, b, out, y, from, to);
            return;
        }
        if (VECTOR && out < VectorPanel.lanes() && in > 0) {
            from = VectorPanel.narrow(x, in, 1, w, 1, in, 0, in, y, out, from, to, out, b, false);
        }
        for (int r = from; r < to; r++) {
            int xo = r * in;
            int yo = r * out;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                float s = b == null ? 0f : b[o];
                for (int i = 0; i < in; i++) {
                    s = Math.fma(x[xo + i], w[wo + i], s);
                }
                y[yo + o] = s;
            }
        }
    }

    /**
     * Affine map of a batch with a transposed weight, {@code y = x Wt + b}, with the
     * default {@link Parallelism}.
     *
     * @param x  input, (rows x in)
     * @param wt transposed weight, (in x out), as made by {@link #transpose}
     * @param b  bias, (out), or null for none
     * @param y  output, (rows x out); overwritten
     */
    public static void affineTransposed(float[] x, int rows, int in, float[] wt, float[] b, int out, float[] y) {
        affineTransposed(x, rows, in, wt, b, out, y, Parallelism.defaults());
    }

    /**
     * Affine map of a batch with a transposed weight, {@code y = x Wt + b}: the fast
     * forward kernel. Same bits as {@link #affine} with {@code w = Wt^T}.
     *
     * @param x  input, (rows x in)
     * @param wt transposed weight, (in x out), as made by {@link #transpose}
     * @param b  bias, (out), or null for none
     * @param y  output, (rows x out); overwritten
     */
    public static void affineTransposed(float[] x, int rows, int in, float[] wt, float[] b, int out, float[] y,
                                        Parallelism par) {
        checkShape(rows, in, out);
        checkLength("x", x, (long) rows * in);
        checkLength("wt", wt, (long) out * in);
        checkBias(b, out);
        checkLength("y", y, (long) rows * out);
        long work = (long) in * out;
        if (par.blocks(rows, work) == 1) {
            panel(VECTOR, x, in, 1, wt, out, in, y, out, 0, rows, out, b, false);
            return;
        }
        par.run(rows, work, 4, (from, to) -> panel(VECTOR, x, in, 1, wt, out, in, y, out, from, to, out, b, false));
    }

    /**
     * Transposes a row-major matrix: {@code t[j, i] = a[i, j]}.
     *
     * @param a matrix, (rows x cols)
     * @param t output, (cols x rows); overwritten; must not be {@code a}
     */
    public static void transpose(float[] a, int rows, int cols, float[] t) {
        checkShape(rows, cols, 1);
        checkLength("a", a, (long) rows * cols);
        checkLength("t", t, (long) rows * cols);
        if (a == t) {
            throw new IllegalArgumentException("transpose needs a separate output array, got the input itself");
        }
        transposeInto(a, rows, cols, t);
    }

    /** {@link #transpose} without checks, in 8 x 8 blocks so both sides stay in cache lines. */
    static void transposeInto(float[] a, int rows, int cols, float[] t) {
        final int bs = 8;
        for (int i0 = 0; i0 < rows; i0 += bs) {
            int i1 = Math.min(rows, i0 + bs);
            for (int j0 = 0; j0 < cols; j0 += bs) {
                int j1 = Math.min(cols, j0 + bs);
                for (int i = i0; i < i1; i++) {
                    int ao = i * cols;
                    for (int j = j0; j < j1; j++) {
                        t[j * rows + i] = a[ao + j];
                    }
                }
            }
        }
    }

    /**
     * Back-propagates through an affine map to its input, {@code dx = dy W}, with the
     * default {@link Parallelism}.
     *
     * @param dy upstream gradient, (rows x out)
     * @param w  weight, (out x in)
     * @param dx output, (rows x in); overwritten
     */
    public static void affineInputGrad(float[] dy, int rows, int out, float[] w, int in, float[] dx) {
        affineInputGrad(dy, rows, out, w, in, dx, Parallelism.defaults());
    }

    /**
     * Back-propagates through an affine map to its input: {@code dx = dy W}.
     *
     * @param dy upstream gradient, (rows x out)
     * @param w  weight, (out x in)
     * @param dx output, (rows x in); overwritten
     */
    public static void affineInputGrad(float[] dy, int rows, int out, float[] w, int in, float[] dx,
                                       Parallelism par) {
        checkShape(rows, in, out);
        checkLength("dy", dy, (long) rows * out);
        checkLength("w", w, (long) out * in);
        checkLength("dx", dx, (long) rows * in);
        long work = (long) in * out;
        if (par.blocks(rows, work) == 1) {
            panel(VECTOR, dy, out, 1, w, in, out, dx, in, 0, rows, in, null, false);
            return;
        }
        par.run(rows, work, 4, (from, to) -> panel(VECTOR, dy, out, 1, w, in, out, dx, in, from, to, in, null, false));
    }

    /**
     * Accumulates the weight and bias gradients of an affine map,
     * {@code dW += dy^T x}, {@code db += sum_rows dy}, with the default {@link Parallelism}.
     *
     * @param dy upstream gradient, (rows x out)
     * @param x  layer input, (rows x in)
     * @param dw weight gradient, (out x in); accumulated into
     * @param db bias gradient, (out); accumulated into, or null
     */
    public static void affineWeightGrad(float[] dy, float[] x, int rows, int in, int out, float[] dw, float[] db) {
        affineWeightGrad(dy, x, rows, in, out, dw, db, Parallelism.defaults());
    }

    /**
     * Accumulates the weight and bias gradients of an affine map:
     * {@code dW += dy^T x}, {@code db += sum_rows dy}. Each element adds the rows in order.
     *
     * @param dy upstream gradient, (rows x out)
     * @param x  layer input, (rows x in)
     * @param dw weight gradient, (out x in); accumulated into
     * @param db bias gradient, (out); accumulated into, or null
     */
    public static void affineWeightGrad(float[] dy, float[] x, int rows, int in, int out, float[] dw, float[] db,
                                        Parallelism par) {
        checkShape(rows, in, out);
        checkLength("dy", dy, (long) rows * out);
        checkLength("x", x, (long) rows * in);
        checkLength("dw", dw, (long) out * in);
        if (db != null) {
            checkLength("db", db, out);
        }
        long work = (long) rows * in;
        if (par.blocks(out, work) == 1) {
            weightGradOutputs(dy, x, rows, in, out, dw, db, 0, out);
            return;
        }
        par.run(out, work, 4, (from, to) -> weightGradOutputs(dy, x, rows, in, out, dw, db, from, to));
    }

    private static void weightGradOutputs(float[] dy, float[] x, int rows, int in, int out, float[] dw, float[] db,
                                          int from, int to) {
        if (VECTOR && in >= VectorPanel.lanes() && rows > 0 && to > from) {
            VectorPanel.weightGrad(dy, x, rows, in, out, dw, db, from, to);
            return;
        }
        panel(VECTOR, dy, 1, out, x, in, rows, dw, in, from, to, in, null, true);
        if (db != null) {
            for (int o = from; o < to; o++) {
                float s = db[o];
                for (int r = 0, d = o; r < rows; r++, d += out) {
                    s += dy[d];
                }
                db[o] = s;
            }
        }
    }

    /**
     * A product whose left factor is mostly zeros, row by row, on the calling thread:
     * {@code c[m, :] = init + sum_kk a[m, kk] * b[kk, :]} with {@code init} the bias (or 0), each
     * element one chain of fused multiply-adds in ascending {@code kk} that leaves out the terms
     * with {@code a[m, kk] == 0}. With a finite {@code b}, such a term adds a zero, which changes
     * no value (it could only turn a -0.0 sum into +0.0), so the result equals that of
     * {@link #affineTransposed} ({@code b} = Wt, forward) or {@link #affineInputGrad}
     * ({@code b} = W, {@code bias} null, backward). Made for the recourse search, whose inputs
     * are mostly zero one-hot columns and whose activations and ReLU-masked gradients are about
     * half zero: the work shrinks with the zeros.
     *
     * @param a    (rows x k)
     * @param b    (k x n), finite
     * @param bias (n), or null for 0
     * @param c    (rows x n), overwritten
     * @param nz   scratch of at least {@code k} ints
     */
    public static void sparseRows(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c, int[] nz) {
        checkSparse(a, rows, k, b, bias, n, c);
        if (nz.length < k) {
            throw new IllegalArgumentException("nz must hold at least " + k + " ints, got " + nz.length);
        }
        if (VECTOR && n >= VectorPanel.lanes()) {
            VectorPanel.sparseRows(a, rows, k, b, bias, n, c, nz, null, false);
            return;
        }
        sparseRowsPlain(a, rows, k, b, bias, n, c, null, null);
    }

    /**
     * {@link #sparseRows}, keeping the list of nonzero columns of every group of four rows
     * ({@code [4g, 4g + 4)}, the last group possibly shorter) for a later
     * {@link #sparseRowsOnLists} over a matrix with the same or fewer nonzeros: group g's columns,
     * ascending, in {@code lists[g * k, g * k + counts[g])}. Same values as {@link #sparseRows}.
     *
     * @param lists  at least {@code ceil(rows / 4) * k} ints, overwritten
     * @param counts at least {@code ceil(rows / 4)} ints, overwritten
     */
    public static void sparseRowsKeepingLists(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c,
                                              int[] lists, int[] counts) {
        checkSparse(a, rows, k, b, bias, n, c);
        checkLists(rows, k, lists, counts);
        if (VECTOR && n >= VectorPanel.lanes()) {
            VectorPanel.sparseRows(a, rows, k, b, bias, n, c, lists, counts, false);
            return;
        }
        for (int m = 0, g = 0; m < rows; m += 4, g++) {
            int last = rows - 1;
            counts[g] = nonzeroColumns4(a, m * k, Math.min(m + 1, last) * k, Math.min(m + 2, last) * k,
                    Math.min(m + 3, last) * k, k, lists, g * k);
        }
        sparseRowsPlain(a, rows, k, b, bias, n, c, null, null);
    }

    /**
     * {@link #sparseRows} with the list of each group of four rows given, as
     * {@link #sparseRowsKeepingLists} leaves them: each list must hold, ascending and without
     * repeats, every column where one of its group's rows of {@code a} is nonzero (it may hold more).
     * A listed column where a row is zero adds a zero term to that row's chains, as one in
     * {@link #sparseRows}' own lists does (a row that is zero where another row of its group is
     * not), which leaves every value as it is: a sum that starts at +0.0 stays +0.0 or nonzero
     * (it could become -0.0 only through a product below 2^-150 in magnitude), and a zero added to
     * +0.0 or to a nonzero changes nothing. So the values equal {@link #sparseRows}' with
     * {@code bias} null; with a bias, an element whose bias is -0.0 could end +0.0 instead.
     *
     * <p>Made for the backward pass of a network: the gradient reaching a ReLU layer is zero where
     * its activation is, so the forward pass's lists over the activation serve the backward pass.
     */
    public static void sparseRowsOnLists(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c,
                                         int[] lists, int[] counts) {
        checkSparse(a, rows, k, b, bias, n, c);
        checkLists(rows, k, lists, counts);
        for (int g = 0; g < (rows + 3) / 4; g++) {
            if (counts[g] < 0 || counts[g] > k) {
                throw new IllegalArgumentException("counts[" + g + "] must be in [0, " + k + "], got " + counts[g]);
            }
        }
        if (VECTOR && n >= VectorPanel.lanes()) {
            VectorPanel.sparseRows(a, rows, k, b, bias, n, c, lists, counts, true);
            return;
        }
        sparseRowsPlain(a, rows, k, b, bias, n, c, lists, counts);
    }

    private static void checkSparse(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c) {
        checkShape(rows, k, n);
        checkLength("a", a, (long) rows * k);
        checkLength("b", b, (long) k * n);
        checkBias(bias, n);
        checkLength("c", c, (long) rows * n);
    }

    private static void checkLists(int rows, int k, int[] lists, int[] counts) {
        int groups = (rows + 3) / 4;
        checkLength("lists", lists, (long) groups * k);
        if (counts.length < groups) {
            throw new IllegalArgumentException("counts must hold at least " + groups + " ints, got " + counts.length);
        }
    }

    /** The plain-Java form: every column of each row, or only its group's listed ones (lists non-null). */
    private static void sparseRowsPlain(float[] a, int rows, int k, float[] b, float[] bias, int n, float[] c,
                                        int[] lists, int[] counts) {
        for (int m = 0; m < rows; m++) {
            int ao = m * k;
            int co = m * n;
            for (int j = 0; j < n; j++) {
                c[co + j] = bias == null ? 0f : bias[j];
            }
            int t0 = lists == null ? 0 : (m >> 2) * k;
            int t1 = lists == null ? k : t0 + counts[m >> 2];
            for (int t = t0; t < t1; t++) {
                int kk = lists == null ? t : lists[t];
                float x = a[ao + kk];
                if (x != 0f) {
                    for (int j = 0, bo = kk * n; j < n; j++) {
                        c[co + j] = Math.fma(x, b[bo + j], c[co + j]);
                    }
                }
            }
        }
    }

    /**
     * The columns {@code kk} in {@code [0, k)} where one of four rows of {@code a} (starting at
     * {@code a0}, {@code a1}, {@code a2}, {@code a3}) is nonzero, ascending, into
     * {@code nz[no, no + count)}: a NaN counts as nonzero, -0.0 as zero (as {@code x != 0f}). The
     * list {@link #sparseRows} runs its chains down, shared with the integer engine's kernels.
     *
     * @param nz at least {@code no + k} ints; entries from {@code no + count} on may be overwritten
     * @return the count
     */
    public static int nonzeroColumns4(float[] a, int a0, int a1, int a2, int a3, int k, int[] nz, int no) {
        if (k < 0 || no < 0 || (long) no + k > nz.length) {
            throw new IllegalArgumentException("nz must hold " + no + " + " + k + " ints, got " + nz.length);
        }
        int hi = Math.max(Math.max(a0, a1), Math.max(a2, a3));
        int lo = Math.min(Math.min(a0, a1), Math.min(a2, a3));
        if (k > 0 && (lo < 0 || (long) hi + k > a.length)) {
            throw new IllegalArgumentException("rows of " + k + " from " + lo + " to " + hi + " exceed a, length "
                    + a.length);
        }
        if (VECTOR) {
            return VectorPanel.nonzeroColumns4(a, a0, a1, a2, a3, k, nz, no);
        }
        return nonzeroTail(a, a0, a1, a2, a3, 0, k, nz, no) - no;
    }

    /**
     * {@code sum_j weight[j] * |(double) b[bo + j] - a[ao + j]|} over {@code j} in {@code [0, n)},
     * ascending, in double, over only the columns where the two differ ({@code !=}, so a NaN
     * counts): an equal column would add +0.0 to a sum of nonnegative terms (or of NaN), which
     * leaves it as it is, so the result is the bits of the loop over every column. A weighted L1
     * distance between two rows that differ in a few columns (the recourse cost); the vector form
     * finds those columns a vector at a time.
     */
    public static double weightedL1Changed(float[] weight, float[] a, int ao, float[] b, int bo, int n) {
        checkLength("weight", weight, n);
        checkLength("a", a, (long) ao + n);
        checkLength("b", b, (long) bo + n);
        if (ao < 0 || bo < 0) {
            throw new IllegalArgumentException("offsets must be non-negative, got " + ao + ", " + bo);
        }
        if (VECTOR && VectorPanel.MASK_BITS) {
            return VectorPanel.weightedL1Changed(weight, a, ao, b, bo, n);
        }
        return weightedL1Tail(weight, a, ao, b, bo, 0, n, 0);
    }

    /** {@link #weightedL1Changed}'s terms of columns {@code [j, n)}, added to {@code s}. */
    static double weightedL1Tail(float[] weight, float[] a, int ao, float[] b, int bo, int j, int n, double s) {
        for (; j < n; j++) {
            if (b[bo + j] != a[ao + j]) {
                s += weight[j] * Math.abs((double) b[bo + j] - a[ao + j]);
            }
        }
        return s;
    }

    /**
     * Columns {@code [kk, k)} of {@link #nonzeroColumns4} one at a time, appending from {@code nz[cnt]};
     * returns the new end. Branch-free: the list always takes kk, and advances only past a nonzero.
     * In integer arithmetic (v != 0 iff (v | -v) < 0, v the bits without the sign: NaN counts as
     * nonzero, -0.0 as zero, as with != 0f), so C2 cannot turn it into a branch: with a branch
     * compiled from one caller's profile, mispredictions on one-hot rows made this loop the
     * kernel's hot spot in some JVM runs (about 3x slower, docs/benchmarks.md).
     */
    static int nonzeroTail(float[] a, int a0, int a1, int a2, int a3, int kk, int k, int[] nz, int cnt) {
        for (; kk < k; kk++) {
            nz[cnt] = kk;
            int any = Float.floatToRawIntBits(a[a0 + kk]) | Float.floatToRawIntBits(a[a1 + kk])
                    | Float.floatToRawIntBits(a[a2 + kk]) | Float.floatToRawIntBits(a[a3 + kk]);
            any &= 0x7fffffff;
            cnt += (any | -any) >>> 31;
        }
        return cnt;
    }

    /**
     * The proximal gradient step of a weighted L1 penalty toward {@code f}, elementwise over
     * {@code i} in {@code [0, n)}: {@code d = z - step * g - f}, then
     * {@code z = f + d - max(-th, min(th, d))} (soft-thresholding; the recourse search's step,
     * see GradientSearch). Same float operations in the same order on every path.
     *
     * @param z  updated in place from {@code zo}
     * @param f  the centre, from {@code zo} like z
     * @param g  the gradient, from 0
     * @param th the thresholds, from 0
     */
    public static void softThresholdStep(float[] z, float[] f, int zo, float[] g, float[] th, int n, float step) {
        checkLength("z", z, (long) zo + n);
        checkLength("f", f, (long) zo + n);
        checkLength("g", g, n);
        checkLength("th", th, n);
        int i = VECTOR ? VectorPanel.softThresholdStep(z, f, zo, g, th, n, step) : 0;
        for (; i < n; i++) {
            float d = z[zo + i] - step * g[i] - f[zo + i];
            float t = th[i];
            z[zo + i] = f[zo + i] + d - Math.max(-t, Math.min(t, d));
        }
    }

    /**
     * {@link #softThresholdStep} then {@link #clamp} on {@code z[zo, zo + n)}, in one pass: each
     * element gets the same two formulas in the same order, so the result is the same bits as the
     * two calls; one load and one store of z instead of two (the recourse search's update; the
     * per-row clamp after a chunk-wide step re-read each row across the step's stores).
     *
     * @param g  the gradient, from {@code go}
     * @param th the thresholds, from {@code to}
     * @param lo lower ends, from {@code bo}
     * @param hi upper ends, from {@code bo}
     */
    public static void softThresholdClamp(float[] z, float[] f, int zo, float[] g, int go, float[] th, int to,
                                          float[] lo, float[] hi, int bo, int n, float step) {
        checkLength("z", z, (long) zo + n);
        checkLength("f", f, (long) zo + n);
        checkLength("g", g, (long) go + n);
        checkLength("th", th, (long) to + n);
        checkLength("lo", lo, (long) bo + n);
        checkLength("hi", hi, (long) bo + n);
        int i = VECTOR ? VectorPanel.softThresholdClamp(z, f, zo, g, go, th, to, lo, hi, bo, n, step) : 0;
        for (; i < n; i++) {
            float d = z[zo + i] - step * g[go + i] - f[zo + i];
            float t = th[to + i];
            float v = f[zo + i] + d - Math.max(-t, Math.min(t, d));
            float l = lo[bo + i];
            float h = hi[bo + i];
            z[zo + i] = l == h ? l : Math.max(l, Math.min(h, v));
        }
    }

    /**
     * Clamps {@code z[zo, zo + n)} into {@code [lo, hi]} read from {@code bo}:
     * {@code z = lo == hi ? lo : max(lo, min(hi, z))} ({@link Math#max}/{@link Math#min} semantics).
     */
    public static void clamp(float[] z, int zo, float[] lo, float[] hi, int bo, int n) {
        checkLength("z", z, (long) zo + n);
        checkLength("lo", lo, (long) bo + n);
        checkLength("hi", hi, (long) bo + n);
        int i = VECTOR ? VectorPanel.clamp(z, zo, lo, hi, bo, n) : 0;
        for (; i < n; i++) {
            float l = lo[bo + i];
            float h = hi[bo + i];
            z[zo + i] = l == h ? l : Math.max(l, Math.min(h, z[zo + i]));
        }
    }

    /** In-place ReLU over the first {@code n} entries; NaN becomes 0. */
    public static void relu(float[] a, int n) {
        // Branch-free (vector blends): about half the activations are negative, so a
        // branch per element mispredicts constantly in the recourse and training loops.
        int i = VECTOR ? VectorPanel.relu(a, n) : 0;
        for (; i < n; i++) {
            a[i] = a[i] > 0f ? a[i] : 0f;
        }
    }

    /**
     * {@link #relu} on {@code rows} rows of {@code n} columns, keeping for each group of four rows
     * ({@code [4g, 4g + 4)}, the last possibly shorter) the list of columns where one of them ends
     * nonzero, ascending, at {@code lists[g * n, g * n + counts[g])}: the lists
     * {@link #sparseRowsKeepingLists} would make of the result (so {@link #sparseRowsOnLists} on
     * them gives {@link #sparseRows}' values, with any bias: the same lists, the same chains), and
     * a superset of the nonzero columns of a gradient masked by {@link #reluGrad} with this
     * activation (the backward pass of a network, bias null). One pass where the vector mask bits
     * are cheap ({@code VectorPanel.MASK_BITS}); otherwise the ReLU, then {@link #nonzeroColumns4}.
     *
     * @param lists  at least {@code ceil(rows / 4) * n} ints, overwritten
     * @param counts at least {@code ceil(rows / 4)} ints, overwritten
     */
    public static void reluKeepingLists(float[] a, int rows, int n, int[] lists, int[] counts) {
        if (rows < 0 || n < 0) {
            throw new IllegalArgumentException("rows and n must be >= 0, got " + rows + ", " + n);
        }
        checkLength("a", a, (long) rows * n);
        checkLists(rows, n, lists, counts);
        if (VECTOR && VectorPanel.MASK_BITS && n % VectorPanel.lanes() == 0) {
            VectorPanel.reluLists(a, rows, n, lists, counts);
            return;
        }
        relu(a, rows * n);
        int last = rows - 1;
        for (int m = 0, g = 0; m < rows; m += 4, g++) {
            counts[g] = nonzeroColumns4(a, m * n, Math.min(m + 1, last) * n, Math.min(m + 2, last) * n,
                    Math.min(m + 3, last) * n, n, lists, g * n);
        }
    }

    /** Masks a gradient by the ReLU's activity: {@code g[i] = 0 where act[i] <= 0} (and where act is NaN). */
    public static void reluGrad(float[] act, float[] g, int n) {
        int i = VECTOR ? VectorPanel.reluGrad(act, g, n) : 0;
        for (; i < n; i++) {
            g[i] = act[i] > 0f ? g[i] : 0f;
        }
    }

    /**
     * Clipped ReLU fake-quantized on an unsigned grid (PACT's activation, step
     * {@code s = alpha / qmax}): {@code out[i] = float(clamp(rint(clip(pre[i], 0, alpha) * inv), 0, qmax)) * s}
     * with {@code inv = 1f / s}; NaN becomes 0. May run in place.
     */
    public static void clipQuantize(float[] pre, int n, float alpha, float s, float inv, int qmax, float[] out) {
        int i = 0;
        if (VECTOR && alpha >= 0f && alpha * inv < 0x1p22f) {
            i = VectorPanel.clipQuantize(pre, n, alpha, s, inv, qmax, out);
        }
        for (; i < n; i++) {
            float x = pre[i];
            float c = x > 0f ? Math.min(x, alpha) : 0f;
            double q = Math.rint(c * inv);
            int code = q < 0 ? 0 : q > qmax ? qmax : (int) q;
            out[i] = (float) code * s;
        }
    }

    /**
     * The clipped ReLU's backward: {@code d[i] = up[i]} where {@code 0 < pre[i] < alpha}, else 0
     * (NaN gives 0), and the gradient of alpha, {@code sum up[i]} over {@code pre[i] >= alpha},
     * added in index order in double. {@code d} may be {@code up}.
     *
     * @return the gradient of alpha
     */
    public static double clipBackward(float[] pre, int n, float alpha, float[] up, float[] d) {
        double acc = 0;
        int i = 0;
        if (VECTOR) {
            int[] done = new int[1];
            acc = VectorPanel.clipBackward(pre, n, alpha, up, d, acc, done);
            i = done[0];
        }
        for (; i < n; i++) {
            float x = pre[i];
            if (x >= alpha) {
                acc += up[i];
                d[i] = 0f;
            } else if (x > 0f) {
                d[i] = up[i];
            } else {
                d[i] = 0f;
            }
        }
        return acc;
    }

    /** The panel product on the chosen path; package-private so tests can pin the path. */
    static void panel(boolean vector, float[] a, int aRow, int aK, float[] b, int ldb, int k,
                      float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        if (m0 >= m1 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int m = m0; m < m1; m++) {
                    if (bias == null) {
                        Arrays.fill(c, m * ldc, m * ldc + n, 0f);
                    } else {
                        System.arraycopy(bias, 0, c, m * ldc, n);
                    }
                }
            }
            return;
        }
        if (vector) {
            VectorPanel.panel(a, aRow, aK, b, ldb, k, c, ldc, m0, m1, n, bias, accumulate);
        } else {
            ScalarPanel.panel(a, aRow, aK, b, ldb, k, c, ldc, m0, m1, n, bias, accumulate);
        }
    }

    private static void checkShape(int rows, int in, int out) {
        if (rows < 0 || in < 0 || out < 0) {
            throw new IllegalArgumentException("shape must be non-negative, got rows=" + rows + ", in=" + in
                    + ", out=" + out);
        }
    }

    private static void checkLength(String name, float[] a, long need) {
        if (a.length < need) {
            throw new IllegalArgumentException(name + " must hold at least " + need + " floats, got " + a.length);
        }
    }

    private static void checkLength(String name, int[] a, long need) {
        if (a.length < need) {
            throw new IllegalArgumentException(name + " must hold at least " + need + " ints, got " + a.length);
        }
    }

    private static void checkBias(float[] b, int out) {
        if (b != null) {
            checkLength("b", b, out);
        }
    }
}
