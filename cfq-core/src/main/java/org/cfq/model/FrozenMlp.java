package org.cfq.model;

import java.util.Arrays;
import java.util.List;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;

/**
 * An {@link Mlp}'s weights copied once, for many forward and input-gradient passes with the
 * weights fixed (a recourse search): the forward weights are transposed once instead of on
 * every {@link Mlp#forward} call, and the passes skip zeros ({@link Dense#sparseRows}): the
 * one-hot inputs (a handful of nonzero columns out of ~90 on Adult), the activations the ReLU
 * zeroed and the gradients it masked. Every value equals what {@link Mlp#forward} and
 * {@link Mlp#backward} compute on the same rows, bit for bit (a skipped term adds a zero).
 *
 * <p>The input gradient can be restricted to some columns (the mutable ones of a search, whose
 * other columns are reset to the factual after each step): the others are then 0.
 *
 * <p>Immutable once built; later changes to the source network's weights are not seen. Each
 * thread uses its own {@link Workspace}.
 */
public final class FrozenMlp {
    private final int layers;
    private final int[] in;
    private final int[] out;
    /** Per layer, the weight transposed to (in x out), for the forward pass. */
    private final float[][] wt;
    /** Per layer, the weight as stored (out x in), for the backward pass. */
    private final float[][] w;
    private final float[][] b;
    /** The first layer's weight restricted to {@code columns}, (out x columns.length); null for all. */
    private final float[] w0Cols;
    private final int[] columns;
    private final int maxWidth;
    /** Layers narrower than one AVX-512 vector of floats take the dense kernel. */
    private static final int NARROW = 16;

