package org.cfq.quant.integer;

import org.cfq.math.Dense;
import org.cfq.quant.UniformQuantizer;

/**
 * The integer engine's hot loops, each with a plain-Java form and a vector form
 * ({@link IntegerVectorKernels}, used when the JDK vector module is loaded) that computes the
 * same values element for element. Activation codes are centered ({@code c - za}) and held as
 * float32 whole numbers; integer sums are exact whatever the lanes (see each method).
 */
final class IntegerKernels {
    private static final boolean VECTOR = Dense.vectorized();

    private IntegerKernels() {
    }

    /** {@return whether the vector kernels run (the vector module is loaded)} */
    static boolean vector() {
        return VECTOR;
    }

    /** {@return the int (and float) lanes of one vector; 1 without the vector module} */
    static int lanes() {
        return VECTOR ? IntegerVectorKernels.lanes() : 1;
    }

    /** {@return whether the int16 kernel is available} */
    static boolean shortLanes() {
        return VECTOR && IntegerVectorKernels.shortLanes();
    }

    /** {@return the short lanes of one vector (the int16 kernel's output block)} */
    static int shortBlock() {
        return IntegerVectorKernels.shortLaneCount();
    }

    /**
     * ReLU then the centered code of a float pre-activation, the fake quantizer's own formula:
     * {@code centered[i] = clamp(rint(relu(pre[i]) * inv) + z, qmin, qmax) - z}.
     */
    static void quantizeRelu(float[] pre, int n, float inv, int z, int qmin, int qmax, float[] centered) {
        int i = VECTOR && Float.isFinite(inv) ? IntegerVectorKernels.quantizeRelu(pre, n, inv, z, qmin, qmax, centered)
                : 0;
        for (; i < n; i++) {
            float v = pre[i] > 0f ? pre[i] : 0f;
            centered[i] = UniformQuantizer.code(v, inv, z, qmin, qmax) - z;
        }
    }

    /**
     * {@return whether {@link #quantizeReluRows} and the vector {@link #requantize} can hand on each row's
     * sum of codes for a layer of {@code out} outputs}: vector path, {@code out} a multiple of the lanes
     */
    static boolean fusedSums(int out) {
        return VECTOR && out >= IntegerVectorKernels.lanes() && out % IntegerVectorKernels.lanes() == 0;
    }

    /**
     * {@link #quantizeRelu} row by row, with {@code sums[r] = sum_o |centered[r, o]|} (exact while
     * {@code out * (qmax - z) < 2^24}); {@link #fusedSums}{@code (out)} must hold. Same codes.
     */
    static void quantizeReluRows(float[] pre, int rows, int out, float inv, int z, int qmin, int qmax,
                                 float[] centered, float[] sums) {
        boolean small = (long) out * Math.max(qmax - z, z - qmin) <= (1L << 22);
        if (inv > 0f && Float.isFinite(inv) && qmin <= z && z <= qmax) {
            IntegerVectorKernels.quantizeReluRows(pre, rows, out, inv, qmax - z, centered, sums, small);
            return;
        }
        quantizeRelu(pre, rows * out, inv, z, qmin, qmax, centered);
        absRowSums(centered, rows, out, sums, small);
    }

    /**
     * {@code sumA[r] = sum_i |a[r, i]|} of whole-number rows; exact when every row's sum is below
     * 2^24 (the callers check {@code in * max|c - za| < 2^24}).
     *
     * @param small whether every row's sum is at most 2^22 (lets the vector form reduce its lanes
     *              as ints; the values are the same either way)
     */
    static void absRowSums(float[] a, int rows, int in, float[] sumA, boolean small) {
        if (VECTOR && in >= IntegerVectorKernels.lanes()) {
            IntegerVectorKernels.absRowSums(a, rows, in, sumA, small);
            return;
        }
        for (int r = 0; r < rows; r++) {
            float s = 0f;
            for (int i = r * in, end = i + in; i < end; i++) {
                s += Math.abs(a[i]);
            }
            sumA[r] = s;
        }
    }

