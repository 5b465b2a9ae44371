package org.cfq.quant.integer;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.UniformQuantizer;

/**
 * One affine layer of an {@link IntegerMlp}: packed weight codes with one scale and zero
 * point per output row, a float32 bias, how its input arrives and what it hands on.
 *
 * <ul>
 *   <li>Integer input (the previous layer quantizes its ReLU output): the layer sees the
 *       centered codes {@code c - za} and computes {@code acc = sum_i (q - z) (c - za)} in
 *       int32, then {@code pre = float(acc * (s_w * s_a) + b)} with the product and sum in
 *       double.</li>
 *   <li>Float input (the model's input rows, or an unquantized ReLU output): the layer
 *       multiplies by the dequantized weights {@code float(q - z) * s_w}, decoded from the
 *       packed codes, with the fake-quantized model's float32 kernel arithmetic.</li>
 * </ul>
 * A hidden layer then applies ReLU and, when it has an output quantizer, requantizes to the
 * next layer's centered codes {@code clamp(rint(relu(pre) * (1f / s)) + z, qmin, qmax) - z}
 * (the same float32 formula as the fake quantizer).
 *
 * <p>Immutable.
 */
public final class IntegerLayer {
    /** float32 unit roundoff, 2^-24. */
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    private final int in;
    private final int out;
    private final PackedMatrix weights;
    private final float[] scales;
    private final int[] zeroPoints;
    private final float[] bias;
    private final UniformQuantizer inputQuantizer;
    private final UniformQuantizer outputQuantizer;
    private final double[] multipliers;
    private final double errorFactor;
    private final Requant requant;
    /** The largest {@code |acc|} any input can give (integer input), else 0. */
    private final long maxAccumulator;
    /** {@code max |c - za|} of the input codes (integer input), else 0. */
    private final long maxAbsInput;

