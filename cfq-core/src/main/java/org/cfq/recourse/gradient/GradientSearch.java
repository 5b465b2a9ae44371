package org.cfq.recourse.gradient;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.cfq.data.Actionability;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.FrozenMlp;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.FeasibilityProjector;
import org.cfq.recourse.ModelOracle;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;

/**
 * The batched projected-gradient engine behind pgd, wachter and diverse.
 *
 * <p>Every (instance, restart) pair is one <em>slot</em>; all active slots form one matrix that
 * runs forward and backward together. A slot keeps a relaxed point z (numeric values in the box,
 * one-hot columns in [0, 1]); each step projects z onto the action set (p = P(z)), evaluates the
 * model at p, records p when it is valid and cheaper than the slot's best, and moves z by the
 * gradient of {@code lambda * (CE(f(p), favorable) + relu(m - margin(p)))} taken at p
 * (straight-through: the loss is always measured at a feasible point) followed by the proximal
 * step of {@code c * cost} (soft-thresholding for the L1 kinds, which keeps untouched features
 * exactly at the factual). Slots that are done (first valid point when stopping early, or no
 * improvement for {@code patience} steps) leave the matrix: the active set is compacted.
 *
 * <p>Threads: the rows of one step are cut into chunks of {@link #CHUNK_ROWS}; up to
 * {@link Parallelism#threads()} workers (the calling thread plus tasks on the shared
 * {@link ForkJoinPool#commonPool()}) take whole chunks in turn, each with its own buffers and
 * model workspace, and run the model kernels single-threaded. A chunk only touches its own rows
 * and their slots, and the step's totals are taken after every chunk ended, so the results are
 * identical for every thread count.
 *
 * <p>A {@link #run} call owns its buffers; concurrent calls on one instance are safe.
 */
public final class GradientSearch {

