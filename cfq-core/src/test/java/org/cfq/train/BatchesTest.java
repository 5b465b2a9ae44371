package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchesTest {
    @Test
    void order_isTheIdentity() {
        assertThat(Batches.order(4)).containsExactly(0, 1, 2, 3);
        assertThat(Batches.order(0)).isEmpty();
    }

    @Test
    void gather_copiesTheOrderedRowsAndLabelsToTheFront() {
        float[] x = {0, 0.5f, 1, 1.5f, 2, 2.5f};
        int[] y = {0, 1, 1};
        float[] xb = new float[6];
        int[] yb = new int[3];
        Batches.gather(x, y, 2, new int[] {2, 0, 1}, 1, 2, xb, yb);
        assertThat(xb).containsExactly(0, 0.5f, 1, 1.5f, 0, 0);
        assertThat(yb).containsExactly(0, 1, 0);
    }
}
