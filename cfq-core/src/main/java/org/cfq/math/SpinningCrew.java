package org.cfq.math;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads of {@link Parallelism#run}: daemon threads that, after finishing their
 * share of one call, spin for a short while waiting for the next call before they park.
 *
 * <p>Why not the common fork-join pool: a training step makes half a dozen split calls of a few
 * tens of microseconds each, and a parked pool thread takes about as long to wake up, so the
 * calling thread had done most chunks before help arrived (on Adult the second thread did ~15% of
 * the work; docs/benchmarks.md, issue 16). A crew thread that was busy a moment ago is still
 * spinning when the next call comes and starts at once; one idle for {@link #SPIN_NANOS} parks
 * and costs nothing. This is the OpenMP runtimes' "active wait", bounded.
 *
 * <p>One call at a time uses the crew. A call made while another is in progress (another thread's,
 * or a nested one from inside a chunk) runs all its chunks on its own thread: the same chunks,
 * so the same results, since no result depends on which thread runs a chunk.
 */
final class SpinningCrew {
    /** How long an idle crew thread spins before it parks. */
    static final long SPIN_NANOS = Long.getLong("cfq.crew.spinNanos", 50_000L);

    private static final SpinningCrew SHARED = new SpinningCrew(Runtime.getRuntime().availableProcessors() - 1);

    private final int size;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The call being worked on, or the last one; crew threads compare by identity. */
    private volatile Job posted;
    private volatile Member[] members;

    private SpinningCrew(int size) {
        this.size = Math.max(0, size);
    }

    /** {@return the crew shared by every kernel: one thread per processor but the caller's} */
    static SpinningCrew shared() {
        return SHARED;
    }

    /**
     * Runs every chunk of {@code [bounds[c], bounds[c+1])} with {@code task}, on the calling
     * thread and up to {@code helpers} crew threads, and returns when all have ended.
     *
     * @throws RuntimeException the first exception a chunk threw (an {@link Error} likewise),
     *                          after every chunk ended
     */
    void run(int[] bounds, int helpers, Parallelism.RangeTask task) {
        Job job = new Job(bounds, Math.min(helpers, size), task);
        if (job.helpers == 0 || !busy.compareAndSet(false, true)) {
            job.work();
            job.rethrow();
            return;
        }
        try {
            Member[] crew = start();
            posted = job;
            for (Member m : crew) {
                if (m.parked) {
                    LockSupport.unpark(m.thread);
                }
            }
            job.work();
            // Only chunks a crew thread is still running are waited for; they are short.
            for (int spins = 1; job.remaining.get() > 0; spins++) {
                if ((spins & 1023) == 0) {
                    Thread.yield(); // a crew thread lost its processor: let it have ours
                } else {
                    Thread.onSpinWait();
                }
            }
        } finally {
            busy.set(false);
        }
        job.rethrow();
    }

    private Member[] start() {
        Member[] m = members;
        if (m == null) {
            synchronized (this) {
                m = members;
                if (m == null) {
                    m = new Member[size];
                    for (int i = 0; i < size; i++) {
                        m[i] = new Member(i);
                    }
                    members = m;
                }
            }
        }
        return m;
    }

    /** One split call: its chunks, a counter of the next chunk to take, and the helpers admitted. */
    private static final class Job {
        final int[] bounds;
        final int helpers;
        final Parallelism.RangeTask task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        final AtomicInteger admitted = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int[] bounds, int helpers, Parallelism.RangeTask task) {
            this.bounds = bounds;
            this.helpers = Math.max(0, helpers);
            this.task = task;
            this.remaining = new AtomicInteger(bounds.length - 1);
        }

        /** Takes chunks until none are left. */
        void work() {
            int chunks = bounds.length - 1;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    task.run(bounds[c], bounds[c + 1]);
                } catch (RuntimeException | Error e) {
                    // Kept for the caller (an Error too: a crew thread must not die with it while
                    // the caller returns as if the chunk had been done).
                    failure.compareAndSet(null, e);
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }

        /** Joins as a helper when the call still admits one and has chunks left. */
        void help() {
            if (next.get() < bounds.length - 1 && admitted.getAndIncrement() < helpers) {
                work();
            }
        }

        void rethrow() {
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    /** One crew thread: spins while calls keep coming, parks when they stop. */
    private final class Member implements Runnable {
        final Thread thread;
        volatile boolean parked;

        Member(int index) {
            thread = new Thread(this, "cfq-crew-" + (index + 1));
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            Job last = null;
            long idleSince = System.nanoTime();
            while (true) {
                Job j = posted;
                if (j != null && j != last) {
                    last = j;
                    j.help();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // Announce the park, then look once more: a caller posts before it reads
                    // `parked`, so either it sees the flag and unparks, or this sees its call.
                    parked = true;
                    j = posted;
                    if (j == null || j == last) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