    /**
     * @param net     the network, copied
     * @param columns input columns whose gradient {@link #backward} computes, ascending and
     *                distinct; null for every column
     */
    public FrozenMlp(Mlp net, int[] columns) {
        List<DenseLayer> ls = net.layers();
        layers = ls.size();
        in = new int[layers];
        out = new int[layers];
        wt = new float[layers][];
        w = new float[layers][];
        b = new float[layers][];
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            DenseLayer d = ls.get(l);
            in[l] = d.in();
            out[l] = d.out();
            w[l] = d.weight().clone();
            b[l] = d.bias().clone();
            wt[l] = new float[w[l].length];
            Dense.transpose(w[l], out[l], in[l], wt[l]);
            widest = Math.max(widest, Math.max(in[l], out[l]));
        }
        maxWidth = widest;
        if (columns != null) {
            for (int i = 0; i < columns.length; i++) {
                if (columns[i] < 0 || columns[i] >= in[0] || i > 0 && columns[i] <= columns[i - 1]) {
                    throw new IllegalArgumentException("columns must be ascending, distinct and in [0, " + in[0]
                            + "), got " + Arrays.toString(columns));
                }
            }
            this.columns = columns.clone();
            int m = columns.length;
            w0Cols = new float[out[0] * m];
            for (int o = 0; o < out[0]; o++) {
                for (int i = 0; i < m; i++) {
                    w0Cols[o * m + i] = w[0][o * in[0] + columns[i]];
                }
            }
        } else {
            this.columns = null;
            w0Cols = null;
        }
    }

    public int inputDim() {
        return in[0];
    }

    /** Multiply-adds x2 of one row's dense forward pass (the flop count a benchmark reports). */
    public long forwardFlopsPerRow() {
        long f = 0;
        for (int l = 0; l < layers; l++) {
            f += 2L * in[l] * out[l];
        }
        return f;
    }

    public Workspace workspace(int capacity) {
        return new Workspace(capacity);
    }

    /** Runs the rows forward; the logits end in {@link Workspace#logits()}. Same bits as {@link Mlp#forward}. */
    public void forward(float[] x, int rows, Workspace ws) {
        ws.check(rows);
        float[] input = x;
        for (int l = 0; l < layers; l++) {
            float[] y = ws.act[l];
            if (out[l] < NARROW) {
                // The 2-logit layer: the dense kernel's lanes walk rows, better than a row at a time.
                Dense.affineTransposed(input, rows, in[l], wt[l], b[l], out[l], y, Parallelism.single());
            } else if (l > 0) {
                // The lists the ReLU of the layer before made: the ones sparseRows would make of its
                // activation, so the same values.
                Dense.sparseRowsOnLists(input, rows, in[l], wt[l], b[l], out[l], y, ws.lists[l - 1],
                        ws.counts[l - 1]);
            } else {
                Dense.sparseRows(input, rows, in[l], wt[l], b[l], out[l], y, ws.nz);
            }
            if (l < layers - 1) {
                // The lists over a hidden activation serve the next layer and the backward pass (see backward).
                Dense.reluKeepingLists(y, rows, out[l], ws.lists[l], ws.counts[l]);
            }
            input = y;
        }
        ws.forwardRows = rows;
    }

    /**
     * The input gradient of {@code sum_r <dLogits_r, logits_r>} at the rows of the last
     * {@link #forward} on this workspace: same bits as {@link Mlp#backward} on the chosen
     * columns, 0 on the others.
     *
     * @param dx (rows x inputDim), overwritten
     */
    public void backward(int rows, Workspace ws, float[] dLogits, float[] dx) {
        ws.check(rows);
        float[] delta = ws.delta[layers - 1];
        System.arraycopy(dLogits, 0, delta, 0, rows * out[layers - 1]);
        for (int l = layers - 1; l > 0; l--) {
            float[] prev = ws.delta[l - 1];
            sparseBackward(delta, rows, l, w[l], in[l], prev, ws);
            Dense.reluGrad(ws.act[l - 1], prev, rows * in[l]);
            delta = prev;
        }
        if (columns == null) {
            sparseBackward(delta, rows, 0, w[0], in[0], dx, ws);
            return;
        }
        int m = columns.length;
        sparseBackward(delta, rows, 0, w0Cols, m, ws.dxCols, ws);
        int width = in[0];
        Arrays.fill(dx, 0, rows * width, 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            int p = r * m;
            for (int i = 0; i < m; i++) {
                dx[o + columns[i]] = ws.dxCols[p + i];
            }
        }
    }

    /**
     * {@code c = delta W} for layer {@code l}'s backward pass, delta (rows x out[l]) zero of either
     * sign wherever the ReLU zeroed layer l's activation (reluGrad) when l is hidden. The forward
     * pass's ReLU listed, per group of four rows, the columns where that activation is nonzero: a
     * superset of delta's nonzero columns, which {@link Dense#sparseRowsOnLists} takes as they are
     * (same values, bias null) instead of listing delta's columns again. The logit layer's delta
     * (not masked) and a backward pass over other rows than the last forward pass's list their own.
     */
    private void sparseBackward(float[] delta, int rows, int l, float[] weight, int n, float[] c, Workspace ws) {
        if (l < layers - 1 && ws.forwardRows == rows) {
            Dense.sparseRowsOnLists(delta, rows, out[l], weight, null, n, c, ws.lists[l], ws.counts[l]);
        } else {
            Dense.sparseRows(delta, rows, out[l], weight, null, n, c, ws.nz);
        }
    }

    /** Activation, gradient and index buffers for batches of up to a fixed number of rows. */
    public final class Workspace {
        private final int capacity;
        private final float[][] act;
        private final float[][] delta;
        private final float[] dxCols;
        private final int[] nz;
        /**
         * Per hidden layer l: the lists of the nonzero columns of its activation in the last forward
         * pass, per group of four rows ({@link Dense#reluKeepingLists}); null for the logit layer.
         */
        private final int[][] lists;
        private final int[][] counts;
        /** Rows of the last forward pass, -1 before the first. */
        private int forwardRows = -1;

        private Workspace(int capacity) {
            if (capacity <= 0) {
                throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
            }
            this.capacity = capacity;
            act = new float[layers][];
            delta = new float[layers][];
            for (int l = 0; l < layers; l++) {
                act[l] = new float[capacity * out[l]];
                delta[l] = new float[capacity * out[l]];
            }
            dxCols = columns == null ? null : new float[capacity * columns.length];
            nz = new int[maxWidth];
            lists = new int[layers][];
            counts = new int[layers][];
            int groups = (capacity + 3) / 4;
            for (int l = 0; l < layers - 1; l++) {
                lists[l] = new int[groups * out[l]];
                counts[l] = new int[groups];
            }
        }

        /** {@return the network these buffers serve} */
        public FrozenMlp frozen() {
            return FrozenMlp.this;
        }

        /** The logits of the last forward pass, (rows x 2); live buffer. */
        public float[] logits() {
            return act[layers - 1];
        }

        public int capacity() {
            return capacity;
        }

        private void check(int rows) {
            if (rows < 0 || rows > capacity) {
                throw new IllegalArgumentException("rows must be in [0, " + capacity + "], got " + rows);
            }
        }
    }
}