    /**
     * {@code acc = a Wt} in int32 and {@code sumA[r] = sum_i |a[r, i]|}: for each row, each
     * non-zero input code adds its weight row to the row's accumulators (a ReLU that was off
     * costs nothing). Integer arithmetic, so the order does not matter: the sums are exact
     * (the layer's constructor proved they fit in int32).
     *
     * @param a    centered input codes as whole-number floats, (rows x in)
     * @param wt   centered weights transposed, (in x out)
     * @param acc  output, (rows x out); overwritten
     * @param sumA output, (rows)
     * @param nz   scratch, at least {@code in} ints
     * @param cz   scratch, at least {@code in} ints
     */
    static void accumulate(float[] a, int rows, int in, int[] wt, int out, int[] acc, float[] sumA, int[] nz,
                           int[] cz) {
        if (VECTOR && out >= IntegerVectorKernels.lanes()) {
            IntegerVectorKernels.accumulate(a, rows, in, wt, out, acc, sumA, nz, cz);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int yo = r * out;
            java.util.Arrays.fill(acc, yo, yo + out, 0);
            int ao = r * in;
            long s = 0;
            for (int i = 0; i < in; i++) {
                int ai = (int) a[ao + i];
                if (ai == 0) {
                    continue;
                }
                s += Math.abs(ai);
                int wo = i * out;
                for (int o = 0; o < out; o++) {
                    acc[yo + o] += ai * wt[wo + o];
                }
            }
            sumA[r] = s;
        }
    }

    /**
     * {@code acc = a Wt} for a layer whose every {@code |acc|} is below 2^24, in float32 lanes: every
     * operand and every partial sum is a whole number below 2^24 in magnitude, so each fused
     * multiply-add is exact and {@code acc} equals the int32 sum in any order. That lets the
     * integer product run on the float kernel that skips zero rows four rows at a time
     * ({@link Dense#sparseRows}): one fma per 16 products on AVX-512.
     *
     * @param wtF centered weights transposed, as floats, (in x out)
     * @param acc (rows x out); overwritten
     * @param nz  scratch, at least {@code in} ints
     */
    static void accumulateExactFloat(float[] a, int rows, int in, float[] wtF, int out, float[] acc, int[] nz) {
        Dense.sparseRows(a, rows, in, wtF, null, out, acc, nz);
    }

    /**
     * {@code acc = a Wt} in int16 lanes, for a layer whose worst case {@code sum_i |q_i - z| max|c - za|}
     * is below 2^15 (then every product and partial sum fits a short): see
     * {@link IntegerVectorKernels#accumulateShort}, whose weight layout {@link #shortWeights} makes.
     * Vector path only ({@link #shortLanes()}).
     *
     * @param acc   (rows x outPad) exact floats; overwritten
     * @param pairs scratch of at least {@code rows * in} ints
     * @param sums  scratch of at least {@code roundUp(rows, 8) * outPad} shorts
     */
    static void accumulateShort(float[] a, int rows, int in, short[] ws, int outPad, float[] acc, int[] nz,
                                int[] pairs, short[] sums) {
        IntegerVectorKernels.accumulateShort(a, rows, in, ws, outPad, acc, nz, pairs, sums);
    }

    /**
     * The weights of {@link #accumulateShort}: centered weights {@code w} (out x in) as shorts,
     * transposed to (in x outPad), {@code outPad} = out rounded up to the short block {@code B};
     * within block {@code b}, lane {@code 2t} holds output {@code bB + t} and lane {@code 2t + 1}
     * output {@code bB + B/2 + t}; padding is 0.
     */
    static short[] shortWeights(int[] w, int out, int in, int block) {
        int outPad = (out + block - 1) / block * block;
        int half = block / 2;
        short[] s = new short[in * outPad];
        for (int o = 0; o < out; o++) {
            int b = o / block;
            int t = o % block;
            int lane = t < half ? 2 * t : 2 * (t - half) + 1;
            for (int i = 0; i < in; i++) {
                int v = w[o * in + i];
                if (v != (short) v) {
                    throw new IllegalArgumentException("weight " + v + " does not fit 16 bits");
                }
                s[i * outPad + b * block + lane] = (short) v;
            }
        }
        return s;
    }

