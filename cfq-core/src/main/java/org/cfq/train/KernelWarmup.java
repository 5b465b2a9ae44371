package org.cfq.train;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.cfq.model.FrozenMlp;
import org.cfq.model.Mlp;

/**
 * Runs the hot kernels of training and of the recourse search on throw-away data in a background
 * thread, so that the JIT compiles them while a fresh process is still starting up.
 *
 * <p>Why: the {@link Dense} kernels run on the vector API, which is fast only once C2 has
 * compiled them; interpreted or in C1 every vector operation is a call and an allocation. In a
 * fresh {@code cfq train --dataset adult} the first epoch took ~0.9 s against ~0.05 s for each
 * later one, most of it spent reaching C2's thresholds, while the ~0.5 s of start-up before it
 * (arguments, reading and encoding the data) ran on one thread (docs/benchmarks.md, issue 16).
 * The JIT counts calls and loop turns, not arithmetic, so each round here calls every kernel a
 * training step (or a recourse search step) calls once, with the column counts of a network
 * {@code width -> hidden -> 2} (so each kernel takes the branches it takes in real use: vector
 * pairs, overlapping tail vectors, the narrow 2-logit layer, a last tile of one row) but with
 * short reductions and few rows: a round costs a few percent of a real batch's arithmetic.
 * First of all it hashes two megabytes with SHA-256, the digest of every trained model's
 * provenance ({@link #hashing}).
 *
 * <p>It changes no result: it reads and writes only arrays it allocated itself, shares no
 * mutable state (the kernels keep their scratch per thread), and every kernel gives the same
 * bits compiled or not. It is a daemon thread, stops after the round in progress when
 * {@link #close()} is called, and moves on (from training to the search) or ends by itself once
 * {@value #FAST_ROUNDS} rounds have each run in under a millisecond (the kernels are compiled:
 * more rounds would only take CPU from real work), and after {@value #MAX_ROUNDS} rounds at most.
 */
public final class KernelWarmup implements AutoCloseable {
    /** The most rounds the thread runs. */
    public static final int MAX_ROUNDS = 3000;
    /** Rounds under {@link #FAST_NANOS} after which the thread ends: the kernels are compiled. */
    public static final int FAST_ROUNDS = 200;
    /** A round this fast runs compiled kernels (interpreted, a round takes tens of milliseconds). */
    static final long FAST_NANOS = 1_000_000;
    /** Bytes the thread hashes with SHA-256 before it runs the kernels. */
    static final int HASHED_BYTES = 2 * 1024 * 1024;
    /** The encoded width of the built-in Adult dataset, the default shape. */
    public static final int DEFAULT_WIDTH = 90;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int rounds;

    private KernelWarmup(int width, int[] hidden, boolean search) {
        // The data is made on the warm-up thread too: the caller's thread only starts it.
        thread = new Thread(() -> run(new Rounds(width, hidden), search), "cfq-kernel-warmup");
        thread.setDaemon(true);
    }

    /**
     * Starts the warm-up for the default teacher's layers (128-64) on rows {@link #DEFAULT_WIDTH}
     * wide.
     *
     * @param search after the training kernels, also those of the recourse search
     */
    public static KernelWarmup start(boolean search) {
        return start(DEFAULT_WIDTH, TrainingConfig.defaults().hiddenArray(), search);
    }

    /**
     * Starts the warm-up for a network {@code width -> hidden -> 2}: first the kernels of a
     * training step until they run compiled, then, when {@code search}, those of a recourse
     * search step until they do.
     *
     * @throws IllegalArgumentException when a width is not positive
     */
    public static KernelWarmup start(int width, int[] hidden, boolean search) {
        if (width < 1 || java.util.Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("widths must be positive, got " + width + " and "
                    + java.util.Arrays.toString(hidden));
        }
        KernelWarmup w = new KernelWarmup(width, hidden.clone(), search);
        w.thread.start();
        return w;
    }

    /** {@return how many rounds the thread has finished} */
    public int rounds() {
        return rounds;
    }

