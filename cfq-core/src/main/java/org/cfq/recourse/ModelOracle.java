package org.cfq.recourse;

import java.util.Objects;
import org.cfq.math.Parallelism;
import org.cfq.model.Classifier;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.FrozenMlp;
import org.cfq.model.Mlp;

/**
 * Batched forward (and backward) passes for recourse searches, allocation-free per step: an
 * {@link Mlp} runs on one {@link Mlp.Workspace} sized for the largest batch; any other
 * classifier goes through its interface methods.
 *
 * <p>Not thread-safe: one oracle per search.
 */
public final class ModelOracle {
    private final Classifier model;
    private final Mlp mlp;
    private final Mlp.Workspace ws;
    private final float[] logits;
    private final float[] scratch;
    private final int capacity;
    private final Parallelism par;
    private final FrozenMlp.Workspace fws;

    private ModelOracle(Classifier model, int capacity, Parallelism par, FrozenMlp frozen) {
        this.par = Objects.requireNonNull(par, "par");
        this.model = Objects.requireNonNull(model, "model");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.fws = frozen != null ? frozen.workspace(capacity) : null;
        this.mlp = model instanceof Mlp m && frozen == null ? m : null;
        this.ws = mlp != null ? mlp.workspace(capacity) : null;
        this.logits = mlp != null || fws != null ? null : new float[capacity * 2];
        this.scratch = mlp != null || fws != null ? null : new float[capacity * 2];
    }

    /** An oracle for batches of up to {@code capacity} rows. */
    public static ModelOracle of(Classifier model, int capacity) {
        return new ModelOracle(model, capacity, Parallelism.defaults(), null);
    }

    /**
     * An oracle whose {@link Mlp} kernels split each call over at most {@code par} threads
     * (pass {@link Parallelism#single()} when oracles already run on parallel threads). Other
     * classifiers run through their interface methods, which choose their own threading.
     */
    public static ModelOracle of(Classifier model, int capacity, Parallelism par) {
        return new ModelOracle(model, capacity, par, null);
    }

    /**
     * An oracle on the calling thread for a search that holds the model fixed: an {@link Mlp}
     * runs as a {@link FrozenMlp} (weights transposed once, zeros skipped; same values), built
     * by the caller once and shared by its oracles. {@link #backward} then fills only the
     * frozen network's gradient columns (0 elsewhere). Other classifiers run as in {@link #of}.
     *
     * @param frozen {@code model} frozen, or null when {@code model} is not an {@link Mlp}
     */
    public static ModelOracle frozen(Classifier model, FrozenMlp frozen, int capacity) {
        if (frozen != null && !(model instanceof Mlp m && m.inputDim() == frozen.inputDim())) {
            throw new IllegalArgumentException("frozen must be the Mlp model frozen, got a "
                    + model.getClass().getSimpleName());
        }
        return new ModelOracle(model, capacity, Parallelism.single(), frozen);
    }

    public int capacity() {
        return capacity;
    }

    /** Runs the rows forward; the logits are then in {@link #logits()}, (rows x 2). */
    public void forward(float[] x, int rows) {
        if (fws != null) {
            fws.frozen().forward(x, rows, fws);
        } else if (mlp != null) {
            mlp.forward(x, rows, ws, par);
        } else {
            model.logits(x, rows, logits);
        }
    }

    /** The logits of the last forward pass (live buffer). */
    public float[] logits() {
        return fws != null ? fws.logits() : mlp != null ? ws.logits() : logits;
    }

    /**
     * The input gradient of {@code sum_r <dLogits_r, logits_r>} at the rows of the last
     * {@link #forward} call.
     *
     * @param dx (rows x width), overwritten
     * @throws IllegalStateException when the model is not differentiable
     */
    public void backward(float[] x, int rows, float[] dLogits, float[] dx) {
        if (fws != null) {
            fws.frozen().backward(rows, fws, dLogits, dx);
        } else if (mlp != null) {
            mlp.backward(x, rows, ws, dLogits, null, dx, par);
        } else if (model instanceof DifferentiableClassifier d) {
            d.logitsAndInputGradient(x, rows, dLogits, scratch, dx);
        } else {
            throw new IllegalStateException("model " + model.getClass().getSimpleName() + " has no input gradient");
        }
    }

    /** Number of float multiply-adds x2 of one forward pass of one row (0 when unknown). */
    public long forwardFlopsPerRow() {
        if (fws != null) {
            return fws.frozen().forwardFlopsPerRow();
        }
        if (mlp == null) {
            return 0;
        }
        long f = 0;
        for (var l : mlp.layers()) {
            f += 2L * l.in() * l.out();
        }
        return f;
    }
}
