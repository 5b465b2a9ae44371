package org.cfq.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;

/**
 * A multilayer perceptron with ReLU hidden layers and two output logits.
 * Logistic regression is the case with no hidden layer.
 *
 * <p>The forward and backward passes run a whole batch as matrix products. Callers
 * that loop (training, recourse) pass a {@link Workspace} so nothing is allocated per
 * step; the convenience methods allocate one per call.
 */
public final class Mlp implements DifferentiableClassifier {
    /** Output width: two-class logits. */
    public static final int OUTPUTS = 2;

    /** Batches of at least this many rows run the forward pass on transposed weights (same bits). */
    private static final int TRANSPOSE_MIN_ROWS = 4;

    private final List<DenseLayer> layers;

    /**
     * @param layers the affine layers, first to last; consecutive shapes must chain and
     *               the last layer must have {@value #OUTPUTS} outputs
     */
    public Mlp(List<DenseLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs at least one layer, got none");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).in()
                        + " inputs but layer " + (l - 1) + " gives " + layers.get(l - 1).out());
            }
        }
        if (layers.get(layers.size() - 1).out() != OUTPUTS) {
            throw new IllegalArgumentException("the last layer must have " + OUTPUTS + " outputs, got "
                    + layers.get(layers.size() - 1).out());
        }
        this.layers = List.copyOf(layers);
    }

    /**
     * A freshly initialised network: He-uniform weights (suited to ReLU), zero biases.
     *
     * @param hidden hidden layer widths, empty for logistic regression
     */
    public static Mlp initialize(int inputDim, int[] hidden, SplittableRandom rng) {
        List<DenseLayer> layers = new ArrayList<>();
        int in = inputDim;
        for (int l = 0; l <= hidden.length; l++) {
            int out = l < hidden.length ? hidden[l] : OUTPUTS;
            if (out <= 0) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + Arrays.toString(hidden));
            }
            float[] w = new float[in * out];
            double bound = Math.sqrt(6.0 / in);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            layers.add(new DenseLayer(in, out, w, new float[out]));
            in = out;
        }
        return new Mlp(layers);
    }

    @Override
    public int inputDim() {
        return layers.get(0).in();
    }

    /** The layers, first to last. The list is unmodifiable; the arrays inside are live. */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** {@return the hidden widths, empty for logistic regression} */
    public int[] hiddenSizes() {
        int[] h = new int[layers.size() - 1];
        for (int l = 0; l < h.length; l++) {
            h[l] = layers.get(l).out();
        }
        return h;
    }

    public int parameterCount() {
        int n = 0;
        for (DenseLayer l : layers) {
            n += l.parameterCount();
        }
        return n;
    }

    /** A deep copy: training the copy leaves this network unchanged. */
    public Mlp copy() {
        List<DenseLayer> c = new ArrayList<>(layers.size());
        for (DenseLayer l : layers) {
            c.add(l.copy());
        }
        return new Mlp(c);
    }

    /** A workspace for batches of up to {@code capacity} rows. */
    public Workspace workspace(int capacity) {
        return new Workspace(this, capacity);
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        Workspace ws = workspace(Math.max(1, rows)); // an empty batch is valid (e.g. an audit with no factuals)
        forward(x, rows, ws);
        System.arraycopy(ws.logits(), 0, out, 0, rows * OUTPUTS);
    }

    /**
     * Runs the batch forward, keeping every layer's activation in the workspace.
     * The logits end in {@link Workspace#logits()}. The kernels use {@link Parallelism#defaults()}.
     */
    public void forward(float[] x, int rows, Workspace ws) {
        forward(x, rows, ws, Parallelism.defaults());
    }

    /**
     * {@link #forward(float[], int, Workspace)} with the kernels split over at most
     * {@code par} threads ({@link Parallelism#single()} inside an outer parallel loop); the
     * result does not depend on {@code par}.
     */
    public void forward(float[] x, int rows, Workspace ws, Parallelism par) {
        ws.checkRows(rows);
        float[] input = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            float[] y = ws.activations[l];
            if (rows >= TRANSPOSE_MIN_ROWS) {
                // The transposed kernel is the fast one; transposing costs one pass over the
                // weight, and is redone every call because training updates weights in place.
                Dense.transpose(layer.weight(), layer.out(), layer.in(), ws.transposed[l]);
                Dense.affineTransposed(input, rows, layer.in(), ws.transposed[l], layer.bias(), layer.out(), y, par);
            } else {
                Dense.affine(input, rows, layer.in(), layer.weight(), layer.bias(), layer.out(), y, par);
            }
            if (l < layers.size() - 1) {
                Dense.relu(y, rows * layer.out());
            }
            input = y;
        }
    }

    /**
     * Back-propagates {@code dLogits} through the batch last run by
     * {@link #forward(float[], int, Workspace)} on the same {@code x}.
     *
     * @param grads weight gradients, accumulated into; null to skip
     * @param dx    input gradient, (rows x inputDim), overwritten; null to skip
     */
    public void backward(float[] x, int rows, Workspace ws, float[] dLogits, Gradients grads, float[] dx) {
        backward(x, rows, ws, dLogits, grads, dx, Parallelism.defaults());
    }

    /**
     * {@link #backward(float[], int, Workspace, float[], Gradients, float[])} with the kernels
     * split over at most {@code par} threads; the result does not depend on {@code par}.
     */
    public void backward(float[] x, int rows, Workspace ws, float[] dLogits, Gradients grads, float[] dx,
                         Parallelism par) {
        ws.checkRows(rows);
        float[] delta = ws.deltas[layers.size() - 1];
        System.arraycopy(dLogits, 0, delta, 0, rows * OUTPUTS);
        for (int l = layers.size() - 1; l >= 0; l--) {
            DenseLayer layer = layers.get(l);
            float[] input = l == 0 ? x : ws.activations[l - 1];
            if (grads != null) {
                Dense.affineWeightGrad(delta, input, rows, layer.in(), layer.out(), grads.weight[l], grads.bias[l], par);
            }
            if (l > 0) {
                float[] prev = ws.deltas[l - 1];
                Dense.affineInputGrad(delta, rows, layer.out(), layer.weight(), layer.in(), prev, par);
                Dense.reluGrad(ws.activations[l - 1], prev, rows * layer.in());
                delta = prev;
            } else if (dx != null) {
                Dense.affineInputGrad(delta, rows, layer.out(), layer.weight(), layer.in(), dx, par);
            }
        }
    }

    @Override
    public void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx) {
        Workspace ws = workspace(Math.max(1, rows)); // an empty batch is valid (e.g. an audit with no factuals)
        forward(x, rows, ws);
        System.arraycopy(ws.logits(), 0, logits, 0, rows * OUTPUTS);
        backward(x, rows, ws, dLogits, null, dx);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp m && m.layers.equals(layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    /** Per-layer activation and delta buffers for batches of up to a fixed number of rows. */
    public static final class Workspace {
        private final int capacity;
        private final float[][] activations;
        private final float[][] deltas;
        /** Per layer, the weight transposed to (in x out), refreshed by every forward pass. */
        private final float[][] transposed;

        private Workspace(Mlp net, int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
            }
            this.capacity = capacity;
            int n = net.layers.size();
            activations = new float[n][];
            deltas = new float[n][];
            transposed = new float[n][];
            for (int l = 0; l < n; l++) {
                transposed[l] = new float[net.layers.get(l).weight().length];
                activations[l] = new float[capacity * net.layers.get(l).out()];
                deltas[l] = new float[capacity * net.layers.get(l).out()];
            }
        }

        /** The logits of the last forward pass, (rows x 2). */
        public float[] logits() {
            return activations[activations.length - 1];
        }

        /** The activation after layer {@code l} (post-ReLU for hidden layers). */
        public float[] activation(int l) {
            return activations[l];
        }

        public int capacity() {
            return capacity;
        }

        private void checkRows(int rows) {
            if (rows < 0 || rows > capacity) {
                throw new IllegalArgumentException("rows must be in [0, " + capacity + "], got " + rows);
            }
        }
    }

    /** Weight and bias gradients with the network's shapes. */
    public static final class Gradients {
        private final float[][] weight;
        private final float[][] bias;

        public Gradients(Mlp net) {
            int n = net.layers.size();
            weight = new float[n][];
            bias = new float[n][];
            for (int l = 0; l < n; l++) {
                weight[l] = new float[net.layers.get(l).weight().length];
                bias[l] = new float[net.layers.get(l).bias().length];
            }
        }

        public float[] weight(int layer) {
            return weight[layer];
        }

        public float[] bias(int layer) {
            return bias[layer];
        }

        public void zero() {
            for (int l = 0; l < weight.length; l++) {
                Arrays.fill(weight[l], 0f);
                Arrays.fill(bias[l], 0f);
            }
        }
    }
}