    /** Asks the thread to stop after the round in progress; returns at once. */
    @Override
    public void close() {
        stop = true;
    }

    /** Waits up to {@code millis} for the thread to end; {@return whether it ended} */
    public boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run(Rounds work, boolean search) {
        // The hash first: its compile is short and then waits for nothing. Training comes next
        // in every command that trains; the search follows it.
        hashing();
        int r = phase(work, false, 0);
        if (search) {
            phase(work, true, r);
        }
    }

    /** Rounds of one phase until they run compiled; {@return the rounds run so far} */
    private int phase(Rounds work, boolean search, int r) {
        int fast = 0;
        for (int i = 0; i < MAX_ROUNDS && fast < FAST_ROUNDS && !stop; i++, r++) {
            long t0 = System.nanoTime();
            if (search) {
                work.search(i);
            } else {
                work.training(i);
            }
            if (System.nanoTime() - t0 < FAST_NANOS) {
                fast++;
            }
            rounds = r + 1;
        }
        return r;
    }

    /**
     * SHA-256 over {@value #HASHED_BYTES} throw-away bytes: every trained model's provenance
     * hashes its training split (3 MB on Adult), and cold, in the interpreter and C1 without the
     * SHA intrinsic, that took ~0.08 s of a fresh {@code cfq train}. Hashed here before the
     * kernels queue their compiles, C2 has the intrinsic ready within ~0.35 s of start-up; hashed
     * after them, its compile waited behind theirs until the real hash had run (issue 16).
     */
    private void hashing() {
        if (stop) {
            return;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[4096];
            for (int done = 0; done < HASHED_BYTES && !stop; done += block.length) {
                block[done % block.length] ^= 1;
                md.update(block, 0, block.length);
            }
            md.digest();
        } catch (NoSuchAlgorithmException e) {
            // Every JDK has SHA-256; without it there is nothing to warm.
        }
    }

    /** The data of the rounds, owned by the warm-up thread alone. */
    static final class Rounds {
        /** Reduction length of the forward and input-gradient calls: short, so calls are cheap. */
        private static final int K = 16;
        /**
         * Rows per round, in turn: 29 ends in a tile of one row (Adult's last training batch), 20
         * in whole tiles (its last validation chunk), 32 and 48 cover the 2-logit layer's
         * 16-row lanes.
         */
        private static final int[] ROWS = {29, 20, 32, 48};
        private static final int MAX_ROWS = 48;
        /**
         * Rows of the weight gradient, whose reduction runs over rows: its tiles walk the layer's
         * outputs and inputs, whatever the row count, so a few rows suffice.
         */
        private static final int GRAD_ROWS = 8;

        private final int[] dims;
        private final float[] a;
        private final float[] dy;
        private final float[] c;
        private final float[] w;
        private final float[] wt;
        private final float[] bias;
        private final float[][] dw;
        private final float[][] db;
        private final AdamW opt = new AdamW(1e-3, 1e-4);
        private final int[] labels = new int[MAX_ROWS];
        private final float[] dLogits = new float[MAX_ROWS * Mlp.OUTPUTS];
        private final FrozenMlp frozen;
        private final FrozenMlp.Workspace fws;
        private final float[] sparseX;
        private final float[] dx;
        private final float[] z;
        private final float[] th;
        private final float[] lo;
        private final float[] hi;