    /**
     * How the search proceeds.
     *
     * @param restarts         slots per instance: the first starts at d = 0, the others at seeded
     *                         uniform noise of half-width {@code noise} on the mutable columns
     * @param noise            restart noise half-width, standardized units
     * @param step             gradient step size
     * @param costWeight       c, the weight of the cost term
     * @param rounds           rounds of {@code stepsPerRound} steps; the outcome weight lambda is
     *                         multiplied by {@code lambdaFactor} after each round
     * @param stepsPerRound    steps per round
     * @param lambda0          outcome weight in the first round
     * @param lambdaFactor     growth of the outcome weight per round (1 keeps it fixed)
     * @param stopAtFirstValid a slot stops at its first valid projected point (CARLA's Wachter)
     * @param patience         a slot that has a valid point stops after this many steps without a
     *                         cheaper one; 0 runs every step
     * @param rule             how the outcome gradient becomes a step
     * @param refineSteps      with {@code stopAtFirstValid}: bisection steps on the segment between the
     *                         last invalid and the first valid relaxed point, keeping the valid end, so
     *                         the counterfactual sits just past the boundary (0 = none)
     */
    public record Schedule(int restarts, double noise, double step, double costWeight, int rounds, int stepsPerRound,
                           double lambda0, double lambdaFactor, boolean stopAtFirstValid, int patience,
                           StepRule rule, int refineSteps) {
        public Schedule {
            if (refineSteps < 0) {
                throw new IllegalArgumentException("refineSteps must be >= 0, got " + refineSteps);
            }
            Objects.requireNonNull(rule, "rule");
            if (restarts < 1) {
                throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
            }
            if (!(noise >= 0 && noise < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("noise must be in [0, inf), got " + noise);
            }
            if (!(step > 0 && step < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("step must be in (0, inf), got " + step);
            }
            if (!(costWeight >= 0 && costWeight < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("costWeight must be in [0, inf), got " + costWeight);
            }
            if (rounds < 1 || stepsPerRound < 0) {
                throw new IllegalArgumentException("rounds must be >= 1 and stepsPerRound >= 0, got " + rounds
                        + ", " + stepsPerRound);
            }
            if (!(lambda0 > 0 && lambda0 < Double.POSITIVE_INFINITY) || !(lambdaFactor >= 1
                    && lambdaFactor < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("lambda0 must be in (0, inf) and lambdaFactor in [1, inf), got "
                        + lambda0 + ", " + lambdaFactor);
            }
            if (patience < 0) {
                throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            }
        }

        /** Total number of gradient steps. */
        public int totalSteps() {
            return rounds * stepsPerRound;
        }
    }

    /** How the outcome term's gradient g (one row) becomes a step. */
    public enum StepRule {
        /** {@code step * g}: the plain gradient step. */
        GRADIENT,
        /** {@code step * g / ||g||_2}: every step moves the same L2 distance (normalized gradient descent). */
        NORMALIZED
    }

    /**
     * The best valid point of every slot. Slot {@code s} belongs to instance {@code s % rows}
     * and restart {@code s / rows}.
     *
     * @param rows     instances
     * @param width    model-space width
     * @param points   best valid projected point per slot, (rows*restarts x width); the factual
     *                 row where none was found
     * @param cost     its cost, +inf where none was found
     * @param margin   the model's margin there
     * @param flops    floating-point operations spent in the model (0 when unknown)
     */
    public record Outcome(int rows, int width, float[] points, double[] cost, double[] margin, long flops) {
        public boolean found(int slot) {
            return cost[slot] < Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Rows per forward/backward call: a chunk's activations (rows x (128 + 64) floats for the
     * default teacher, forward and backward) stay in the L2 cache, where one call on the whole
     * active set streams tens of megabytes per layer through memory.
     */
    public static final int CHUNK_ROWS = 512;

    private final ActionSpace space;
    private final FeasibilityProjector projector;
    private final Parallelism par;
    private final int chunkRows;
    private SearchProgress progress = SearchProgress.none();

    /** A search on all processors ({@link Parallelism#defaults()}). */
    public GradientSearch(ActionSpace space) {
        this(space, Parallelism.defaults());
    }

    /** A search whose chunks run on at most {@code par.threads()} threads. */
    public GradientSearch(ActionSpace space, Parallelism par) {
        this(space, par, CHUNK_ROWS);
    }

    /** With a chunk size other than {@link #CHUNK_ROWS} (tests: many chunks from a small batch). */
    GradientSearch(ActionSpace space, Parallelism par, int chunkRows) {
        this.space = Objects.requireNonNull(space, "space");
        this.par = Objects.requireNonNull(par, "par");
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        }
        this.chunkRows = chunkRows;
        this.projector = new FeasibilityProjector(space);
    }

    /** Sees the following runs advance, one report per step of the schedule (progress bars). */
    public void reportTo(SearchProgress p) {
        this.progress = Objects.requireNonNull(p, "progress");
    }

    /** How many threads a search may use. */
    public Parallelism parallelism() {
        return par;
    }

    public ActionSpace space() {
        return space;
    }

    /**
     * Runs the search for every factual row at once.
     *
     * @param factuals (rows x width), read only
     */
    public Outcome run(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest req,
                       Schedule sch) {
        return run(model, factuals, rows, req, sch, null);
    }

    /**
     * Runs the search with some features frozen per slot (diverse search: each restart explores
     * a different subset of features).
     *
     * @param frozen per slot and model-space column, true where the column must stay at the
     *               factual, (rows*restarts x width); null freezes nothing
     */
    public Outcome run(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest req,
                       Schedule sch, boolean[] frozen) {
        int w = space.width();
        if (model.inputDim() != w) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " columns, action space has " + w);
        }
        if (factuals.length < rows * w) {
            throw new IllegalArgumentException("factuals must hold " + rows + " x " + w + " floats, got "
                    + factuals.length);
        }
        int n = rows * sch.restarts();
        CostFunction cost = space.cost(req.cost());
        float[] weights = cost.weights();
        float[] best = new float[n * w];
        double[] bestCost = new double[n];
        double[] bestMargin = new double[n];
        Arrays.fill(bestCost, Double.POSITIVE_INFINITY);
        if (n == 0) {
            return new Outcome(rows, w, best, bestCost, bestMargin, 0);
        }
        float[] z = new float[n * w];
        float[] fx = new float[n * w];
        int[] slot = new int[n];
        int[] stale = new int[n];
        boolean refine = sch.stopAtFirstValid() && sch.refineSteps() > 0;
        float[] zPrev = refine ? new float[n * w] : null;
        float[] refLo = refine ? new float[n * w] : null;
        float[] refHi = refine ? new float[n * w] : null;
        boolean[] hasRef = refine ? new boolean[n] : null;
        boolean[] done = new boolean[n];
        SplittableRandom rng = new SplittableRandom(req.seed());
        // Active rows in instance order, the restarts of one instance side by side (slot s =
        // restart * rows + instance sits at row instance * restarts + restart): the model skips
        // zeros four rows at a time, and restarts of one person share most of their zeros (the
        // one-hot levels, the ReLU pattern), so the tiles run down shorter lists. Every row is
        // computed on its own, so the order changes no value.
        //
        // Every loop over rows or columns of this method lives in a helper: run itself is entered
        // once per search and loops only over steps, so the JIT never compiles it (an on-stack
        // compilation of run inlined the whole step, 70-95 KB of code that took the one C2
        // compiler thread 0.4-1.6 s per compilation, three to five times in the first rounds of a
        // fresh process, while the kernels waited in its queue; docs/benchmarks.md).
        int restarts = sch.restarts();
        interleave(factuals, rows, restarts, w, fx, best, slot);
        System.arraycopy(fx, 0, z, 0, n * w);
        if (restarts > 1 && sch.noise() > 0) {
            addNoise(z, rows, n, restarts, w, rng, sch.noise());
        }
        // clampRelaxed's box per factual row, made once: the clamp of the start points and of every
        // step is then a vector min/max (relaxedBounds' contract: the same values as clampRelaxed).
        float[] lo = new float[rows * w];
        float[] hi = new float[rows * w];
        projector.relaxedBounds(factuals, rows, lo, hi);
        clampRows(z, n, lo, hi, slot, rows, w);
        if (frozen != null && frozen.length != n * w) {
            throw new IllegalArgumentException("frozen must hold " + n + " x " + w + " flags, got " + frozen.length);
        }
        float[] move = frozen != null ? new float[n * w] : null;
        if (frozen != null) {
            freeze(frozen, slot, n, w, fx, z, move);
        }

        // The factuals' categorical levels, found once (the projection reads them on every step).
        int nf = space.features();
        int[] levels = projector.factualLevels(fx, n);
        int chunk = Math.min(n, chunkRows);
        // The normalized rule's step length reads the gradient of every column; the plain one moves
        // only columns that clampRelaxed does not reset to the factual, so only those are computed.
        float thresh = (float) (sch.step() * sch.costWeight()
                * (req.cost() == CostKind.MIXED ? CostFunction.MIXED_L1 : 1));
        float[] thRow = scaled(weights, thresh);
        Worker[] workers = workers(model, chunk, w, (n + chunk - 1) / chunk,
                sch.rule() == StepRule.GRADIENT ? mutableColumns() : null, thRow);
        long flopsPerRow = workers[0].oracle.forwardFlopsPerRow();
        long flops = 0;
        double req0 = req.requiredMargin();
        int active = n;
        int total = sch.totalSteps();
        float step = (float) sch.step();
        // The share of the cost that is L2 (its gradient step) and L1 (its soft-threshold step).
        double l2 = req.cost() == CostKind.L2 ? 1 : req.cost() == CostKind.MIXED ? 1 - CostFunction.MIXED_L1 : 0;
        for (int t = 0; t <= total && active > 0; t++) {
            progress.advanced(t, total + 1);
            double lambda = sch.lambda0() * Math.pow(sch.lambdaFactor(), Math.min(t, total - 1) / Math.max(1,
                    sch.stepsPerRound()));
            Arrays.fill(done, 0, active, false);
            int tt = t;
            int activeT = active;
            forEachChunk(workers, active, chunk, (wk, c0) -> {
                int rowsC = Math.min(chunk, activeT - c0);
                float[] p = wk.p;
                float[] dx = wk.dx;
                float[] dLogits = wk.dLogits;
                ModelOracle oracle = wk.oracle;
                System.arraycopy(z, c0 * w, p, 0, rowsC * w);
                // z keeps its immutable columns at the factual, bit for bit (clampRelaxed, then the
                // clamp of every step, whose box is the factual there), so p copied from z does too.
                projector.project(fx, c0 * w, p, 0, rowsC, req.sparsity(), weights, levels, c0 * nf, true);
                oracle.forward(p, rowsC);
                float[] logits = oracle.logits();
                for (int q = 0; q < rowsC; q++) {
                    int a = c0 + q;
                    double m = (double) logits[2 * q + 1] - logits[2 * q];
                    int s = slot[a];
                    boolean improved = false;
                    if (m > req0 && Double.isFinite(m)) {
                        double c = cost.cost(fx, a * w, p, q * w);
                        if (c < bestCost[s] - 1e-12) {
                            bestCost[s] = c;
                            bestMargin[s] = m;
                            System.arraycopy(p, q * w, best, s * w, w);
                            improved = true;
                        }
                        if (sch.stopAtFirstValid()) {
                            done[a] = true;
                            if (refine && tt > 0) {
                                System.arraycopy(zPrev, a * w, refLo, s * w, w);
                                System.arraycopy(z, a * w, refHi, s * w, w);
                                hasRef[s] = true;
                            }
                        }
                    }
                    if (bestCost[s] < Double.POSITIVE_INFINITY) {
                        stale[s] = improved ? 0 : stale[s] + 1;
                        if (sch.patience() > 0 && stale[s] >= sch.patience()) {
                            done[a] = true;
                        }
                    }
                    // dL/dm of lambda * (softplus(-m) + relu(req - m)); logits (l0, l1) get (-g, g).
                    double g = Double.isFinite(m) ? -lambda * (1.0 / (1.0 + Math.exp(m)) + (m < req0 ? 1.0 : 0.0))
                            : 0;
                    dLogits[2 * q] = (float) -g;
                    dLogits[2 * q + 1] = (float) g;
                }
                // The last step (t == total) needs no descent, but takes it anyway into z, which is
                // not read after it: a branch around it, never taken until the end of the first
                // search, made the JIT drop this method's compiled code there and compile it again
                // in the next search (~0.25 s of the one C2 thread; 1 step in 81 of extra work here).
                if (refine) {
                    System.arraycopy(z, c0 * w, zPrev, c0 * w, rowsC * w);
                }
                oracle.backward(p, rowsC, dLogits, dx);
                if (move != null) {
                    for (int i = 0; i < rowsC * w; i++) {
                        dx[i] *= move[c0 * w + i];
                    }
                }
                if (l2 == 0 && sch.rule() == StepRule.GRADIENT) {
                    // update's plain L1 step and the clamp, fused per row (same bits, one pass over z)
                    for (int q = 0; q < rowsC; q++) {
                        Dense.softThresholdClamp(z, fx, (c0 + q) * w, dx, q * w, wk.th, q * w, lo, hi,
                                (slot[c0 + q] % rows) * w, w, step);
                    }
                } else {
                    update(z, fx, dx, c0, rowsC, weights, wk.th, step, thresh, l2, sch);
                    for (int q = 0; q < rowsC; q++) {
                        Dense.clamp(z, (c0 + q) * w, lo, hi, (slot[c0 + q] % rows) * w, w);
                    }
                }
            });
            // Totals after every chunk ended, so they do not depend on which thread ran what.
            flops += flopsPerRow * active;
            if (t == total) {
                break;
            }
            flops += flopsPerRow * active; // dx = delta W per layer: the same multiply-adds as forward
            if (anyTrue(done, active)) {
                active = compact(done, active, w, nf, z, fx, levels, move, zPrev, slot);
            }
        }
        progress.advanced(total + 1, total + 1);
        if (refine) {
            flops += refine(workers, factuals, rows, req, sch.refineSteps(), weights, cost, refLo, refHi, hasRef, best,
                    bestCost, bestMargin) * flopsPerRow;
        }
        return new Outcome(rows, w, best, bestCost, bestMargin, flops);
    }

    /**
     * Active row a = instance * restarts + restart gets slot restart * rows + instance: its
     * factual into {@code fx} and {@code best} (at the slot), the slot into {@code slot}.
     */
    private static void interleave(float[] factuals, int rows, int restarts, int w, float[] fx, float[] best,
                                   int[] slot) {
        int n = rows * restarts;
        for (int a = 0; a < n; a++) {
            int inst = a / restarts;
            int s = (a % restarts) * rows + inst;
            System.arraycopy(factuals, inst * w, fx, a * w, w);
            System.arraycopy(factuals, inst * w, best, s * w, w);
            slot[a] = s;
        }
    }

    /** The restart noise, drawn in slot order (slots rows.. n), onto the slots' active rows of z. */
    private static void addNoise(float[] z, int rows, int n, int restarts, int w, SplittableRandom rng,
                                 double noise) {
        for (int s = rows; s < n; s++) {
            int a = (s % rows) * restarts + s / rows;
            for (int j = 0; j < w; j++) {
                z[a * w + j] += (float) ((rng.nextDouble() * 2 - 1) * noise);
            }
        }
    }

    /** Per active row, {@code move} 0 on its slot's frozen columns (and z back at the factual there), 1 elsewhere. */
    private static void freeze(boolean[] frozen, int[] slot, int n, int w, float[] fx, float[] z, float[] move) {
        for (int a = 0; a < n; a++) {
            int fo = slot[a] * w;
            for (int j = 0; j < w; j++) {
                int i = a * w + j;
                move[i] = frozen[fo + j] ? 0f : 1f;
                if (frozen[fo + j]) {
                    z[i] = fx[i];
                }
            }
        }
    }

    /** {@code k * v[j]} for every j, in float. */
    private static float[] scaled(float[] v, float k) {
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = k * v[j];
        }
        return out;
    }

    /** {@link FeasibilityProjector#clampRelaxed} of active rows [0, n) of z, each in its instance's box. */
    private static void clampRows(float[] z, int n, float[] lo, float[] hi, int[] slot, int rows, int w) {
        for (int a = 0; a < n; a++) {
            Dense.clamp(z, a * w, lo, hi, (slot[a] % rows) * w, w);
        }
    }

    private static boolean anyTrue(boolean[] b, int n) {
        boolean any = false;
        for (int a = 0; a < n; a++) {
            any |= b[a];
        }
        return any;
    }

    /**
     * Drops the active rows that are done, keeping the others in order (their z, fx, levels,
     * move and zPrev rows and their slot); {@code move} and {@code zPrev} may be null.
     *
     * @return the rows kept
     */
    private static int compact(boolean[] done, int active, int w, int nf, float[] z, float[] fx, int[] levels,
                               float[] move, float[] zPrev, int[] slot) {
        int kept = 0;
        for (int a = 0; a < active; a++) {
            if (done[a]) {
                continue;
            }
            if (kept != a) {
                System.arraycopy(z, a * w, z, kept * w, w);
                System.arraycopy(fx, a * w, fx, kept * w, w);
                System.arraycopy(levels, a * nf, levels, kept * nf, nf);
                if (move != null) {
                    System.arraycopy(move, a * w, move, kept * w, w);
                }
                if (zPrev != null) {
                    System.arraycopy(zPrev, a * w, zPrev, kept * w, w);
                }
                slot[kept] = slot[a];
            }
            kept++;
        }
        return kept;
    }

    /** One worker thread's buffers for chunks of up to {@code chunk} rows. */
    private static final class Worker {
        final float[] p;
        final float[] dx;
        final float[] dLogits;
        /** Per row of a chunk, the soft-threshold of each column (step * c * weight). */
        final float[] th;
        final ModelOracle oracle;

        Worker(DifferentiableClassifier model, FrozenMlp frozen, int chunk, int w, float[] thRow) {
            p = new float[chunk * w];
            dx = new float[chunk * w];
            dLogits = new float[chunk * 2];
            th = new float[chunk * w];
            for (int i = 0; i < th.length; i++) {
                th[i] = thRow[i % w];
            }
            // The chunks are the parallel unit: splitting a chunk's kernels too would only add hand-offs.
            oracle = ModelOracle.frozen(model, frozen, chunk);
        }
    }

    /**
     * Workers for one run, which holds the model fixed: an {@link Mlp} is frozen once (weights
     * transposed once, zeros skipped, the same values) and shared by the workers.
     *
     * @param gradColumns input columns whose gradient the search reads, null for all
     */
    private Worker[] workers(DifferentiableClassifier model, int chunk, int w, int chunks, int[] gradColumns,
                             float[] thRow) {
        Worker[] ws = new Worker[Math.max(1, Math.min(par.threads(), chunks))];
        FrozenMlp frozen = model instanceof Mlp m ? new FrozenMlp(m, gradColumns) : null;
        for (int i = 0; i < ws.length; i++) {
            ws[i] = new Worker(model, frozen, chunk, w, thRow);
        }
        return ws;
    }

    /** The columns of the features that are not immutable, ascending. */
    private int[] mutableColumns() {
        int[] cols = new int[space.width()];
        int n = 0;
        for (int f = 0; f < space.features(); f++) {
            if (space.actionability(f) != Actionability.IMMUTABLE) {
                for (int j = 0; j < space.span(f); j++) {
                    cols[n++] = space.start(f) + j;
                }
            }
        }
        int[] out = Arrays.copyOf(cols, n);
        Arrays.sort(out);
        return out;
    }

    /** Work on the chunk of rows starting at {@code c0}, with one worker's buffers. */
    private interface ChunkTask {
        void run(Worker worker, int c0);
    }

    /**
     * Runs {@code task} on every chunk of {@code chunk} rows in {@code [0, units)}: the calling
     * thread (with worker 0) and one pool task per further worker take chunk indices in turn until
     * none are left, so a descheduled thread does not hold the others up. Returns when every chunk
     * ended (that also publishes the chunks' writes to the caller).
     *
     * @throws RuntimeException the first exception a chunk threw, after every chunk ended
     */
    private static void forEachChunk(Worker[] workers, int units, int chunk, ChunkTask task) {
        int chunks = (units + chunk - 1) / chunk;
        int threads = Math.min(workers.length, chunks);
        if (threads <= 1) {
            for (int c0 = 0; c0 < units; c0 += chunk) {
                task.run(workers[0], c0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(chunks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 1; t < threads; t++) {
            Worker wk = workers[t];
            ForkJoinPool.commonPool().execute(() -> drain(wk, chunks, chunk, next, ended, failure, task));
        }
        // The calling thread drains too; a pool task that starts after the last chunk was taken
        // finds none and returns without touching its worker.
        drain(workers[0], chunks, chunk, next, ended, failure, task);
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f != null) {
            throw (Error) f;
        }
    }

    private static void drain(Worker wk, int chunks, int chunk, AtomicInteger next, CountDownLatch ended,
                              AtomicReference<Throwable> failure, ChunkTask task) {
        for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            try {
                task.run(wk, c * chunk);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                ended.countDown();
            }
        }
    }

    /** One gradient step on rows [c0, c0 + rows) of z; dx holds their outcome gradients from row 0. */
    private static void update(float[] z, float[] fx, float[] dx, int c0, int rows, float[] weights, float[] th,
                               float step, float thresh, double l2, Schedule sch) {
        int w = weights.length;
        // (the plain L1 step with the gradient rule is fused with the clamp by the caller)
        for (int q = 0; q < rows; q++) {
            int o = (c0 + q) * w;
            int g = q * w;
            if (sch.rule() == StepRule.NORMALIZED) {
                double gn = 0;
                for (int j = 0; j < w; j++) {
                    gn += (double) dx[g + j] * dx[g + j];
                }
                float inv = gn > 1e-30 ? (float) (1 / Math.sqrt(gn)) : 0f;
                for (int j = 0; j < w; j++) {
                    dx[g + j] *= inv;
                }
            }
            if (l2 >= 1) {
                l2Step(z, fx, dx, o, g, weights, step, (float) 1, sch.costWeight());
                continue;
            }
            if (l2 > 0) {
                // mixed: the L2 part's gradient first (with no model gradient), then the L1 part's prox with it
                l2Step(z, fx, null, o, g, weights, step, (float) l2, sch.costWeight());
            }
            for (int j = 0; j < w; j++) {
                float d = z[o + j] - step * dx[g + j] - fx[o + j];
                float t = thresh * weights[j];
                // prox of t*|d|: soft-threshold toward the factual, d - clamp(d, -t, t);
                // branch-free because the sign of d is unpredictable
                z[o + j] = fx[o + j] + d - Math.max(-t, Math.min(t, d));
            }
        }
    }

    /** {@code z -= step (dx + share c grad ||z - x||_w)} on one row; {@code dx} null adds no model gradient. */
    private static void l2Step(float[] z, float[] fx, float[] dx, int o, int g, float[] weights, float step,
                               float share, double costWeight) {
        int w = weights.length;
        double norm = 0;
        for (int j = 0; j < w; j++) {
            double d = z[o + j] - fx[o + j];
            norm += weights[j] * d * d;
        }
        norm = Math.sqrt(norm);
        float k = norm > 1e-12 ? (float) (share * costWeight / norm) : 0f;
        for (int j = 0; j < w; j++) {
            z[o + j] -= step * ((dx == null ? 0f : dx[g + j]) + k * weights[j] * (z[o + j] - fx[o + j]));
        }
    }

    /**
     * Bisection toward the boundary for every slot that stopped at its first valid point: the
     * segment [lo, hi] runs from the last relaxed point whose projection was invalid to the first
     * whose projection was valid; the valid end is kept, so the result stays feasible and valid.
     *
     * @return rows run forward
     */
    private long refine(Worker[] workers, float[] factuals, int rows, RecourseRequest req, int steps,
                        float[] weights, CostFunction cost, float[] lo, float[] hi, boolean[] hasRef, float[] best,
                        double[] bestCost, double[] bestMargin) {
        int w = space.width();
        int n = 0;
        int[] slots = new int[hasRef.length];
        for (int s = 0; s < hasRef.length; s++) {
            if (hasRef[s]) {
                slots[n] = s;
                // pack the pairs densely at the front
                if (n != s) {
                    System.arraycopy(lo, s * w, lo, n * w, w);
                    System.arraycopy(hi, s * w, hi, n * w, w);
                }
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        float[] fx = new float[n * w];
        for (int q = 0; q < n; q++) {
            System.arraycopy(factuals, (slots[q] % rows) * w, fx, q * w, w);
        }
        float[] mid = new float[n * w];
        float[] p = new float[n * w];
        int chunk = workers[0].oracle.capacity();
        double req0 = req.requiredMargin();
        int pairs = n;
        for (int it = 0; it < steps; it++) {
            for (int i = 0; i < n * w; i++) {
                mid[i] = 0.5f * (lo[i] + hi[i]);
            }
            System.arraycopy(mid, 0, p, 0, n * w);
            projector.project(fx, p, n, req.sparsity(), weights);
            forEachChunk(workers, n, chunk, (wk, c0) -> {
                int rowsC = Math.min(chunk, pairs - c0);
                System.arraycopy(p, c0 * w, wk.p, 0, rowsC * w);
                wk.oracle.forward(wk.p, rowsC);
                float[] logits = wk.oracle.logits();
                for (int qc = 0; qc < rowsC; qc++) {
                    int q = c0 + qc;
                    double m = (double) logits[2 * qc + 1] - logits[2 * qc];
                    int o = q * w;
                    if (m > req0 && Double.isFinite(m)) {
                        System.arraycopy(mid, o, hi, o, w);
                        int s = slots[q];
                        System.arraycopy(p, o, best, s * w, w);
                        bestCost[s] = cost.cost(fx, o, p, o);
                        bestMargin[s] = m;
                    } else {
                        System.arraycopy(mid, o, lo, o, w);
                    }
                }
            });
        }
        long evaluated = (long) steps * n;
        return evaluated;
    }
}