    /**
     * Requantizes int32 accumulators to the next layer's centered codes with the float32
     * multipliers of {@link IntegerLayer.Requant}: {@code est = fma(float(acc), mult, offset)},
     * the code {@code clamp(max(rint(est), 0) + z, qmin, qmax) - z}; an element whose
     * {@code est} lies within {@code slack} of a rounding boundary is listed in {@code flagged}
     * (its code must come from the fake-quantized sum).
     *
     * @return the number of flagged elements (their flat indices in {@code flagged[0, count)})
     */
    static int requantize(int[] acc, float[] sumA, int rows, int out, IntegerLayer.Requant q, float[] centered,
                          int[] flagged) {
        int count = 0;
        boolean vector = VECTOR && out >= IntegerVectorKernels.lanes();
        for (int r = 0; r < rows; r++) {
            float sa = sumA[r];
            if (vector) {
                count = IntegerVectorKernels.requantizeRow(acc, r * out, sa, out, q, centered, flagged, count);
                continue;
            }
            for (int o = 0; o < out; o++) {
                int i = r * out + o;
                if (requantizeOne(acc[i], sa, o, q, centered, i)) {
                    flagged[count++] = i;
                }
            }
        }
        return count;
    }

    /**
     * {@link #requantize} from exact float sums (the float32 and int16 kernels), read with row
     * stride {@code accStride} (at least {@code out}); codes are written with row stride {@code out}.
     */
    static int requantize(float[] acc, int accStride, float[] sumA, int rows, int out, IntegerLayer.Requant q,
                          float[] centered, int[] flagged) {
        return requantize(acc, accStride, sumA, rows, out, q, centered, flagged, null, false);
    }

    /**
     * {@link #requantize(float[], int, float[], int, int, IntegerLayer.Requant, float[], int[])}, and when
     * {@code sums} is not null (vector path, {@code out} a multiple of the lanes: see
     * {@link #fusedSums}), each row's {@code sum_o centered[r, o]} of the codes as written (flagged
     * codes included: the caller corrects the sums after its fallback).
     *
     * @param small whether every such sum is at most 2^22
     */
    static int requantize(float[] acc, int accStride, float[] sumA, int rows, int out, IntegerLayer.Requant q,
                          float[] centered, int[] flagged, float[] sums, boolean small) {
        int count = 0;
        boolean vector = VECTOR && out >= IntegerVectorKernels.lanes();
        for (int r = 0; r < rows; r++) {
            float sa = sumA[r];
            if (vector) {
                count = IntegerVectorKernels.requantizeRow(acc, r * accStride, sa, out, q, centered, r * out, flagged,
                        count, sums, r, small);
                continue;
            }
            for (int o = 0; o < out; o++) {
                int i = r * out + o;
                // acc is a whole number below 2^24: exact.
                if (requantizeOne(acc[r * accStride + o], sa, o, q, centered, i)) {
                    flagged[count++] = i;
                }
            }
        }
        return count;
    }

    /**
     * The two logits' integer sums ({@code acc}, rows x 2) and {@code sumA} of a layer whose every
     * {@code |acc|} is below 2^24 (exact in float32 in any order).
     *
     * @param w0 centered weights of output 0 as floats, (in)
     * @param w1 of output 1
     * @param small whether the sums of absolute values stay at most 2^22 (lets the vector form
     *              reduce its lanes as ints; the values are the same either way)
     */
    static void logits2(float[] a, int rows, int in, float[] w0, float[] w1, float[] acc, float[] sumA,
                        boolean small) {
        logits2(a, rows, in, w0, w1, acc, sumA, small, false);
    }

