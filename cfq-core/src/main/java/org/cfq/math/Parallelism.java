package org.cfq.math;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * How many threads a {@link Dense} kernel may split one call over.
 *
 * <p>Work runs on the JDK's shared {@link ForkJoinPool#commonPool()}: the calling thread
 * runs the first block itself and the pool runs the rest, so {@code threads} is the number
 * of blocks a call is cut into, not a pool size. A call whose work (multiply-adds) is below
 * {@code minWorkPerThread} per block runs fewer blocks, down to one on the calling thread,
 * because forking costs tens of microseconds.
 *
 * <p>The thread count never changes results: kernels split only along axes whose outputs
 * are computed independently, so every output element sees the same operations in the
 * same order (see {@link Dense}).
 *
 * @param threads          the most blocks one call is split into, at least 1
 * @param minWorkPerThread the least multiply-adds a block must hold, at least 1
 */
public record Parallelism(int threads, long minWorkPerThread) {
    /** Multiply-adds below which forking a block costs more than it saves (about 10 us). */
    public static final long DEFAULT_MIN_WORK = 1L << 19;

    /**
     * @throws IllegalArgumentException when a value is below 1
     */
    public Parallelism {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (minWorkPerThread < 1) {
            throw new IllegalArgumentException("minWorkPerThread must be >= 1, got " + minWorkPerThread);
        }
    }

    /** Everything on the calling thread. */
    public static Parallelism single() {
        return new Parallelism(1, DEFAULT_MIN_WORK);
    }

    /** Up to {@code threads} blocks per call, with the default minimum work per block. */
    public static Parallelism of(int threads) {
        return new Parallelism(threads, DEFAULT_MIN_WORK);
    }

    /** One block per available processor: the default of the {@link Dense} overloads without it. */
    public static Parallelism defaults() {
        return of(Runtime.getRuntime().availableProcessors());
    }

    /** The number of blocks to cut {@code units} independent units of {@code workPerUnit} multiply-adds into. */
    int blocks(int units, long workPerUnit) {
        if (threads == 1 || units <= 1) {
            return 1;
        }
        long byWork = Math.max(1, units * workPerUnit / minWorkPerThread);
        return (int) Math.min(Math.min(threads, units), byWork);
    }

    /** A task over the half-open unit range {@code [from, to)}. */
    interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, units)} cut into {@link #blocks} contiguous ranges
     * whose starts are multiples of {@code align}; the caller runs the first range.
     */
    void run(int units, long workPerUnit, int align, RangeTask task) {
        int n = blocks(units, workPerUnit);
        if (n == 1) {
            task.run(0, units);
            return;
        }
        int[] bounds = new int[n + 1];
        for (int t = 1; t < n; t++) {
            int cut = (int) ((long) units * t / n);
            bounds[t] = Math.min(units, cut - cut % align);
        }
        bounds[n] = units;
        @SuppressWarnings("unchecked")
        ForkJoinTask<Void>[] forked = new ForkJoinTask[n - 1];
        for (int t = 1; t < n; t++) {
            int from = bounds[t];
            int to = bounds[t + 1];
            forked[t - 1] = ForkJoinTask.adapt(() -> task.run(from, to), null);
            forked[t - 1].fork();
        }
        RuntimeException failure = null;
        try {
            task.run(bounds[0], bounds[1]);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<Void> f : forked) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