        Rounds(int width, int[] hidden) {
            if (width < 1) {
                throw new IllegalArgumentException("width must be positive, got " + width);
            }
            SplittableRandom rng = new SplittableRandom(0x5eedL);
            int layers = hidden.length + 1;
            dims = new int[layers + 1];
            dims[0] = width;
            System.arraycopy(hidden, 0, dims, 1, hidden.length);
            dims[layers] = Mlp.OUTPUTS;
            int maxDim = 0;
            for (int d : dims) {
                if (d < 1) {
                    throw new IllegalArgumentException("widths must be positive, got " + d);
                }
                maxDim = Math.max(maxDim, d);
            }
            a = random(rng, MAX_ROWS * maxDim);
            dy = random(rng, MAX_ROWS * maxDim);
            c = new float[MAX_ROWS * maxDim];
            w = random(rng, maxDim * maxDim);
            wt = new float[maxDim * maxDim];
            bias = random(rng, maxDim);
            dw = new float[layers][];
            db = new float[layers][];
            for (int l = 0; l < layers; l++) {
                dw[l] = new float[dims[l] * dims[l + 1]];
                db[l] = new float[dims[l + 1]];
                opt.register(random(rng, dw[l].length), dw[l], true);
                opt.register(new float[db[l].length], db[l], false);
            }
            for (int r = 0; r < MAX_ROWS; r++) {
                labels[r] = rng.nextInt(2);
            }
            // The recourse search's model: weights transposed once, zero inputs skipped, the
            // input gradient taken on the mutable columns (here every other one).
            Mlp net = Mlp.initialize(width, hidden, rng.split());
            int[] columns = new int[(width + 1) / 2];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = 2 * i;
            }
            frozen = new FrozenMlp(net, columns);
            fws = frozen.workspace(MAX_ROWS);
            // Encoded rows are mostly zeros (one-hot columns) with a few standardised values.
            sparseX = new float[MAX_ROWS * width];
            for (int i = 0; i < sparseX.length; i++) {
                sparseX[i] = rng.nextInt(8) == 0 ? (float) (rng.nextDouble() * 4 - 2) : 0f;
            }
            dx = new float[MAX_ROWS * width];
            z = sparseX.clone();
            th = new float[width];
            lo = new float[width];
            hi = new float[width];
            for (int i = 0; i < width; i++) {
                th[i] = (float) (rng.nextDouble() * 0.01);
                lo[i] = i % 5 == 0 ? 0f : -3f;
                hi[i] = i % 5 == 0 ? 0f : 3f;
            }
        }

        /** One round of a training step's kernels. */
        void training(int r) {
            int rows = ROWS[r % ROWS.length];
            Parallelism one = Parallelism.single();
            int layers = dims.length - 1;
            for (int l = 0; l < layers; l++) {
                int in = dims[l];
                int out = dims[l + 1];
                // Training's forward: the layer's output columns from a short reduction.
                Dense.transpose(w, out, K, wt);
                Dense.affineTransposed(a, rows, K, wt, bias, out, c, one);
                if (l < layers - 1) {
                    Dense.relu(c, rows * out);
                } else {
                    Losses.softmaxCrossEntropy(c, labels, 0, rows, 1.0 / rows, dLogits);
                    Losses.correct(c, labels, 0, rows);
                }
                // Its backward: the weight gradient at the layer's own shape over a few rows, the
                // input gradient (the layer's input columns) from a short reduction.
                Dense.affineWeightGrad(dy, a, GRAD_ROWS, in, out, dw[l], db[l], one);
                if (l > 0) {
                    Dense.affineInputGrad(dy, rows, Math.min(out, K), w, in, c, one);
                    Dense.reluGrad(a, c, rows * in);
                }
                // Scoring a few rows (an audit's or a search's single factuals): the gathering kernel.
                if (out >= K) {
                    Dense.affine(a, 3, K, w, bias, out, c, one);
                }
            }
            opt.step();
        }

        /**
         * One round of a recourse search step's kernels: forward and input gradient of the frozen
         * model, then the proximal step and the box.
         */
        void search(int r) {
            int rows = ROWS[r % ROWS.length];
            int width = dims[0];
            frozen.forward(sparseX, rows, fws);
            Losses.softmaxCrossEntropy(fws.logits(), labels, 0, rows, 1.0 / rows, dLogits);
            frozen.backward(rows, fws, dLogits, dx);
            Dense.softThresholdClamp(z, sparseX, 0, dx, 0, th, 0, lo, hi, 0, width, 1e-3f);
            Dense.clamp(z, width, lo, hi, 0, width);
        }

        private static float[] random(SplittableRandom rng, int n) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            return v;
        }
    }
}
