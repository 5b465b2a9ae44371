package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cfq.experiment.StudentMethods.StudentMethod;
import org.junit.jupiter.api.Test;

class StudentMethodsTest {
    @Test
    void uniform_fractionalBudget_targetsAndRunsAtTheLargestWholeWidthBelow() {
        int[] seen = new int[1];
        StudentMethod m = StudentMethods.uniform("u", (ctx, bits, rng) -> {
            seen[0] = bits;
            return null;
        });

        assertThat(m.id()).isEqualTo("u");
        assertThat(m.unavailableReason()).isEmpty();
        assertThat(m.targetBits(4.7)).isEqualTo(4.0);
        assertThat(m.targetBits(9.0)).isEqualTo(8.0);
        m.quantize(null, 3.5, new SplittableRandom(0));
        assertThat(seen[0]).isEqualTo(3);
    }

    @Test
    void budgeted_fractionalBudget_targetsAndRunsAtTheBudgetItself() {
        double[] seen = new double[1];
        StudentMethod m = StudentMethods.budgeted("b", (ctx, budget, rng) -> {
            seen[0] = budget;
            return null;
        });

        assertThat(m.targetBits(4.7)).isEqualTo(4.7);
        m.quantize(null, 3.5, new SplittableRandom(0));
        assertThat(seen[0]).isEqualTo(3.5);
    }

    @Test
    void unavailable_quantize_failsWithTheReason() {
        StudentMethod m = StudentMethods.unavailable("future", "not in this build");

        assertThat(m.unavailableReason()).contains("not in this build");
        assertThat(m.targetBits(3.5)).isEqualTo(3.5);
        assertThatThrownBy(() -> m.quantize(null, 3.5, new SplittableRandom(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("future")
                .hasMessageContaining("not in this build");
    }
}
