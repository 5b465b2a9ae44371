package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class MagnitudePruningTest {
    @Test
    void prune_thirtyPercent_zeroesExactlyTheSmallestWeightsOfAllLayers() {
        Mlp m = Mlp.initialize(10, new int[] {16, 8}, new SplittableRandom(3));
        Mlp p = MagnitudePruning.prune(m, 0.30);
        int total = 10 * 16 + 16 * 8 + 8 * 2;
        assertThat(MagnitudePruning.zeroFraction(p)).isEqualTo(Math.floor(0.3 * total) / total);
        // every kept weight is at least as large as every pruned one, across layers (global)
        float maxPruned = 0;
        float minKept = Float.MAX_VALUE;
        for (int l = 0; l < 3; l++) {
            float[] w0 = m.layers().get(l).weight();
            float[] w1 = p.layers().get(l).weight();
            for (int i = 0; i < w0.length; i++) {
                if (w1[i] == 0f) {
                    maxPruned = Math.max(maxPruned, Math.abs(w0[i]));
                } else {
                    assertThat(w1[i]).isEqualTo(w0[i]);
                    minKept = Math.min(minKept, Math.abs(w0[i]));
                }
            }
            assertThat(p.layers().get(l).bias()).containsExactly(m.layers().get(l).bias());
        }
        assertThat(maxPruned).isLessThanOrEqualTo(minKept);
        assertThat(MagnitudePruning.zeroFraction(m)).isZero();
    }

    @Test
    void prune_handSetWeights_prunesTheTwoSmallest() {
        Mlp m = new Mlp(List.of(new DenseLayer(2, 2, new float[] {0.5f, -0.1f, 3f, 0.2f}, new float[] {1f, 1f})));
        Mlp p = MagnitudePruning.prune(m, 0.5);
        assertThat(p.layers().get(0).weight()).containsExactly(0.5f, 0f, 3f, 0f);
    }

    @Test
    void prune_fractionOne_isRejected() {
        Mlp m = Mlp.initialize(2, new int[] {}, new SplittableRandom(1));
        assertThatThrownBy(() -> MagnitudePruning.prune(m, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1)");
    }
}
