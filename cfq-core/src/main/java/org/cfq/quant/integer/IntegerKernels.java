package org.cfq.quant.integer;

import org.cfq.math.Dense;
import org.cfq.quant.UniformQuantizer;

/**
 * The integer engine's hot loops, each with a plain-Java form and a vector form
 * ({@link IntegerVectorKernels}, used when the JDK vector module is loaded) that computes the
 * same values element for element.
 */
final class IntegerKernels {
    private static final boolean VECTOR = Dense.vectorized();

    private IntegerKernels() {
    }

    /**
     * ReLU then the centered code of a float pre-activation, the fake quantizer's own formula:
     * {@code centered[i] = clamp(rint(relu(pre[i]) * inv) + z, qmin, qmax) - z}.
     */
    static void quantizeRelu(float[] pre, int n, float inv, int z, int qmin, int qmax, int[] centered) {
        int i = VECTOR && Float.isFinite(inv) ? IntegerVectorKernels.quantizeRelu(pre, n, inv, z, qmin, qmax, centered)
                : 0;
        for (; i < n; i++) {
            float v = pre[i] > 0f ? pre[i] : 0f;
            centered[i] = UniformQuantizer.code(v, inv, z, qmin, qmax) - z;
        }
    }

    /**
     * {@code acc = a Wt} in int32 and {@code sumA[r] = sum_i |a[r, i]|}: for each row, each
     * non-zero input code adds its weight row to the row's accumulators (a ReLU that was off
     * costs nothing). Integer arithmetic, so the order does not matter: the sums are exact
     * (the layer's constructor proved they fit in int32).
     *
     * @param a    centered input codes, (rows x in)
     * @param wt   centered weights transposed, (in x out)
     * @param acc  output, (rows x out); overwritten
     * @param sumA output, (rows)
     * @param nz   scratch, at least {@code in} ints
     * @param cz   scratch, at least {@code in} ints
     */
    static void accumulate(int[] a, int rows, int in, int[] wt, int out, int[] acc, long[] sumA, int[] nz, int[] cz) {
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
                int ai = a[ao + i];
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
     * Requantizes int32 accumulators to the next layer's centered codes with the float32
     * multipliers of {@link IntegerLayer.Requant}: {@code est = fma(float(acc), mult, offset)},
     * the code {@code clamp(max(rint(est), 0) + z, qmin, qmax) - z}; an element whose
     * {@code est} lies within {@code slack} of a rounding boundary is listed in {@code flagged}
     * (its code must come from the fake-quantized sum).
     *
     * @return the number of flagged elements (their flat indices in {@code flagged[0, count)})
     */
    static int requantize(int[] acc, long[] sumA, int rows, int out, IntegerLayer.Requant q, int[] centered,
                          int[] flagged) {
        int count = 0;
        int vectorEnd = VECTOR && out >= IntegerVectorKernels.lanes() ? out : 0;
        for (int r = 0; r < rows; r++) {
            float sa = (float) sumA[r];
            int o = 0;
            if (vectorEnd > 0) {
                count = IntegerVectorKernels.requantizeRow(acc, r * out, sa, out, q, centered, flagged, count);
                o = out;
            }
            for (; o < out; o++) {
                int i = r * out + o;
                if (requantizeOne(acc[i], sa, o, q, centered, i)) {
                    flagged[count++] = i;
                }
            }
        }
        return count;
    }

    /** One element of {@link #requantize}; {@return whether it lies too near a rounding boundary} */
    static boolean requantizeOne(int acc, float sumA, int o, IntegerLayer.Requant q, int[] centered, int i) {
        float est = Math.fma((float) acc, q.mult()[o], q.offset()[o]);
        float slack = Math.fma(sumA, q.slope()[o], q.base()[o]) + Math.abs(est) * 0x1p-22f;
        float e = Math.max(-0x1p22f, Math.min(est, 0x1p22f));
        float rounded = (e + 0x1p23f) - 0x1p23f;
        float code = Math.min(Math.max(rounded, 0f) + q.zeroPoint(), q.qmax());
        centered[i] = (int) code - q.zeroPoint();
        // NaN slack (never expected) also flags: the comparison below is then false.
        return !(0.5f - Math.abs(e - rounded) > slack);
    }
}
