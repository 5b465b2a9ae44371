package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CostFunctionTest {
    private final ActionSpace space = ActionSpace.of(TinyRecourse.mixed());
    private final float[] x = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
    // income +0.5, education +1 level, job a -> c, owner no -> yes
    private final float[] cf = {0.5f, 0f, -1f, 1f, 0f, 0f, 1f, 0f, 1f};

    @Test
    void cost_l1_countsTheCategoricalGroupOnce() {
        // 0.5 + 1 + (0.5 + 0.5) + 1 = 3.5
        assertThat(space.cost(CostKind.L1).cost(x, 0, cf, 0)).isCloseTo(3.5, within(1e-9));
    }

    @Test
    void cost_l0_countsChangedFeatures() {
        assertThat(space.cost(CostKind.L0).cost(x, 0, cf, 0)).isEqualTo(4.0);
    }

    @Test
    void cost_l2_givesAGroupChangeLengthOne() {
        // sqrt(0.25 + 1 + (0.5 + 0.5) + 1) = sqrt(3.25)
        assertThat(space.cost(CostKind.L2).cost(x, 0, cf, 0)).isCloseTo(Math.sqrt(3.25), within(1e-9));
    }

    @Test
    void cost_mixed_isHalfL1PlusHalfL2() {
        // 0.5 * 3.5 + 0.5 * sqrt(3.25)
        assertThat(space.cost(CostKind.MIXED).cost(x, 0, cf, 0)).isCloseTo(1.75 + 0.5 * Math.sqrt(3.25),
                within(1e-9));
    }

    @Test
    void cost_madWithoutTrainingRows_failsNamingTheFix() {
        assertThatThrownBy(() -> space.cost(CostKind.L1_MAD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("L1_MAD").hasMessageContaining("ActionSpace.of(encoder, train)");
    }

    @Test
    void changedFeatures_identicalRows_isZero() {
        assertThat(CostFunction.changedFeatures(space, x, 0, x.clone(), 0)).isZero();
    }
}
