package org.cfq.recourse.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.data.Actionability;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.TinyRecourse;
import org.junit.jupiter.api.Test;

class WachterGeneratorTest {

    @Test
    void generate_linearTwoFeatures_stopsJustPastTheBoundary() {
        // margin = 2 x0 + x1 - 2. Each step at margin m moves x by 0.04 * (sigmoid(-m) + 1) * (2, 1),
        // raising the margin by at most 0.04 * 2 * 5 = 0.4: the first valid point has margin in (0, 0.4]
        // and sits on the gradient ray (2t, t) with t in (0.4, 0.48], so L1 cost 3t in (1.2, 1.44].
        Mlp model = TinyRecourse.linear(new float[] {2f, 1f}, -2f);
        RecourseBatch b = new WachterGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE)), WachterConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        assertThat(f.margin()).isGreaterThan(0).isLessThanOrEqualTo(0.4);
        assertThat(f.cost()).isGreaterThan(1.19).isLessThanOrEqualTo(1.44);
    }

    @Test
    void generate_saturatedFarBoundary_raisesOutcomeWeightUntilValid() {
        // margin = 0.05 (x0 + x1) - 0.3: the gradient is tiny, so round 1 (lambda 1) cannot get there in
        // 20 steps of at most 0.04 * 2 * 0.05 per coordinate; later rounds with lambda up to 128 do.
        Mlp model = TinyRecourse.linear(new float[] {0.05f, 0.05f}, -0.3f);
        RecourseBatch b = new WachterGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE)), WachterConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        assertThat(b.get(0)).isInstanceOfSatisfying(RecourseResult.Found.class,
                f -> assertThat(f.margin()).isGreaterThan(0));
    }
}
