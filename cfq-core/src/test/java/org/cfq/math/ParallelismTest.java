package org.cfq.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelismTest {
    @Test
    void constructor_zeroThreads_throwsNamingValue() {
        assertThatThrownBy(() -> new Parallelism(0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void constructor_zeroMinWork_throwsNamingValue() {
        assertThatThrownBy(() -> new Parallelism(2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minWorkPerThread must be >= 1, got 0");
    }

    @Test
    void blocks_smallWork_staysOnOneBlock() {
        // 10 units of 100 multiply-adds = 1000 < 2 * 600
        assertThat(new Parallelism(4, 600).blocks(10, 100)).isEqualTo(1);
    }

    @Test
    void blocks_largeWork_usesEveryThreadUpToUnits() {
        assertThat(new Parallelism(4, 1).blocks(10, 100)).isEqualTo(4);
        assertThat(new Parallelism(4, 1).blocks(3, 100)).isEqualTo(3);
        assertThat(Parallelism.single().blocks(1000, 1000)).isEqualTo(1);
    }

    @Test
    void run_split_coversEveryUnitOnceWithAlignedStarts() {
        AtomicIntegerArray hits = new AtomicIntegerArray(103);
        AtomicIntegerArray starts = new AtomicIntegerArray(103);
        new Parallelism(3, 1).run(103, 1, 4, (from, to) -> {
            starts.incrementAndGet(from);
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 103; i++) {
            assertThat(hits.get(i)).as("unit %d", i).isEqualTo(1);
            if (starts.get(i) > 0) {
                assertThat(i % 4).as("block start %d", i).isZero();
            }
        }
    }

    @Test
    void run_oneChunkThrows_rethrowsAfterOtherChunksRan() {
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        assertThatThrownBy(() -> new Parallelism(2, 1).run(10, 1, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (i == 5) {
                    throw new IllegalStateException("unit 5 failed");
                }
                hits.incrementAndGet(i);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("unit 5 failed");
        assertThat(hits.get(9)).isEqualTo(1);
    }
}