    /**
     * {@link #logits2(float[], int, int, float[], float[], float[], float[], boolean)}; with
     * {@code haveSums}, {@code sumA} already holds each row's {@code sum_i |c_i|} (handed on by the
     * layer that made the codes) and is only read.
     */
    static void logits2(float[] a, int rows, int in, float[] w0, float[] w1, float[] acc, float[] sumA,
                        boolean small, boolean haveSums) {
        if (VECTOR && in >= IntegerVectorKernels.lanes()) {
            if (haveSums) {
                IntegerVectorKernels.logits2Only(a, rows, in, w0, w1, acc, small);
            } else {
                IntegerVectorKernels.logits2(a, rows, in, w0, w1, acc, sumA, small);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            float s0 = 0f;
            float s1 = 0f;
            float sa = 0f;
            for (int i = 0, ao = r * in; i < in; i++) {
                float c = a[ao + i];
                s0 = Math.fma(c, w0[i], s0);
                s1 = Math.fma(c, w1[i], s1);
                sa += Math.abs(c);
            }
            acc[2 * r] = s0;
            acc[2 * r + 1] = s1;
            sumA[r] = sa;
        }
    }

    /** One element of {@link #requantize}; {@return whether it lies too near a rounding boundary} */
    static boolean requantizeOne(int acc, float sumA, int o, IntegerLayer.Requant q, float[] centered, int i) {
        return requantizeOne((float) acc, sumA, o, q, centered, i);
    }

    /**
     * {@link #requantizeOne(int, float, int, IntegerLayer.Requant, float[], int)} of a sum held as an
     * exact float (a whole number below 2^24, as {@code (float) acc} of the int form).
     *
     * <p>The code and which values need the fake-quantized sum. Let {@code T = fl(F * inv)} be the
     * fake quantizer's scaled value: its centered code is {@code clamp(rint(T), 0, hi)} with
     * {@code hi = qmax - z} (ReLU commutes with the positive scale and with rounding, and
     * {@code qmin <= z}). {@link IntegerLayer.Requant} proves {@code |T - est| <= slack}. This
     * element clamps first, {@code e = clamp(est, 0, hi)} (a NaN stays NaN), and takes
     * {@code rounded = rint(e)}, which is {@code clamp(rint(est), 0, hi)} for the whole numbers
     * 0 and {@code hi <= 2^22} (rint is monotone and keeps them). The value is flagged unless
     * {@code 1/2 - |e - rounded| > slack}, which also means {@code slack < 1/2}; then:
     * <ul>
     *   <li>{@code 0 <= est <= hi}: {@code e = est}, and {@code T} lies strictly within 1/2 of
     *       {@code rounded}, so {@code rint(T) = rounded} (no tie) and the codes agree;</li>
     *   <li>{@code est < 0}: {@code rounded = 0} and {@code T < slack < 1/2}, so
     *       {@code rint(T) <= 0} and the fake code is 0 too;</li>
     *   <li>{@code est > hi}: {@code rounded = hi} and {@code T > hi - 1/2}, so
     *       {@code rint(T) >= hi}, clamped to {@code hi}.</li>
     * </ul>
     * So only boundaries between two different codes can flag a value (before this, pre-activations
     * within their slack of {@code -3/2} or of a boundary above the clip were recomputed for
     * nothing). {@code e - rounded} is exact and {@code 1/2 - |e - rounded|} rounds by at most
     * 2^-25, which the slack's {@code 2^-20} term absorbs. The vector form does the same
     * operations in the same order, and redoes flagged lanes here.
     */
    static boolean requantizeOne(float acc, float sumA, int o, IntegerLayer.Requant q, float[] centered, int i) {
        float est = Math.fma(acc, q.mult()[o], q.offset()[o]);
        float slack = Math.fma(sumA, q.slope()[o], q.base()[o]) + Math.abs(est) * 0x1p-22f;
        float hi = q.qmax() - q.zeroPoint();
        float e = est < 0f ? 0f : est;
        e = e > hi ? hi : e;
        float rounded = (e + 0x1p23f) - 0x1p23f;
        centered[i] = rounded;
        // NaN slack or estimate (never expected) also flags: the comparison is then false.
        return !(0.5f - Math.abs(e - rounded) > slack);
    }
}
