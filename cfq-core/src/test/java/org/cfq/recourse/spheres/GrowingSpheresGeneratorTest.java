package org.cfq.recourse.spheres;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.data.Actionability;
import org.cfq.model.Classifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.TinyRecourse;
import org.junit.jupiter.api.Test;

class GrowingSpheresGeneratorTest {
    /** A step classifier (no gradient anywhere): favorable iff x1 > 1; margin +1 / -1. */
    private static final Classifier STEP = new Classifier() {
        @Override
        public int inputDim() {
            return 2;
        }

        @Override
        public void logits(float[] x, int rows, float[] out) {
            for (int r = 0; r < rows; r++) {
                out[2 * r] = 0f;
                out[2 * r + 1] = x[2 * r + 1] > 1f ? 1f : -1f;
            }
        }
    };

    @Test
    void generate_stepClassifier_findsPointInTheFirstValidShellAndDropsTheUselessFeature() {
        // x0 is free but useless: sparsification resets it. The first shell that can reach x1 > 1
        // is [1, 1.25], so the cost (|x1| alone after the reset) is in (1, 1.25].
        var space = ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE));
        RecourseBatch b = new GrowingSpheresGenerator(space, GrowingSpheresConfig.defaults())
                .generate(STEP, new float[] {0f, 0f, 0.5f, 0.5f}, 2, RecourseRequest.defaults());
        for (int i = 0; i < 2; i++) {
            RecourseResult.Found f = (RecourseResult.Found) b.get(i);
            assertThat(f.counterfactual()[0]).isEqualTo(i == 0 ? 0f : 0.5f);
            assertThat(f.counterfactual()[1]).isGreaterThan(1f);
            assertThat(f.changedFeatures()).isEqualTo(1);
        }
        assertThat(((RecourseResult.Found) b.get(0)).cost()).isBetween(1.0, 1.25);
    }

    @Test
    void generate_mixedSchema_neverViolatesTheActionSet() {
        var enc = TinyRecourse.mixed();
        // margin -3.5 at x; with two changes only job -> c (+2) and education +1 or +2 get there
        var m = TinyRecourse.linear(new float[] {0.5f, 0.3f, 2f, 1f, -1f, 0f, 1f, 2f, 1f}, -0.5f);
        float[] x = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
        RecourseRequest req = RecourseRequest.defaults().withSparsity(2);
        RecourseBatch b = new GrowingSpheresGenerator(ActionSpace.of(enc), GrowingSpheresConfig.defaults())
                .generate(m, x, 1, req);
        assertThat(b.foundCount()).isEqualTo(1);
        RecourseValidator.Report rep = new RecourseValidator(enc).check(x, b, req, m);
        assertThat(rep.violations()).isEmpty();
        assertThat(rep.invalid()).isZero();
    }
}
