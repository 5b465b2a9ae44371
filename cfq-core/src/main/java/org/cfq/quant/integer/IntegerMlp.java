package org.cfq.quant.integer;

import java.util.ArrayList;
import java.util.List;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.cfq.model.Classifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * Integer inference of a quantized MLP. The model holds only packed weight codes, scales,
 * zero points and float32 biases; a {@link Workspace} decodes the codes once for its kernels.
 *
 * <h2>How each layer computes</h2>
 * <ul>
 *   <li><b>Float input</b> (the first layer always, since model-space rows are float32 and the
 *       fake-quantized model does not quantize them; and any layer after an unquantized ReLU
 *       output): the dequantized weights {@code float(q - z) * s}, decoded from the packed
 *       codes, through {@link Dense#affineTransposed}, which gives the bits of
 *       {@link Dense#affine}. These are the fake quantizer's weights and the fake-quantized
 *       model's arithmetic, so the pre-activations equal its own <em>bit for bit</em>.
 *       Quantizing the input rows instead would make the first layer integer too, but would
 *       change the model, so its decisions would no longer be the fake-quantized model's.</li>
 *   <li><b>Integer input</b> (the previous layer quantizes its ReLU output with scale
 *       {@code s_a} and zero point {@code za}): {@code acc = sum_i (q - z)(c - za)} in int32
 *       (exact; the constructor rejects layers whose worst case could overflow; vector lanes
 *       over the outputs, zero codes skipped; a layer whose worst case is below 2^24 sums in
 *       float32 lanes, where every partial sum is a whole number and every fma exact, and one
 *       below 2^15 in int16 lanes, down every input when a quarter or more of the codes are
 *       nonzero). A hidden layer whose next layer is integer too
 *       requantizes in float32, {@code est = fma(float(acc), M_o, B_o)} with
 *       {@code M_o = float(s_w s_a / s_a')}, {@code B_o = float(b / s_a')}, and a proven slack
 *       ({@code IntegerLayer.Requant}); the output layer rescales in double,
 *       {@code pre = float(acc * (s_w * s_a) + b)}.</li>
 * </ul>
 * Hidden layers apply ReLU and, when quantized, requantize with the fake quantizer's own
 * float32 formula {@code clamp(rint(relu(pre) * (1f / s_a')) + za', qmin, qmax)}. The output
 * layer's {@code pre} are the float logits.
 *
 * <h2>Why the rescale is float (not a fixed-point multiplier)</h2>
 * Jacob et al. fold the bias into int32 and the rescale into a fixed-point multiplier and
 * shift. Both round (the bias to the grid {@code s_w * s_a}, the multiplier to 31 bits), so
 * they define a slightly different model from the fake-quantized one, which keeps float32
 * biases, and would need a guard like the one below anyway. The output layer's rescale in
 * double gives {@code V}, the real value {@code X = sum (q - z) s_w (c - za) s_a + b} rounded
 * once to float32; the hidden layers' float32 multipliers are bounded by their slack. (On
 * JDK 17 the vector API has no 32-bit high multiply, so a fixed-point multiplier would need
 * 64-bit lanes, half the width of the float32 ones.)
 *
 * <h2>Why the decisions are exactly the fake-quantized model's</h2>
 * The fake-quantized model computes the same {@code X} as {@code F}, with float32 dequantized
 * factors and a float32 chain of fused multiply-adds. Both are within a proven bound
 * {@code D} of {@code X} ({@link IntegerLayer#errorBound}), so:
 * <ul>
 *   <li>a requantization whose scaled value {@code V * (1f / s)} is farther than
 *       {@code D / s} (plus float32 slack) from every rounding boundary {@code k + 1/2} gets the
 *       same code from {@code V} as from {@code F}; one that is not is recomputed from the
 *       fake-quantized float32 sum itself (same operands, same order: bit for bit);</li>
 *   <li>a row whose integer margin is within the two logits' bounds of zero gets its logits
 *       from the fake-quantized float32 sums, so its sign is the fake-quantized model's.</li>
 * </ul>
 * By induction every activation code equals the fake-quantized model's, every decision does,
 * and every logit is within {@code D} of it (bit for bit on fallback rows and in models whose
 * activations stay float). Fallbacks are rare (see {@link Workspace#fallbacks()}); they cost one
 * float32 dot product each.
 *
 * <p>Immutable and thread-safe; use one {@link Workspace} per thread.
 */
public final class IntegerMlp implements Classifier {
    private final List<IntegerLayer> layers;

    /**
     * @throws IllegalArgumentException when shapes do not chain, the last layer does not give
     *                                  two logits or quantizes its output, or a layer's input
     *                                  quantizer is not the previous layer's output quantizer
     */
    public IntegerMlp(List<IntegerLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an integer MLP needs at least one layer, got none");
        }
        if (layers.get(0).integerInput()) {
            throw new IllegalArgumentException("the first layer takes float model-space rows; got an input quantizer");
        }
        for (int l = 1; l < layers.size(); l++) {
            IntegerLayer prev = layers.get(l - 1);
            IntegerLayer cur = layers.get(l);
            if (cur.in() != prev.out()) {
                throw new IllegalArgumentException("layer " + l + " takes " + cur.in() + " inputs but layer "
                        + (l - 1) + " gives " + prev.out());
            }
            if (!java.util.Objects.equals(cur.inputQuantizer(), prev.outputQuantizer())) {
                throw new IllegalArgumentException("layer " + l + "'s input quantizer " + cur.inputQuantizer()
                        + " differs from layer " + (l - 1) + "'s output quantizer " + prev.outputQuantizer());
            }
        }
        IntegerLayer last = layers.get(layers.size() - 1);
        if (last.out() != Mlp.OUTPUTS) {
            throw new IllegalArgumentException("the last layer must have " + Mlp.OUTPUTS + " outputs, got " + last.out());
        }
        if (last.integerOutput()) {
            throw new IllegalArgumentException("the output layer gives float logits; got an output quantizer");
        }
        this.layers = List.copyOf(layers);
    }

    /** The integer form of a fake-quantized model: same codes, scales, biases and activation quantizers. */
    public static IntegerMlp of(QuantizedMlp model) {
        List<IntegerLayer> out = new ArrayList<>(model.layerCount());
        UniformQuantizer input = null;
        for (QuantizedLayer l : model.layers()) {
            out.add(IntegerLayer.of(l, input));
            input = l.activationQuantizer();
        }
        return new IntegerMlp(out);
    }

    @Override
    public int inputDim() {
        return layers.get(0).in();
    }

    /** The layers, first to last (unmodifiable, each immutable). */
    public List<IntegerLayer> layers() {
        return layers;
    }

    /** {@return the packed weight bytes over all layers} */
    public long packedWeightBytes() {
        long b = 0;
        for (IntegerLayer l : layers) {
            b += l.weights().bytes();
        }
        return b;
    }

    /** Buffers and decoded weights for batches of up to {@code capacity} rows. */
    public Workspace workspace(int capacity) {
        return new Workspace(this, capacity);
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        Workspace ws = workspace(Math.max(1, rows));
        forward(x, rows, ws, out);
    }

    /**
     * Scores a batch.
     *
     * @param x    model-space rows, (rows x inputDim)
     * @param out  logits, (rows x 2); overwritten
     * @throws IllegalArgumentException when {@code rows} exceeds the workspace capacity
     */
    public void forward(float[] x, int rows, Workspace ws, float[] out) {
        if (ws.owner != this) {
            throw new IllegalArgumentException("the workspace belongs to another model");
        }
        if (rows < 0 || rows > ws.capacity) {
            throw new IllegalArgumentException("rows must be in [0, " + ws.capacity + "], got " + rows);
        }
        if (rows == 0) {
            return;
        }
        // Blocks of at most CHUNK rows through every layer: a block's activations (a few tens of
        // KB) stay in the L1/L2 cache between layers, where a whole batch's (MBs at 4096 rows)
        // went to memory and back once per pass. Rows are independent, so the results are the same.
        int chunk = ws.chunk;
        if (rows <= chunk) {
            forwardBlock(x, rows, ws, out);
            return;
        }
        int width = layers.get(0).in();
        for (int start = 0; start < rows; start += chunk) {
            int n = Math.min(chunk, rows - start);
            System.arraycopy(x, start * width, ws.xBlock, 0, n * width);
            forwardBlock(ws.xBlock, n, ws, ws.outBlock);
            System.arraycopy(ws.outBlock, 0, out, start * Mlp.OUTPUTS, n * Mlp.OUTPUTS);
        }
    }

    /** {@link #forward} of at most {@code ws.chunk} rows. */
    private void forwardBlock(float[] x, int rows, Workspace ws, float[] out) {
        float[] fin = x;
        float[] iin = null;
        int n = layers.size();
        // Each row's sum_i |c_i| of the current integer input (the requantization guard and the logit
        // bounds need it), and the array the layer making the next codes hands theirs on in.
        float[] sumIn = ws.sumA;
        float[] sumOut = ws.sumB;
        for (int l = 0; l < n; l++) {
            IntegerLayer layer = layers.get(l);
            boolean last = l == n - 1;
            float[] pre = last ? out : ws.pre[l];
            if (!layer.integerInput()) {
                // The fake-quantized model's own arithmetic on the same dequantized weights: one fma
                // chain per output in ascending input order from the bias, skipping zero inputs (a
                // skipped term adds a zero: same bits as Dense.affineTransposed, see Dense.sparseRows).
                // Model-space rows are mostly zero one-hot columns, so this is most of the first
                // layer's saving over the dense float path.
                Dense.sparseRows(fin, rows, layer.in(), ws.floatWeightsT[l], layer.biasView(), layer.out(), pre, ws.nz);
                if (!last && layer.integerOutput()) {
                    UniformQuantizer aq = layer.outputQuantizer();
                    if (ws.sumsIn[l + 1]) {
                        // The codes' row sums on the way (exact: the next layer's in * max|c - za| < 2^24).
                        IntegerKernels.quantizeReluRows(pre, rows, layer.out(), 1f / aq.params().scale(0),
                                aq.params().zeroPoint(0), aq.spec().qmin(), aq.spec().qmax(), ws.codes[l], sumOut);
                        float[] t = sumIn;
                        sumIn = sumOut;
                        sumOut = t;
                    } else {
                        IntegerKernels.quantizeRelu(pre, rows * layer.out(), 1f / aq.params().scale(0),
                                aq.params().zeroPoint(0), aq.spec().qmin(), aq.spec().qmax(), ws.codes[l]);
                    }
                    iin = ws.codes[l];
                    fin = null;
                    continue;
                }
            } else if (!last && layer.requant() != null) {
                // Exact integer products, then the float32 multipliers with their error slack; only
                // values near a rounding boundary take the fake-quantized sum.
                float[] codes = ws.codes[l];
                int k;
                int kind = ws.kind[l];
                boolean handOn = ws.sumsIn[l + 1];
                if (kind == Workspace.INT32) {
                    IntegerKernels.accumulate(iin, rows, layer.in(), ws.intWeightsT[l], layer.out(), ws.iacc, sumIn,
                            ws.nz, ws.cz);
                    k = IntegerKernels.requantize(ws.iacc, sumIn, rows, layer.out(), layer.requant(), codes,
                            ws.flagged);
                } else {
                    int stride = layer.out();
                    if (kind == Workspace.INT16) {
                        stride = ws.outPad[l];
                        IntegerKernels.accumulateShort(iin, rows, layer.in(), ws.shortWeights[l], stride, ws.facc,
                                ws.nz, ws.pairs, ws.shortSums);
                    } else {
                        IntegerKernels.accumulateExactFloat(iin, rows, layer.in(), ws.exactWeightsT[l], layer.out(),
                                ws.facc, ws.nz);
                    }
                    if (!ws.sumsIn[l]) {
                        IntegerKernels.absRowSums(iin, rows, layer.in(), sumIn,
                                layer.in() * layer.maxAbsInput() <= (1L << 22));
                    }
                    k = IntegerKernels.requantize(ws.facc, stride, sumIn, rows, layer.out(), layer.requant(), codes,
                            ws.flagged, handOn ? sumOut : null, ws.smallSums[l + 1]);
                }
                if (k > 0) {
                    UniformQuantizer aq = layer.outputQuantizer();
                    float inv = 1f / aq.params().scale(0);
                    int z = aq.params().zeroPoint(0);
                    int f = 0;
                    for (; f + 4 <= k; f += 4) {
                        fakeQuantizedSums4(layer, ws.floatWeights[l], iin, ws.flagged, f, ws.sums4);
                        for (int t = 0; t < 4; t++) {
                            float v = ws.sums4[t];
                            int i = ws.flagged[f + t];
                            float c = UniformQuantizer.code(v > 0f ? v : 0f, inv, z, aq.spec().qmin(), aq.spec().qmax()) - z;
                            if (handOn) {
                                // Codes >= 0, whole numbers: the row sum takes the correction exactly.
                                sumOut[i / layer.out()] += c - codes[i];
                            }
                            codes[i] = c;
                        }
                    }
                    for (; f < k; f++) {
                        int i = ws.flagged[f];
                        float v = fakeQuantizedSum(layer, ws.floatWeights[l], iin, i / layer.out(), i % layer.out());
                        float c = UniformQuantizer.code(v > 0f ? v : 0f, inv, z, aq.spec().qmin(), aq.spec().qmax()) - z;
                        if (handOn) {
                            sumOut[i / layer.out()] += c - codes[i];
                        }
                        codes[i] = c;
                    }
                    ws.fallbacks += k;
                }
                if (handOn) {
                    float[] t = sumIn;
                    sumIn = sumOut;
                    sumOut = t;
                }
                iin = codes;
                fin = null;
                continue;
            } else if (last && ws.logitWeights[l] != null) {
                // Both logits' sums exact in float32 lanes over the inputs, then the double rescale.
                IntegerKernels.logits2(iin, rows, layer.in(), ws.logitWeights[l][0], ws.logitWeights[l][1], ws.facc,
                        sumIn, ws.smallLogits[l], ws.sumsIn[l]);
                rescaleLogits(ws.facc, sumIn, rows, ws.maxAbsWeight[l], layer.multipliersView(), layer.biasView(),
                        pre, ws.bounds, layer.errorFactor());
            } else if (last || layer.integerOutput()) {
                integerAffine(iin, rows, layer.in(), ws.intWeightsT[l], ws.maxAbsWeight[l], layer.multipliersView(),
                        layer.biasView(), layer.out(), pre, ws.bounds, layer.errorFactor(), ws.acc);
            } else {
                // Integer input, float ReLU output: the next layer would see V instead of F with no
                // rounding step to absorb the difference, so take the fake-quantized sum itself.
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < layer.out(); o++) {
                        pre[r * layer.out() + o] = fakeQuantizedSum(layer, ws.floatWeights[l], iin, r, o);
                    }
                }
                ws.fallbacks += (long) rows * layer.out();
            }
            if (last) {
                if (layer.integerInput()) {
                    settleMargins(layer, ws.floatWeights[l], iin, rows, out, ws);
                }
                break;
            }
            int m = rows * layer.out();
            UniformQuantizer aq = layer.outputQuantizer();
            if (aq == null) {
                for (int i = 0; i < m; i++) {
                    if (!(pre[i] > 0f)) {
                        pre[i] = 0f;
                    }
                }
                fin = pre;
                iin = null;
            } else {
                requantize(layer, ws.floatWeights[l], iin, rows, pre, aq, ws.codes[l], ws);

                iin = ws.codes[l];
                fin = null;
            }
        }
    }

    /**
     * The logits {@code y = float(acc * m + b)} (product and sum in double) from exact integer sums
     * held as floats, and their error bounds as {@link #integerAffine} states them.
     */
    private static void rescaleLogits(float[] acc, float[] sumA, int rows, int[] maxAbsW, double[] m, float[] b,
                                      float[] y, double[] bound, double factor) {
        for (int r = 0; r < rows; r++) {
            double sa = sumA[r];
            for (int o = 0; o < Mlp.OUTPUTS; o++) {
                int i = r * Mlp.OUTPUTS + o;
                y[i] = (float) (acc[i] * m[o] + b[o]);
                bound[i] = factor * (sa * maxAbsW[o] * m[o] + Math.abs(b[o]));
            }
        }
    }

    /**
     * {@code y = float(acc * m + b)} with {@code acc = a W^T} in int32, accumulated input by input
     * ({@code acc += a_i * Wt[i, :]}, contiguous over the outputs so the JIT vectorizes it); an
     * input code of zero (a ReLU that was off) skips its whole weight row. Alongside, the error
     * bound of each value (see {@link IntegerLayer#errorBound}), with {@code sum_i |t_i|} bounded
     * by {@code s_w s_a max_i |q_i - z| sum_i |c_i - za|}: one extra sum per row, a few times
     * looser than the exact sum, which only means a few more (still rare) fallbacks.
     *
     * @param wt      centered weights transposed, (in x out)
     * @param maxAbsW {@code max_i |q - z|} of each output, (out)
     * @param bound   error bounds, (rows x out); overwritten
     * @param acc     scratch, length &gt;= out
     */
    private static void integerAffine(float[] a, int rows, int in, int[] wt, int[] maxAbsW, double[] m, float[] b,
                                      int out, float[] y, double[] bound, double factor, int[] acc) {
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(acc, 0, out, 0);
            int ao = r * in;
            long sumA = 0;
            if (out == Mlp.OUTPUTS) {
                // The logit layer: no branch on zero codes (half of them are zero, at random, and the
                // mispredictions cost more than the two multiply-adds they would skip).
                int s0 = 0;
                int s1 = 0;
                for (int i = 0, wo = 0; i < in; i++, wo += 2) {
                    int ai = (int) a[ao + i];
                    sumA += Math.abs(ai);
                    s0 += ai * wt[wo];
                    s1 += ai * wt[wo + 1];
                }
                acc[0] = s0;
                acc[1] = s1;
            }
            for (int i = 0; i < in && out != Mlp.OUTPUTS; i++) {
                int ai = (int) a[ao + i];
                if (ai == 0) {
                    continue;
                }
                sumA += Math.abs(ai);
                int wo = i * out;
                for (int o = 0; o < out; o++) {
                    acc[o] += ai * wt[wo + o];
                }
            }
            int yo = r * out;
            for (int o = 0; o < out; o++) {
                y[yo + o] = (float) (acc[o] * m[o] + b[o]);
                bound[yo + o] = factor * ((double) sumA * maxAbsW[o] * m[o] + Math.abs(b[o]));
            }
        }
    }

    /**
     * The fake-quantized model's own float32 pre-activation of unit {@code o} for row {@code r}:
     * the dequantized activations {@code float(c - za) * s_a} and weights in the arithmetic that
     * {@link Dense#affine} documents for every path (one chain of fused multiply-adds over the
     * inputs in ascending order, starting from the bias), so the bits are the same.
     */
    private static float fakeQuantizedSum(IntegerLayer layer, float[] wHat, float[] centered, int r, int o) {
        int in = layer.in();
        float sa = layer.inputQuantizer().params().scale(0);
        int ao = r * in;
        int wo = o * in;
        float s = layer.biasView()[o];
        for (int i = 0; i < in; i++) {
            // centered holds float(c - za) exactly (a whole number): the fake quantizer's factor.
            s = Math.fma(centered[ao + i] * sa, wHat[wo + i], s);
        }
        return s;
    }

    /**
     * {@link #fakeQuantizedSum} of the four flat indices {@code flagged[f, f + 4)} (row-major,
     * {@code layer.out()} per row), as four interleaved chains: each chain is the same fused
     * multiply-adds in the same order, so the same bits, and the four hide each other's latency
     * (one chain alone waits on every fma).
     */
    private static void fakeQuantizedSums4(IntegerLayer layer, float[] wHat, float[] centered, int[] flagged, int f,
                                           float[] sums) {
        int in = layer.in();
        int out = layer.out();
        float sa = layer.inputQuantizer().params().scale(0);
        float[] bias = layer.biasView();
        int i0 = flagged[f];
        int i1 = flagged[f + 1];
        int i2 = flagged[f + 2];
        int i3 = flagged[f + 3];
        int a0 = i0 / out * in;
        int a1 = i1 / out * in;
        int a2 = i2 / out * in;
        int a3 = i3 / out * in;
        int w0 = i0 % out * in;
        int w1 = i1 % out * in;
        int w2 = i2 % out * in;
        int w3 = i3 % out * in;
        float s0 = bias[i0 % out];
        float s1 = bias[i1 % out];
        float s2 = bias[i2 % out];
        float s3 = bias[i3 % out];
        for (int i = 0; i < in; i++) {
            s0 = Math.fma(centered[a0 + i] * sa, wHat[w0 + i], s0);
            s1 = Math.fma(centered[a1 + i] * sa, wHat[w1 + i], s1);
            s2 = Math.fma(centered[a2 + i] * sa, wHat[w2 + i], s2);
            s3 = Math.fma(centered[a3 + i] * sa, wHat[w3 + i], s3);
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    /**
     * ReLU, then the centered code {@code clamp(rint(v * (1f / s)) + z, qmin, qmax) - z} of each
     * value. Where an integer-input value lies within its error bound of a rounding boundary, the
     * value is first replaced by the fake-quantized model's own float32 sum.
     */
    private static void requantize(IntegerLayer layer, float[] wHat, float[] iin, int rows, float[] pre,
                                   UniformQuantizer aq, float[] centered, Workspace ws) {
        float inv = 1f / aq.params().scale(0);
        int z = aq.params().zeroPoint(0);
        int qmin = aq.spec().qmin();
        int qmax = aq.spec().qmax();
        double[] bound = layer.integerInput() ? ws.bounds : null;
        int out = layer.out();
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                int i = r * out + o;
                float v = pre[i] > 0f ? pre[i] : 0f;
                if (bound != null) {
                    float scaled = v * inv;
                    double tie = Math.floor(scaled) + 0.5;
                    double slack = 1.01 * bound[i] * inv + 0x1p-22 * (Math.abs(scaled) + 1);
                    if (Math.abs(scaled - tie) <= slack) {
                        pre[i] = fakeQuantizedSum(layer, wHat, iin, r, o);
                        v = pre[i] > 0f ? pre[i] : 0f;
                        ws.fallbacks++;
                    }
                }
                centered[i] = UniformQuantizer.code(v, inv, z, qmin, qmax) - z;
            }
        }
    }

    /**
     * Makes every decision the fake-quantized model's: a row whose integer margin lies within the
     * two logits' error bounds of zero gets both logits from the fake-quantized float32 sums.
     */
    private static void settleMargins(IntegerLayer layer, float[] wHat, float[] iin, int rows, float[] out,
                                      Workspace ws) {
        double[] bound = ws.bounds;
        for (int r = 0; r < rows; r++) {
            int i = r * Mlp.OUTPUTS;
            double margin = (double) out[i + 1] - out[i];
            if (Math.abs(margin) <= bound[i] + bound[i + 1]) {
                out[i] = fakeQuantizedSum(layer, wHat, iin, r, 0);
                out[i + 1] = fakeQuantizedSum(layer, wHat, iin, r, 1);
                ws.fallbacks++;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntegerMlp m && m.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    /**
     * Per-thread buffers: pre-activations and centered codes per layer, and the weights decoded
     * once from the packed codes into the forms the kernels read: int32 {@code q - z} transposed
     * (in x out) for integer-input layers, the dequantized float32 weights (and, for float-input
     * layers, their transpose) for the float kernel and the fallback.
     */
    public static final class Workspace {
        /** How an integer-in, integer-out layer sums: int32 lanes (the general case) ... */
        static final int INT32 = 0;
        /** ... exact float32 lanes (every |acc| below 2^24) ... */
        static final int FLOAT32 = 1;
        /** ... or int16 lanes (every |acc| below 2^15). */
        static final int INT16 = 2;

        /** Rows per block of {@link IntegerMlp#forward}: a block's buffers fit the L2 cache. */
        static final int CHUNK = 64;

        private final IntegerMlp owner;
        private final int capacity;
        /** Rows per block ({@code min(capacity, CHUNK)}): every buffer below holds one block. */
        private final int chunk;
        private final float[] xBlock;
        private final float[] outBlock;
        private final float[][] pre;
        private final float[][] codes;
        private final int[][] intWeightsT;
        private final float[][] floatWeights;
        private final float[][] floatWeightsT;
        private final int[][] maxAbsWeight;
        private final double[] bounds;
        private final int[] acc;
        private final int[] iacc;
        private final int[] flagged;
        private final float[] sumA;
        private final float[] sumB;
        /**
         * Whether layer l's input codes arrive with each row's {@code sum_i |c_i|} from the layer that
         * made them ({@link IntegerKernels#quantizeReluRows} or the vector requantization), so it skips
         * {@link IntegerKernels#absRowSums}; one entry past the last layer (false).
         */
        private final boolean[] sumsIn;
        /** Whether those sums are at most 2^22 (the lanes reduce as ints). */
        private final boolean[] smallSums;
        private final int[] nz;
        private final int[] cz;
        /** The int16 kernel's codes, each in both halves of an int, and its sums before they are widened. */
        private final int[] pairs;
        private final short[] shortSums;
        private final float[] facc;
        private final int[] kind;
        /** Centered weights as floats, transposed, for layers whose sums stay below 2^24 (exact in float32). */
        private final float[][] exactWeightsT;
        /** Centered weights as shorts in the int16 kernel's layout, and its padded width. */
        private final short[][] shortWeights;
        private final int[] outPad;
        /** The logit layer's centered weights per output, as floats (its sums below 2^24), else null. */
        private final float[][][] logitWeights;
        /** Whether the logit layer's sums of absolute values stay at most 2^22 (int-lane reduction). */
        private final boolean[] smallLogits;
        /** Four fallback sums at a time. */
        private final float[] sums4 = new float[4];
        private long fallbacks;

        private Workspace(IntegerMlp owner, int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
            }
            this.owner = owner;
            this.capacity = capacity;
            this.chunk = Math.min(capacity, CHUNK);
            xBlock = new float[chunk * owner.layers.get(0).in()];
            outBlock = new float[chunk * Mlp.OUTPUTS];
            int n = owner.layers.size();
            pre = new float[n][];
            codes = new float[n][];
            intWeightsT = new int[n][];
            maxAbsWeight = new int[n][];
            floatWeights = new float[n][];
            floatWeightsT = new float[n][];
            exactWeightsT = new float[n][];
            shortWeights = new short[n][];
            outPad = new int[n];
            logitWeights = new float[n][][];
            smallLogits = new boolean[n];
            kind = new int[n];
            int widest = 1;
            int widestIn = 1;
            int lanes = IntegerKernels.lanes();
            for (int l = 0; l < n; l++) {
                IntegerLayer layer = owner.layers.get(l);
                widest = Math.max(widest, layer.out());
                widestIn = Math.max(widestIn, layer.in());
                outPad[l] = layer.out();
                if (l < n - 1) {
                    pre[l] = new float[chunk * layer.out()];
                    if (layer.integerOutput()) {
                        codes[l] = new float[chunk * layer.out()];
                    }
                }
                // Float layers compute with these; integer layers fall back to them near a rounding boundary.
                floatWeights[l] = layer.decodeDequantized();
                if (!layer.integerInput()) {
                    floatWeightsT[l] = new float[floatWeights[l].length];
                    Dense.transpose(floatWeights[l], layer.out(), layer.in(), floatWeightsT[l]);
                    continue;
                }
                int[] centered = layer.decodeCentered();
                intWeightsT[l] = transpose(centered, layer.out(), layer.in());
                maxAbsWeight[l] = new int[layer.out()];
                for (int i = 0; i < intWeightsT[l].length; i++) {
                    int o = i % layer.out();
                    maxAbsWeight[l][o] = Math.max(maxAbsWeight[l][o], Math.abs(intWeightsT[l][i]));
                }
                boolean exactSums = layer.exactInputSums() && layer.in() >= lanes;
                if (l < n - 1 && layer.requant() != null && exactSums && layer.out() >= lanes) {
                    if (IntegerKernels.shortLanes() && layer.maxAccumulator() < (1L << 15)) {
                        kind[l] = INT16;
                        int block = IntegerKernels.shortBlock();
                        outPad[l] = (layer.out() + block - 1) / block * block;
                        shortWeights[l] = IntegerKernels.shortWeights(centered, layer.out(), layer.in(), block);
                    } else {
                        kind[l] = FLOAT32;
                        exactWeightsT[l] = toFloat(intWeightsT[l]);
                    }
                } else if (l == n - 1 && layer.out() == Mlp.OUTPUTS && layer.maxAccumulator() < (1L << 24)
                        && layer.exactInputSums()) {
                    logitWeights[l] = new float[Mlp.OUTPUTS][];
                    smallLogits[l] = layer.maxAccumulator() <= (1L << 22)
                            && layer.in() * layer.maxAbsInput() <= (1L << 22);
                    for (int o = 0; o < Mlp.OUTPUTS; o++) {
                        logitWeights[l][o] = toFloat(java.util.Arrays.copyOfRange(centered, o * layer.in(),
                                (o + 1) * layer.in()));
                    }
                }
            }
            int widestPad = widest;
            for (int p : outPad) {
                widestPad = Math.max(widestPad, p);
            }
            acc = new int[widest];
            bounds = new double[chunk * widest];
            iacc = new int[chunk * widest];
            flagged = new int[chunk * widest];
            sumA = new float[chunk];
            sumB = new float[chunk];
            sumsIn = new boolean[n + 1];
            smallSums = new boolean[n + 1];
            for (int l = 1; l < n; l++) {
                IntegerLayer prev = owner.layers.get(l - 1);
                IntegerLayer cur = owner.layers.get(l);
                // The producer: a float-input hidden layer's quantization, or an integer layer's vector
                // requantization from exact float sums (not the int32 kernel's).
                boolean producer = !prev.integerInput() ? prev.integerOutput()
                        : prev.requant() != null && kind[l - 1] != INT32;
                // The consumer: an integer layer that would otherwise run absRowSums, or logits2.
                boolean consumer = l < n - 1 ? cur.requant() != null && kind[l] != INT32
                        : logitWeights[l] != null;
                sumsIn[l] = producer && consumer && cur.exactInputSums() && IntegerKernels.fusedSums(prev.out());
                smallSums[l] = (long) cur.in() * cur.maxAbsInput() <= (1L << 22);
            }
            nz = new int[widestIn];
            cz = new int[widestIn];
            pairs = new int[chunk * widestIn];
            facc = new float[chunk * widestPad];
            shortSums = new short[(chunk + 7) / 8 * 8 * widestPad]; // whole groups of eight rows
        }

        private static float[] toFloat(int[] a) {
            float[] f = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                f[i] = a[i];
            }
            return f;
        }

        private static int[] transpose(int[] a, int rows, int cols) {
            int[] t = new int[a.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = a[r * cols + c];
                }
            }
            return t;
        }

        public int capacity() {
            return capacity;
        }

        /**
         * {@return how many values this workspace took from the fake-quantized float32 sum
         * (requantizations near a rounding boundary, margins near zero) instead of the integer path}
         */
        public long fallbacks() {
            return fallbacks;
        }
    }
}
