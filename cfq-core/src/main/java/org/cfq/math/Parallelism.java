package org.cfq.math;

/**
 * How many threads a {@link Dense} kernel may split one call over.
 *
 * <p>Work runs on a {@link SpinningCrew} of helper threads: a split call cuts its range into a
 * few chunks per thread, and the calling thread plus up to {@code threads - 1} crew threads
 * take chunks until none are left, so a thread that is descheduled (the machine is
 * shared) does not hold the others up. {@code threads} is how many threads one call uses,
 * not a pool size. A call whose work (multiply-adds) is below {@code minWorkPerThread} per
 * thread uses fewer threads, down to only the calling thread, because a hand-off costs
 * tens of microseconds.
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

    // Immutable constants, so the kernels' default overloads allocate nothing per call.
    private static final Parallelism SINGLE = new Parallelism(1, DEFAULT_MIN_WORK);
    private static final Parallelism ALL = new Parallelism(Runtime.getRuntime().availableProcessors(),
            DEFAULT_MIN_WORK);

    /** Everything on the calling thread. */
    public static Parallelism single() {
        return SINGLE;
    }

    /** Up to {@code threads} blocks per call, with the default minimum work per block. */
    public static Parallelism of(int threads) {
        return new Parallelism(threads, DEFAULT_MIN_WORK);
    }

    /**
     * One thread per processor the JVM saw at start-up, with the default minimum work: what
     * the {@link Dense} overloads without a {@code Parallelism} use.
     */
    public static Parallelism defaults() {
        return ALL;
    }

    /** The number of threads for {@code units} independent units of {@code workPerUnit} multiply-adds. */
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

    /** Chunks per thread: spare chunks let a thread that got the CPU take over a stalled one's share. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * Runs {@code task} over {@code [0, units)}: cut into contiguous chunks whose starts are
     * multiples of {@code align}, which the calling thread and up to {@link #blocks} - 1
     * crew threads take in turn until none are left. Which thread runs which chunk varies,
     * so tasks must give the same result for a range whichever thread runs it.
     *
     * @throws RuntimeException the first exception a chunk threw, after every chunk ended
     */
    void run(int units, long workPerUnit, int align, RangeTask task) {
        int threads = blocks(units, workPerUnit);
        if (threads == 1) {
            task.run(0, units);
            return;
        }
        int chunks = Math.max(1, Math.min(threads * CHUNKS_PER_THREAD, units / align));
        int[] bounds = new int[chunks + 1];
        for (int c = 1; c < chunks; c++) {
            int cut = (int) ((long) units * c / chunks);
            bounds[c] = cut - cut % align;
        }
        bounds[chunks] = units;
        SpinningCrew.shared().run(bounds, threads - 1, task);
    }
}
