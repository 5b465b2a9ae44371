package org.cfq.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cfq.math.Parallelism;
import org.junit.jupiter.api.Test;

class FrozenMlpTest {
    private static final int IN = 37;
    private static final int ROWS = 23;

    /** Rows shaped like encoded tabular data: a few numeric columns, the rest one-hot groups of 5. */
    private static float[] rows(SplittableRandom rng) {
        float[] x = new float[ROWS * IN];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < 7; j++) {
                x[r * IN + j] = (float) (rng.nextDouble() * 4 - 2);
            }
            for (int g = 7; g + 5 <= IN; g += 5) {
                x[r * IN + g + rng.nextInt(5)] = 1f;
            }
        }
        return x;
    }

    @Test
    void forwardAndBackward_matchTheMlpPassesBitForBit() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int[] hidden : new int[][] {{128, 64}, {40, 24}, {16, 8}, {}}) {
            Mlp m = Mlp.initialize(IN, hidden, rng);
            float[] x = rows(rng);
            float[] dLogits = new float[ROWS * 2];
            for (int i = 0; i < dLogits.length; i++) {
                dLogits[i] = (float) (rng.nextDouble() * 2 - 1);
            }
            Mlp.Workspace ws = m.workspace(ROWS);
            m.forward(x, ROWS, ws, Parallelism.single());
            float[] dx = new float[ROWS * IN];
            m.backward(x, ROWS, ws, dLogits, null, dx, Parallelism.single());

            FrozenMlp all = new FrozenMlp(m, null);
            FrozenMlp.Workspace fw = all.workspace(ROWS);
            all.forward(x, ROWS, fw);
            assertThat(Arrays.copyOf(fw.logits(), ROWS * 2)).as(Arrays.toString(hidden))
                    .containsExactly(Arrays.copyOf(ws.logits(), ROWS * 2));
            float[] fdx = new float[ROWS * IN];
            all.backward(ROWS, fw, dLogits, fdx);
            assertThat(fdx).containsExactly(dx);

            int[] cols = {0, 3, 8, 9, 10, 11, 12, 30, 36};
            FrozenMlp some = new FrozenMlp(m, cols);
            FrozenMlp.Workspace sw = some.workspace(ROWS);
            some.forward(x, ROWS, sw);
            float[] sdx = new float[ROWS * IN];
            Arrays.fill(sdx, 9f);
            some.backward(ROWS, sw, dLogits, sdx);
            float[] expected = new float[ROWS * IN];
            for (int r = 0; r < ROWS; r++) {
                for (int c : cols) {
                    expected[r * IN + c] = dx[r * IN + c];
                }
            }
            assertThat(sdx).containsExactly(expected);
        }
    }

    @Test
    void backward_afterAForwardPassOfMoreRows_matchesTheMlpOnItsFirstRows() {
        // The backward pass reuses the forward pass's lists only for the same rows; on fewer rows
        // (the first ones of the last forward pass) it lists its own and still matches.
        SplittableRandom rng = new SplittableRandom(19);
        Mlp m = Mlp.initialize(IN, new int[] {128, 64}, rng);
        float[] x = rows(rng);
        float[] dLogits = new float[ROWS * 2];
        for (int i = 0; i < dLogits.length; i++) {
            dLogits[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        FrozenMlp all = new FrozenMlp(m, null);
        FrozenMlp.Workspace fw = all.workspace(ROWS);
        for (int few : new int[] {ROWS - 1, 13, 1}) {
            Mlp.Workspace ws = m.workspace(few);
            m.forward(x, few, ws, Parallelism.single());
            float[] dx = new float[few * IN];
            m.backward(x, few, ws, dLogits, null, dx, Parallelism.single());
            all.forward(x, ROWS, fw);
            float[] fdx = new float[few * IN];
            all.backward(few, fw, dLogits, fdx);
            assertThat(fdx).as("rows %d", few).containsExactly(dx);
        }
    }

    @Test
    void new_unsortedColumns_failsNamingThem() {
        Mlp m = Mlp.initialize(4, new int[] {3}, new SplittableRandom(1));
        assertThatThrownBy(() -> new FrozenMlp(m, new int[] {2, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("columns must be ascending, distinct and in [0, 4), got [2, 1]");
    }

    @Test
    void forward_afterTheSourceChanges_keepsTheFrozenWeights() {
        Mlp m = Mlp.initialize(4, new int[] {3}, new SplittableRandom(1));
        FrozenMlp f = new FrozenMlp(m, null);
        float[] x = {1f, 0f, -1f, 2f};
        FrozenMlp.Workspace w = f.workspace(1);
        f.forward(x, 1, w);
        float[] before = Arrays.copyOf(w.logits(), 2);
        m.layers().get(0).weight()[0] += 1f;
        f.forward(x, 1, w);
        assertThat(Arrays.copyOf(w.logits(), 2)).containsExactly(before);
    }
}
