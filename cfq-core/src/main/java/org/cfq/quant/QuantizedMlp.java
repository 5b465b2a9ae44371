package org.cfq.quant;

import java.util.ArrayList;
import java.util.List;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;

/**
 * A fake-quantized MLP: dequantized integer weights, float32 biases, ReLU hidden layers
 * whose outputs may be fake-quantized (unsigned), and two output logits. The model inputs
 * (model-space rows) and the logits stay in float.
 *
 * <p>It is just another {@link DifferentiableClassifier}: input gradients flow through the
 * fake-quantized weights exactly, and through the activation quantizers by the
 * straight-through estimator (identity inside the clamp range, zero outside), which is
 * what gradient-based recourse needs from a piecewise-constant network.
 */
public final class QuantizedMlp implements DifferentiableClassifier {
    private final List<QuantizedLayer> layers;

    /**
     * @throws IllegalArgumentException when shapes do not chain, the last layer does not
     *                                  give two logits, or the last layer quantizes its output
     */
    public QuantizedMlp(List<QuantizedLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a quantized MLP needs at least one layer, got none");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).in()
                        + " inputs but layer " + (l - 1) + " gives " + layers.get(l - 1).out());
            }
        }
        QuantizedLayer last = layers.get(layers.size() - 1);
        if (last.out() != Mlp.OUTPUTS) {
            throw new IllegalArgumentException("the last layer must have " + Mlp.OUTPUTS + " outputs, got " + last.out());
        }
        if (last.activationQuantizer() != null) {
            throw new IllegalArgumentException("the output layer's logits are not quantized; got an activation quantizer");
        }
        this.layers = List.copyOf(layers);
    }

    @Override
    public int inputDim() {
        return layers.get(0).in();
    }

    /** The layers, first to last (unmodifiable, each immutable). */
    public List<QuantizedLayer> layers() {
        return layers;
    }

    public int layerCount() {
        return layers.size();
    }

    /** {@return the weight bit width of each layer} */
    public int[] bitsPerLayer() {
        int[] b = new int[layers.size()];
        for (int l = 0; l < b.length; l++) {
            b[l] = layers.get(l).bits();
        }
        return b;
    }

    /** {@return the parameter-weighted average weight bits} */
    public double averageBits() {
        long bits = 0;
        long n = 0;
        for (QuantizedLayer l : layers) {
            long w = (long) l.in() * l.out();
            bits += w * l.bits();
            n += w;
        }
        return (double) bits / n;
    }

    /** {@return whether any hidden activation is quantized} */
    public boolean quantizesActivations() {
        for (QuantizedLayer l : layers) {
            if (l.activationQuantizer() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the float network with the dequantized weights} It computes the same logits
     * as this model only when no activation is quantized.
     */
    public Mlp dequantizedMlp() {
        List<DenseLayer> d = new ArrayList<>(layers.size());
        for (QuantizedLayer l : layers) {
            d.add(new DenseLayer(l.in(), l.out(), l.dequantizedWeight(), l.bias()));
        }
        return new Mlp(d);
    }

    /** {@return the size of this model in bits and bytes, per layer and in total} */
    public ModelSize size() {
        return ModelSize.of(this);
    }

    /** Buffers for batches of up to {@code capacity} rows. */
    public Workspace workspace(int capacity) {
        return new Workspace(this, capacity);
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        Workspace ws = workspace(Math.max(1, rows));
        forward(x, rows, ws);
        System.arraycopy(ws.logits(), 0, out, 0, rows * Mlp.OUTPUTS);
    }

    /** Runs the batch forward; the logits end in {@link Workspace#logits()}. */
    public void forward(float[] x, int rows, Workspace ws) {
        ws.checkRows(rows);
        float[] input = x;
        for (int l = 0; l < layers.size(); l++) {
            QuantizedLayer layer = layers.get(l);
            float[] pre = ws.pre[l];
            Dense.affine(input, rows, layer.in(), layer.weightHatView(), layer.biasView(), layer.out(), pre);
            float[] act = ws.act[l];
            int n = rows * layer.out();
            if (l < layers.size() - 1) {
                System.arraycopy(pre, 0, act, 0, n);
                Dense.relu(act, n);
                UniformQuantizer aq = layer.activationQuantizer();
                if (aq != null) {
                    fakeQuantizePrefix(aq, act, n);
                }
            } else {
                System.arraycopy(pre, 0, act, 0, n);
            }
            input = act;
        }
    }

    private static void fakeQuantizePrefix(UniformQuantizer aq, float[] a, int n) {
        float s = aq.params().scale(0);
        float inv = 1f / s;
        int z = aq.params().zeroPoint(0);
        int qmin = aq.spec().qmin();
        int qmax = aq.spec().qmax();
        for (int i = 0; i < n; i++) {
            a[i] = UniformQuantizer.dequantize(UniformQuantizer.code(a[i], inv, z, qmin, qmax), s, z);
        }
    }

    @Override
    public void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx) {
        Workspace ws = workspace(Math.max(1, rows));
        forward(x, rows, ws);
        System.arraycopy(ws.logits(), 0, logits, 0, rows * Mlp.OUTPUTS);
        float[] delta = ws.delta[layers.size() - 1];
        System.arraycopy(dLogits, 0, delta, 0, rows * Mlp.OUTPUTS);
        for (int l = layers.size() - 1; l >= 0; l--) {
            QuantizedLayer layer = layers.get(l);
            if (l == 0) {
                Dense.affineInputGrad(delta, rows, layer.out(), layer.weightHatView(), layer.in(), dx);
                break;
            }
            QuantizedLayer prevLayer = layers.get(l - 1);
            float[] prev = ws.delta[l - 1];
            Dense.affineInputGrad(delta, rows, layer.out(), layer.weightHatView(), layer.in(), prev);
            float[] pre = ws.pre[l - 1];
            UniformQuantizer aq = prevLayer.activationQuantizer();
            int n = rows * layer.in();
            if (aq == null) {
                Dense.reluGrad(pre, prev, n);
            } else {
                float inv = 1f / aq.params().scale(0);
                int z = aq.params().zeroPoint(0);
                int qmin = aq.spec().qmin();
                int qmax = aq.spec().qmax();
                for (int i = 0; i < n; i++) {
                    if (!(pre[i] > 0f) || !UniformQuantizer.inRange(pre[i], inv, z, qmin, qmax)) {
                        prev[i] = 0f;
                    }
                }
            }
            delta = prev;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedMlp m && m.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    /** Per-layer pre-activation, activation and delta buffers. */
    public static final class Workspace {
        private final int capacity;
        private final float[][] pre;
        private final float[][] act;
        private final float[][] delta;

        private Workspace(QuantizedMlp net, int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
            }
            this.capacity = capacity;
            int n = net.layers.size();
            pre = new float[n][];
            act = new float[n][];
            delta = new float[n][];
            for (int l = 0; l < n; l++) {
                int w = capacity * net.layers.get(l).out();
                pre[l] = new float[w];
                act[l] = new float[w];
                delta[l] = new float[w];
            }
        }

        /** The logits of the last forward pass, (rows x 2). */
        public float[] logits() {
            return act[act.length - 1];
        }

        /** The (possibly fake-quantized) ReLU output of hidden layer {@code l}. */
        public float[] activation(int l) {
            return act[l];
        }

        private void checkRows(int rows) {
            if (rows < 0 || rows > capacity) {
                throw new IllegalArgumentException("rows must be in [0, " + capacity + "], got " + rows);
            }
        }
    }
}
