package org.cfq.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SpinningCrewTest {
    /** Every unit of a split call is run exactly once. */
    private static void assertEachOnce(AtomicIntegerArray hits) {
        for (int i = 0; i < hits.length(); i++) {
            assertThat(hits.get(i)).as("unit %d", i).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentCallers_eachCallCoversItsUnitsOnce() throws Exception {
        // Four threads make split calls at once: one at a time gets the crew, the others run
        // their chunks themselves; every call must still cover each of its units once.
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(callers.submit(() -> {
                    for (int call = 0; call < 300; call++) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(97);
                        new Parallelism(4, 1).run(97, 1, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        assertEachOnce(hits);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nestedCall_insideAChunk_completes() {
        // A chunk that itself splits a call finds the crew busy and runs the inner call alone.
        AtomicIntegerArray hits = new AtomicIntegerArray(8 * 50);
        new Parallelism(2, 1).run(8, 1, 1, (from, to) -> {
            for (int outer = from; outer < to; outer++) {
                int base = outer * 50;
                new Parallelism(2, 1).run(50, 1, 1, (a, b) -> {
                    for (int i = a; i < b; i++) {
                        hits.incrementAndGet(base + i);
                    }
                });
            }
        });
        assertEachOnce(hits);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void callsAfterTheCrewParked_coverEachUnitOnce() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            // Longer than the spin window: the crew threads park and must be woken.
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(SpinningCrew.SPIN_NANOS) + 20);
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            new Parallelism(2, 1).run(64, 1, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits.incrementAndGet(i);
                }
            });
            assertEachOnce(hits);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void errorInAChunk_reachesTheCaller_andTheCrewStillWorks() {
        // Whichever thread runs the failing chunk, the caller gets the Error, not a silent gap.
        for (int round = 0; round < 20; round++) {
            int bad = round % 32;
            assertThatThrownBy(() -> new Parallelism(2, 1).run(32, 1, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    if (i == bad) {
                        throw new AssertionError("unit " + bad);
                    }
                }
            })).isInstanceOf(AssertionError.class).hasMessage("unit " + bad);
        }
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        new Parallelism(2, 1).run(64, 1, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        assertEachOnce(hits);
    }
}
