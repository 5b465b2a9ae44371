package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cfq.recourse.RecourseValidator.Rule;
import org.cfq.recourse.RecourseValidator.Violation;
import org.junit.jupiter.api.Test;

class RecourseValidatorTest {
    private final RecourseValidator validator = new RecourseValidator(TinyRecourse.mixed());

    private static float[] factual() {
        return new float[] {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
    }

    private List<Rule> rules(float[] cf, int sparsity) {
        return validator.checkRow(0, factual(), 0, cf, 0, sparsity).stream().map(Violation::rule).toList();
    }

    @Test
    void checkRow_feasibleChange_hasNoViolation() {
        float[] cf = {1f, 0.5f, -1f, 2f, 0f, 0f, 1f, -0.5f, 1f};
        assertThat(rules(cf, 0)).isEmpty();
    }

    @Test
    void checkRow_immutableAgeChanged_reportsIt() {
        float[] cf = factual();
        cf[2] = -0.9f;
        assertThat(validator.checkRow(0, factual(), 0, cf, 0, 0)).singleElement()
                .satisfies(v -> {
                    assertThat(v.rule()).isEqualTo(Rule.IMMUTABLE_CHANGED);
                    assertThat(v.feature()).isEqualTo("age");
                });
    }

    @Test
    void checkRow_eachBrokenRule_isReported() {
        float[] cf = factual();
        cf[1] = -0.5f;  // savings lowered: increase-only
        cf[0] = 3.5f;   // income outside [-3, 3]
        cf[7] = -0.25f; // hours 37.5: not an integer
        assertThat(rules(cf, 0)).containsExactlyInAnyOrder(Rule.MONOTONE_VIOLATED, Rule.OUT_OF_BOX, Rule.NOT_INTEGER);
        float[] cf2 = factual();
        cf2[3] = 0.5f;  // education 1.5: not a level
        cf2[4] = 0.5f;  // job group 0.5 / 0 / 0
        cf2[8] = 0.3f;  // owner not binary
        assertThat(rules(cf2, 0)).containsExactlyInAnyOrder(Rule.NOT_ON_LEVEL, Rule.NOT_ONE_HOT, Rule.NOT_BINARY);
    }

    @Test
    void checkRow_threeChangesUnderLimitTwo_reportsTooMany() {
        float[] cf = factual();
        cf[0] = 1f;
        cf[4] = 0f;
        cf[6] = 1f; // job a -> c counts once
        cf[8] = 1f;
        assertThat(rules(cf, 2)).containsExactly(Rule.TOO_MANY_CHANGES);
        assertThat(rules(cf, 3)).isEmpty();
    }

    @Test
    void checkRow_nanValue_reportsNotFinite() {
        float[] cf = factual();
        cf[1] = Float.NaN;
        assertThat(rules(cf, 0)).containsExactly(Rule.NOT_FINITE);
    }

    @Test
    void checkRow_projectedRandomRows_neverViolate() {
        ActionSpace space = ActionSpace.of(TinyRecourse.mixed());
        FeasibilityProjector p = new FeasibilityProjector(space);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int rows = 500;
        float[] x = new float[rows * 9];
        float[] c = new float[rows * 9];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(factual(), 0, x, r * 9, 9);
            for (int j = 0; j < 9; j++) {
                c[r * 9 + j] = (float) (rng.nextDouble() * 8 - 4);
            }
        }
        p.project(x, c, rows, 2, space.l1Weights());
        for (int r = 0; r < rows; r++) {
            assertThat(validator.checkRow(r, x, r * 9, c, r * 9, 2)).isEmpty();
        }
    }
}