    /**
     * @param weights         packed weight codes, (out x in)
     * @param weightParams    one scale and zero point, or one per output row
     * @param bias            float32 bias, (out); copied
     * @param inputQuantizer  the previous layer's activation quantizer (its codes are this
     *                        layer's input), or null for float input
     * @param outputQuantizer this layer's ReLU-output quantizer, or null for float output
     * @throws IllegalArgumentException on a shape mismatch, or when an int32 accumulator could
     *                                  overflow for the worst-case input
     */
    public IntegerLayer(PackedMatrix weights, QuantParams weightParams, float[] bias,
                        UniformQuantizer inputQuantizer, UniformQuantizer outputQuantizer) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.out = weights.rows();
        this.in = weights.cols();
        int ch = weightParams.channels();
        if (ch != 1 && ch != out) {
            throw new IllegalArgumentException("weight parameters need 1 or out = " + out + " channels, got " + ch);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias length must be out = " + out + ", got " + bias.length);
        }
        for (UniformQuantizer q : new UniformQuantizer[] {inputQuantizer, outputQuantizer}) {
            if (q != null && q.params().channels() != 1) {
                throw new IllegalArgumentException("activation quantizers must be per tensor, got "
                        + q.params().channels() + " channels");
            }
        }
        this.scales = new float[out];
        this.zeroPoints = new int[out];
        for (int o = 0; o < out; o++) {
            scales[o] = weightParams.scale(ch == 1 ? 0 : o);
            zeroPoints[o] = weightParams.zeroPoint(ch == 1 ? 0 : o);
        }
        this.bias = bias.clone();
        this.inputQuantizer = inputQuantizer;
        this.outputQuantizer = outputQuantizer;
        if (inputQuantizer != null) {
            long maxAcc = checkAccumulatorRange();
            maxAccumulator = maxAcc;
            int za = inputQuantizer.params().zeroPoint(0);
            maxAbsInput = Math.max(Math.abs((long) inputQuantizer.spec().qmin() - za),
                    Math.abs((long) inputQuantizer.spec().qmax() - za));
            double sa = inputQuantizer.params().scale(0);
            multipliers = new double[out];
            for (int o = 0; o < out; o++) {
                multipliers[o] = scales[o] * sa;
            }
            errorFactor = errorBound(in, 1.0, 0f);
            requant = outputQuantizer != null ? Requant.of(this, maxAcc) : null;
        } else {
            maxAccumulator = 0;
            maxAbsInput = 0;
            multipliers = null;
            errorFactor = 0;
            requant = null;
        }
    }

    /**
     * The float32 requantization constants of an integer-input, integer-output layer (see
     * {@link IntegerMlp}): the scaled value of output {@code o} is estimated as
     * {@code est = fma(float(acc), mult[o], offset[o])} with {@code mult[o] = float(s_w s_a inv)}
     * and {@code offset[o] = float(b inv)}, {@code inv = 1f / s_out} (the fake quantizer's own
     * reciprocal), and every error between {@code est} and the fake-quantized model's scaled
     * value {@code fl(relu(F) * inv)} is bounded by
     * {@code slack = sumA * slope[o] + base[o] + |est| * 2^-22} with {@code sumA = sum_i |c_i - za|}.
     * Only built when every {@code |acc|} is below 2^24, so {@code float(acc)} is exact.
     *
     * <p>The bound adds: (1) the fake-quantized sum's error {@code D * inv}
     * ({@code errorBound}: {@code factor (s_w s_a maxAbsW sumA + |b|)} times inv); (2) the
     * roundings of {@code mult} and {@code offset} to float32 ({@code 2^-24} relative each,
     * applied to {@code |acc| <= maxAbsW sumA}) and of the fma ({@code 2^-24 |est|}); (3) the
     * fake quantizer's own rounding of {@code relu(F) * inv} ({@code 2^-24} relative). Each
     * factor is widened by 5 %, and the {@code |est|} terms by 2x, which also absorbs the float
     * rounding of the slack's own evaluation.
     */
    record Requant(float[] mult, float[] offset, float[] slope, float[] base, float inv, int zeroPoint, int qmin,
                   int qmax) {
        static Requant of(IntegerLayer l, long maxAcc) {
            if (maxAcc >= (1L << 24)) {
                return null;
            }
            UniformQuantizer oq = l.outputQuantizer;
            float inv = 1f / oq.params().scale(0);
            int z = oq.params().zeroPoint(0);
            // The requantization clamps to [0, qmax - z] before rounding (IntegerKernels.requantizeOne):
            // it needs a positive scale, the zero point in range and qmax - z <= 2^22 (every real quantizer).
            if (!Float.isFinite(inv) || !(inv > 0f) || z < oq.spec().qmin() || z > oq.spec().qmax()
                    || oq.spec().qmax() - (long) z > (1L << 22)) {
                return null;
            }
            int[] maxAbsW = l.maxAbsCentered();
            float[] mult = new float[l.out];
            float[] offset = new float[l.out];
            float[] slope = new float[l.out];
            float[] base = new float[l.out];
            double f = l.errorFactor + 0x1p-23;
            for (int o = 0; o < l.out; o++) {
                double m = l.multipliers[o] * inv;
                double b = (double) l.bias[o] * inv;
                mult[o] = (float) m;
                offset[o] = (float) b;
                slope[o] = (float) (1.05 * maxAbsW[o] * Math.abs(m) * f);
                base[o] = (float) (1.05 * Math.abs(b) * f + 0x1p-20);
                if (!Float.isFinite(mult[o]) || !Float.isFinite(offset[o]) || !Float.isFinite(slope[o])
                        || !Float.isFinite(base[o])) {
                    return null;
                }
            }
            return new Requant(mult, offset, slope, base, inv, oq.params().zeroPoint(0), oq.spec().qmin(),
                    oq.spec().qmax());
        }
    }

    /** {@return the float32 requantization of this integer-in, integer-out layer, or null (then double)} */
    Requant requant() {
        return requant;
    }

    /** {@return the largest {@code |acc|} any input can give (integer input), else 0} */
    long maxAccumulator() {
        return maxAccumulator;
    }

    /**
     * {@return whether every row's {@code sum_i |c_i - za|} is below 2^24 (integer input), so it is
     * exact in float32 in any order}
     */
    /** {@return {@code max |c - za|} of the input codes (integer input), else 0} */
    long maxAbsInput() {
        return maxAbsInput;
    }

    boolean exactInputSums() {
        return inputQuantizer != null && in * maxAbsInput < (1L << 24);
    }

    /** {@code max_i |q_i - z|} of each output row. */
    int[] maxAbsCentered() {
        int[] w = decodeCentered();
        int[] m = new int[out];
        for (int o = 0; o < out; o++) {
            for (int i = o * in, end = i + in; i < end; i++) {
                m[o] = Math.max(m[o], Math.abs(w[i]));
            }
        }
        return m;
    }

    /**
     * A bound on |F - V| for one pre-activation, where F is the fake-quantized model's float32
     * value and V this layer's integer value. With {@code t_i = (q_i - z)(c_i - za) s_w s_a}:
     * F rounds each of the two dequantized factors of a term and then runs one chain of n fused
     * multiply-adds from the bias (one rounding each), so
     * {@code |F - X| <= gamma(n + 2) (sum |t_i| + |b|)} with {@code X = sum t_i + b} and
     * {@code gamma(k) = k u / (1 - k u)}, u = 2^-24 (Higham, Accuracy and Stability of Numerical
     * Algorithms, 2nd ed., sec. 3.1); V rounds X once to float32 after two double roundings,
     * {@code |V - X| <= 1.0001 u |X|}. The kernel bounds {@code sum |t_i|} by
     * {@code s_w s_a max_i |q_i - z| sum_i |c_i - za|}. The bound uses gamma(n + 3) and is
     * widened by 1%, to spare the argument any off-by-one.
     *
     * @param absTerms {@code sum_i |t_i|}
     */
    static double errorBound(int n, double absTerms, float bias) {
        double k = n + 3;
        double gamma = k * UNIT_ROUNDOFF / (1 - k * UNIT_ROUNDOFF);
        return 1.01 * (gamma + 1.0001 * UNIT_ROUNDOFF) * (absTerms + Math.abs(bias));
    }

    /** The integer form of one fake-quantized layer; {@code inputQuantizer} as in the constructor. */
    public static IntegerLayer of(QuantizedLayer layer, UniformQuantizer inputQuantizer) {
        UniformQuantizer wq = layer.weightQuantizer();
        PackedMatrix w = PackedMatrix.pack(layer.codes(), layer.out(), layer.in(), wq.spec());
        return new IntegerLayer(w, wq.params(), layer.bias(), inputQuantizer, layer.activationQuantizer());
    }

    /** @return the largest {@code |acc|} any input can give */
    private long checkAccumulatorRange() {
        // Worst case |acc| = sum_i |q - z| * max|c - za|; checked with the real weights so any
        // layer that fits is accepted.
        int za = inputQuantizer.params().zeroPoint(0);
        long maxA = Math.max(Math.abs((long) inputQuantizer.spec().qmin() - za),
                Math.abs((long) inputQuantizer.spec().qmax() - za));
        int[] row = new int[in];
        long worst = 0;
        for (int o = 0; o < out; o++) {
            weights.decodeRow(o, row);
            long sum = 0;
            for (int i = 0; i < in; i++) {
                sum += Math.abs((long) row[i] - zeroPoints[o]);
            }
            if (sum * maxA > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("row " + o + " can accumulate " + (sum * maxA)
                        + ", above the int32 limit " + Integer.MAX_VALUE + "; use fewer inputs or fewer bits");
            }
            worst = Math.max(worst, sum * maxA);
        }
        return worst;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** {@return the weight bit width} */
    public int bits() {
        return weights.spec().bits();
    }

    public PackedMatrix weights() {
        return weights;
    }

    /** {@return whether the input arrives as integer codes (else float)} */
    public boolean integerInput() {
        return inputQuantizer != null;
    }

    /** {@return whether the output leaves as integer codes (else float)} */
    public boolean integerOutput() {
        return outputQuantizer != null;
    }

    /** {@return the input activation quantizer, or null for float input} */
    public UniformQuantizer inputQuantizer() {
        return inputQuantizer;
    }

    /** {@return the output activation quantizer, or null for float output} */
    public UniformQuantizer outputQuantizer() {
        return outputQuantizer;
    }

    /** {@return the weight scale of each output row, (out)} */
    public float[] scales() {
        return scales.clone();
    }

    /** {@return the weight zero point of each output row, (out)} */
    public int[] zeroPoints() {
        return zeroPoints.clone();
    }

    /** {@return a copy of the bias} */
    public float[] bias() {
        return bias.clone();
    }

    /** Centered weights {@code q - z}, (out x in), for the integer kernel. */
    int[] decodeCentered() {
        int[] w = weights.decode();
        for (int o = 0; o < out; o++) {
            for (int i = o * in, end = i + in; i < end; i++) {
                w[i] -= zeroPoints[o];
            }
        }
        return w;
    }

    /** Dequantized weights {@code float(q - z) * s}, (out x in): the fake quantizer's values bit for bit. */
    float[] decodeDequantized() {
        int[] q = weights.decode();
        float[] w = new float[q.length];
        for (int o = 0; o < out; o++) {
            for (int i = o * in, end = i + in; i < end; i++) {
                w[i] = UniformQuantizer.dequantize(q[i], scales[o], zeroPoints[o]);
            }
        }
        return w;
    }

    /** The live per-row rescale {@code s_w * s_a} (integer input only). */
    double[] multipliersView() {
        return multipliers;
    }

    /** {@code errorBound(in, 1, 0)}: the bound is this times {@code sum |t_i| + |b|} (integer input only). */
    double errorFactor() {
        return errorFactor;
    }

    /** The live bias. */
    float[] biasView() {
        return bias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegerLayer l && l.weights.equals(weights) && Arrays.equals(l.scales, scales)
                && Arrays.equals(l.zeroPoints, zeroPoints) && Arrays.equals(l.bias, bias)
                && Objects.equals(l.inputQuantizer, inputQuantizer) && Objects.equals(l.outputQuantizer, outputQuantizer);
    }

    @Override
    public int hashCode() {
        return 31 * weights.hashCode() + Arrays.hashCode(bias);
    }
}
