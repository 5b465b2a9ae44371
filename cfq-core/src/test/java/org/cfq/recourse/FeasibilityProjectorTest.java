package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeasibilityProjectorTest {
    private final ActionSpace space = ActionSpace.of(TinyRecourse.mixed());
    private final FeasibilityProjector projector = new FeasibilityProjector(space);
    private final float[] weights = space.l1Weights();

    // income 0, savings 0, age 30 -> -1, education bsc -> 0, job a, hours 40 -> 0, owner no
    private static float[] factual() {
        return new float[] {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
    }

    @Test
    void project_everyRuleBroken_landsOnTheActionSet() {
        float[] x = factual();
        // income past box (3), savings lowered, age changed, education 1.7 -> msc(2) -> z=1,
        // job argmax c, hours raised, owner 0.7 -> yes
        float[] c = {4.5f, -1f, 0.5f, 0.7f, 0.2f, 0.1f, 0.6f, 0.3f, 0.7f};
        projector.project(x, c, 1, 0, weights);
        assertThat(c).containsExactly(3f, 0f, -1f, 1f, 0f, 0f, 1f, 0f, 1f);
    }

    @Test
    void project_integerFeature_roundsToWholeOriginalValue() {
        float[] x = factual();
        float[] c = factual();
        c[7] = -0.26f; // hours 37.4 -> 37 -> z = -0.3
        projector.project(x, c, 1, 0, weights);
        assertThat(c[7]).isEqualTo(-0.3f);
    }

    @Test
    void project_tinyContinuousChange_snapsBackToFactual() {
        float[] x = factual();
        float[] c = factual();
        c[0] = 5e-4f;
        projector.project(x, c, 1, 0, weights);
        assertThat(c[0]).isEqualTo(0f);
    }

    @Test
    void project_sparsityTwo_keepsTheTwoLargestWeightedChanges() {
        float[] x = factual();
        // income +0.5, savings +2, job -> b (group change costs 1), owner -> yes (cost 1)
        float[] c = {0.5f, 2f, -1f, 0f, 0f, 1f, 0f, 0f, 1f};
        projector.project(x, c, 1, 2, weights);
        // scores: income 0.5, savings 2, job 0.5*2 = 1, owner 1 -> savings and the first of the 1s (job)
        assertThat(c).containsExactly(0f, 2f, -1f, 0f, 0f, 1f, 0f, 0f, 0f);
    }

    @Test
    void project_factualOutsideBox_staysAndMayMoveTowardTheBox() {
        float[] x = factual();
        x[0] = 4f; // above box [-3, 3]
        float[] c = x.clone();
        projector.project(x, c, 1, 0, weights);
        assertThat(c[0]).isEqualTo(4f);
        c[0] = 4.6f;
        projector.project(x, c, 1, 0, weights);
        assertThat(c[0]).isEqualTo(4f);
    }

    @Test
    void clampRelaxed_keepsOneHotColumnsInUnitInterval() {
        float[] x = factual();
        float[] c = {0f, 0f, -1f, 0f, 1.4f, -0.2f, 0.5f, 0f, 0f};
        projector.clampRelaxed(x, c, 1);
        assertThat(c).containsExactly(0f, 0f, -1f, 0f, 1f, 0f, 0.5f, 0f, 0f);
    }

    @Test
    void relaxedBounds_thenClamp_equalsClampRelaxed() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int rows = 40;
        int w = space.width();
        float[] x = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(factual(), 0, x, r * w, w);
            x[r * w] = (float) (rng.nextDouble() * 4 - 2);
            x[r * w + 1] = (float) (rng.nextDouble() * 4 - 2);
        }
        float[] lo = new float[rows * w];
        float[] hi = new float[rows * w];
        projector.relaxedBounds(x, rows, lo, hi);
        float[] c = new float[rows * w];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (rng.nextDouble() * 8 - 4);
        }
        float[] expected = c.clone();
        projector.clampRelaxed(x, expected, rows);
        for (int r = 0; r < rows; r++) {
            org.cfq.math.Dense.clamp(c, r * w, lo, hi, r * w, w);
        }
        assertThat(c).containsExactly(expected);
    }
}
