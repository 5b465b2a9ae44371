package org.cfq.recourse.diverse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.TinyRecourse;
import org.junit.jupiter.api.Test;

class DiverseGeneratorTest {

    @Test
    void generateDiverse_mixedSchema_givesSeveralDistinctValidFeasiblePointsCheapestFirst() {
        var enc = TinyRecourse.mixed();
        // income, savings, education, job c and owner all help: many different actions work
        var m = TinyRecourse.linear(new float[] {1f, 1f, 0f, 1f, -1f, 0f, 1f, 0f, 1f}, -1.5f);
        float[] x = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
        RecourseRequest req = RecourseRequest.defaults();
        List<List<RecourseResult.Found>> sets = new DiverseGenerator(ActionSpace.of(enc), DiverseConfig.defaults())
                .generateDiverse(m, x, 1, req);
        List<RecourseResult.Found> set = sets.get(0);
        assertThat(set.size()).isGreaterThanOrEqualTo(2);
        for (int a = 0; a < set.size(); a++) {
            assertThat(set.get(a).margin()).isGreaterThan(0);
            assertThat(set.get(a).cost()).isGreaterThanOrEqualTo(set.get(0).cost());
            for (int b = a + 1; b < set.size(); b++) {
                assertThat(set.get(a).counterfactual()).isNotEqualTo(set.get(b).counterfactual());
            }
        }
        RecourseBatch all = RecourseBatch.of(9, set.toArray(new RecourseResult[0]));
        float[] xs = new float[9 * set.size()];
        for (int i = 0; i < set.size(); i++) {
            System.arraycopy(x, 0, xs, i * 9, 9);
        }
        RecourseValidator.Report rep = new RecourseValidator(enc).check(xs, all, req, m);
        assertThat(rep.violations()).isEmpty();
        assertThat(rep.invalid()).isZero();
    }
}
