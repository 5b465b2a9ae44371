package org.cfq.quant.integer;

import java.util.ArrayList;
import java.util.List;
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
 *       output): {@code pre = sum_i x_i * w_hat_i + b} in float32, in input order, with
 *       {@code w_hat = float(q - z) * s} decoded from the packed codes. These are the fake
 *       quantizer's dequantized weights and the order of {@link org.cfq.math.Dense#affine}, so
 *       the pre-activations equal the fake-quantized model's <em>bit for bit</em>. Quantizing
 *       the input rows instead would make the first layer integer too, but would change the
 *       model, so its decisions would no longer be the fake-quantized model's.</li>
 *   <li><b>Integer input</b> (the previous layer quantizes its ReLU output with scale
 *       {@code s_a} and zero point {@code za}): {@code acc = sum_i (q - z)(c - za)} in int32
 *       (exact; the constructor rejects layers whose worst case could overflow), then the
 *       float rescale {@code pre = float(acc * (s_w * s_a) + b)} with product and sum in
 *       double.</li>
 * </ul>
 * Hidden layers apply ReLU and, when quantized, requantize with the fake quantizer's own
 * float32 formula {@code clamp(rint(relu(pre) * (1f / s_a')) + za', qmin, qmax)}. The output
 * layer's {@code pre} are the float logits.
 *
 * <h2>Why the rescale is float, and why decisions agree</h2>
 * Jacob et al. fold the bias into int32 and the rescale into a fixed-point multiplier and
 * shift. Both round (the bias to the grid {@code s_w * s_a}, the multiplier to 31 bits) and
 * move values that sit near a rounding tie of the next quantizer, so they would give a
 * slightly different model from the fake-quantized one, which keeps float biases. The float
 * rescale in double is the real-number value {@code sum (q - z) s_w (c - za) s_a + b} rounded
 * once to float32; the fake-quantized model computes the same sum with float32 products and
 * float32 accumulation, within {@code n * 2^-24 * sum |terms|} of it. So the next layer's
 * codes agree unless a pre-activation lies within that distance of a rounding tie
 * {@code (k + 1/2) * s_a'}, and the decision agrees unless the margin is within the
 * propagated distance of zero. Models whose hidden activations stay in float have float
 * layers only and agree bit for bit. The equivalence tests check every test row of the
 * benchmark datasets at every width.
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
        forward(x, 0, rows, ws, out, 0);
    }

    /**
     * Scores rows {@code [first, first + rows)} of {@code x}.
     *
     * @param x      model-space rows, (anything x inputDim)
     * @param out    logits, written at rows {@code [outFirst, outFirst + rows)} of an (anything x 2) array
     * @throws IllegalArgumentException when {@code rows} exceeds the workspace capacity
     */
    public void forward(float[] x, int first, int rows, Workspace ws, float[] out, int outFirst) {
        if (ws.owner != this) {
            throw new IllegalArgumentException("the workspace belongs to another model");
        }
        if (rows < 0 || rows > ws.capacity) {
            throw new IllegalArgumentException("rows must be in [0, " + ws.capacity + "], got " + rows);
        }
        float[] fin = x;
        int fOff = first * inputDim();
        int[] iin = null;
        int n = layers.size();
        for (int l = 0; l < n; l++) {
            IntegerLayer layer = layers.get(l);
            float[] pre = l == n - 1 ? out : ws.pre[l];
            int preOff = l == n - 1 ? outFirst * Mlp.OUTPUTS : 0;
            if (layer.integerInput()) {
                integerAffine(iin, rows, layer.in(), ws.intWeights[l], layer.multipliersView(), layer.biasView(),
                        layer.out(), pre, preOff);
            } else {
                floatAffine(fin, fOff, rows, layer.in(), ws.floatWeights[l], layer.biasView(), layer.out(), pre, preOff);
            }
            if (l == n - 1) {
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
                fOff = 0;
                iin = null;
            } else {
                requantize(pre, m, aq, ws.codes[l]);
                iin = ws.codes[l];
                fin = null;
            }
        }
    }

    /** {@code y = x W^T + b} in float32, the loop order of {@code Dense.affine}. */
    private static void floatAffine(float[] x, int xOff, int rows, int in, float[] w, float[] b, int out,
                                    float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * in;
            int yo = yOff + r * out;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                float s = 0f;
                for (int i = 0; i < in; i++) {
                    s += x[xo + i] * w[wo + i];
                }
                y[yo + o] = s + b[o];
            }
        }
    }

    /** {@code y = float(acc * m + b)} with {@code acc = a W^T} in int32. */
    private static void integerAffine(int[] a, int rows, int in, int[] w, double[] m, float[] b, int out,
                                      float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int ao = r * in;
            int yo = yOff + r * out;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                int acc = 0;
                for (int i = 0; i < in; i++) {
                    acc += a[ao + i] * w[wo + i];
                }
                y[yo + o] = (float) (acc * m[o] + b[o]);
            }
        }
    }

    /** ReLU, then the centered code {@code clamp(rint(v * (1f / s)) + z, qmin, qmax) - z} of each value. */
    private static void requantize(float[] pre, int n, UniformQuantizer aq, int[] centered) {
        float inv = 1f / aq.params().scale(0);
        int z = aq.params().zeroPoint(0);
        int qmin = aq.spec().qmin();
        int qmax = aq.spec().qmax();
        for (int i = 0; i < n; i++) {
            float v = pre[i] > 0f ? pre[i] : 0f;
            centered[i] = UniformQuantizer.code(v, inv, z, qmin, qmax) - z;
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
     * once from the packed codes into the form each kernel reads (int32 {@code q - z} for
     * integer-input layers, the dequantized float32 weights for float-input layers).
     */
    public static final class Workspace {
        private final IntegerMlp owner;
        private final int capacity;
        private final float[][] pre;
        private final int[][] codes;
        private final int[][] intWeights;
        private final float[][] floatWeights;

        private Workspace(IntegerMlp owner, int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
            }
            this.owner = owner;
            this.capacity = capacity;
            int n = owner.layers.size();
            pre = new float[n][];
            codes = new int[n][];
            intWeights = new int[n][];
            floatWeights = new float[n][];
            for (int l = 0; l < n; l++) {
                IntegerLayer layer = owner.layers.get(l);
                if (l < n - 1) {
                    pre[l] = new float[capacity * layer.out()];
                    if (layer.integerOutput()) {
                        codes[l] = new int[capacity * layer.out()];
                    }
                }
                if (layer.integerInput()) {
                    intWeights[l] = layer.decodeCentered();
                } else {
                    floatWeights[l] = layer.decodeDequantized();
                }
            }
        }

        public int capacity() {
            return capacity;
        }
    }
}
