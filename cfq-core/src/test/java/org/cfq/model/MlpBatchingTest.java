package org.cfq.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The forward pass must not depend on how rows are batched (batches use transposed weights). */
class MlpBatchingTest {
    @Test
    void logits_batchVersusRowByRow_sameBits() {
        SplittableRandom rng = new SplittableRandom(42);
        Mlp net = Mlp.initialize(23, new int[] {40, 17}, rng.split());
        int rows = 37;
        float[] x = new float[rows * 23];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        float[] batch = new float[rows * Mlp.OUTPUTS];
        net.logits(x, rows, batch);
        float[] row = new float[23];
        float[] one = new float[Mlp.OUTPUTS];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * 23, row, 0, 23);
            net.logits(row, 1, one);
            assertThat(new float[] {batch[2 * r], batch[2 * r + 1]}).as("row %d", r).containsExactly(one);
        }
    }

    @Test
    void forward_weightsChangedBetweenCalls_usesNewWeights() {
        // The workspace caches transposed weights; an in-place update must be seen.
        Mlp net = Mlp.initialize(3, new int[] {}, new SplittableRandom(1));
        Mlp.Workspace ws = net.workspace(4);
        float[] x = {1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0};
        net.forward(x, 4, ws);
        float[] w = net.layers().get(0).weight();
        java.util.Arrays.fill(w, 0f);
        w[0] = 2f; // logit 0 = 2 * x0
        net.forward(x, 4, ws);
        assertThat(ws.logits()[0]).isEqualTo(2f);
        assertThat(ws.logits()[1]).isEqualTo(0f);
    }
}
