package org.cfq.recourse.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cfq.data.Actionability;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.TinyRecourse;
import org.junit.jupiter.api.Test;

class PgdGeneratorTest {
    // margin = 2 x0 + x1 - 2: from (0, 0) the gradient ray (2t, t) meets the boundary at t = 0.4,
    // i.e. (0.8, 0.4), L1 cost 1.2; the L1 optimum moves x0 alone to 1 (cost 1).
    private final Mlp model = TinyRecourse.linear(new float[] {2f, 1f}, -2f);

    @Test
    void generate_linearTwoFeatures_findsValidPointAlongTheGradientRay() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        assertThat(b.get(0)).isInstanceOf(RecourseResult.Found.class);
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        assertThat(f.margin()).isGreaterThan(0);
        assertThat(f.cost()).isBetween(1.0, 1.25);
        assertThat(f.changedFeatures()).isEqualTo(2);
    }

    @Test
    void generate_mixedCost_findsAValidPointPricedHalfL1HalfL2() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults().withCost(CostKind.MIXED));
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        float[] cf = f.counterfactual();
        double l1 = Math.abs(cf[0]) + Math.abs(cf[1]);
        double l2 = Math.sqrt((double) cf[0] * cf[0] + (double) cf[1] * cf[1]);
        assertThat(f.margin()).isGreaterThan(0);
        assertThat(f.cost()).isCloseTo(0.5 * l1 + 0.5 * l2, within(1e-6));
        // the boundary 2 x0 + x1 = 2 is at L2 distance 0.894 and L1 distance 1 from the origin
        assertThat(f.cost()).isBetween(0.94, 1.1);
    }

    @Test
    void generate_x0Immutable_movesOnlyX1ToTwo() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.IMMUTABLE, Actionability.FREE);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        float[] cf = f.counterfactual();
        assertThat(cf[0]).isEqualTo(0f);
        assertThat((double) cf[1]).isCloseTo(2.0, within(0.1));
        assertThat(f.changedFeatures()).isEqualTo(1);
    }

    @Test
    void generate_marginTwo_reachesTheTargetMargin() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults().withMargin(2));
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        assertThat(f.margin()).isGreaterThan(2);
    }

    @Test
    void generate_everyFeatureImmutable_reportsNoActionableFeatures() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.IMMUTABLE, Actionability.IMMUTABLE);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(model, new float[] {0f, 0f, 1f, 1f}, 2, RecourseRequest.defaults());
        assertThat(b.get(0)).isEqualTo(new RecourseResult.NotFound(RecourseResult.Reason.NO_ACTIONABLE_FEATURES));
        // the second row is already favorable (margin 1): found at zero cost
        assertThat(b.get(1)).isInstanceOfSatisfying(RecourseResult.Found.class, f -> assertThat(f.cost()).isZero());
    }

    @Test
    void generate_boxTooSmall_reportsBudgetExhausted() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE);
        Mlp far = TinyRecourse.linear(new float[] {1f, 1f}, -20f); // needs x0 + x1 > 20, box allows 10
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults())
                .generate(far, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        assertThat(b.get(0)).isEqualTo(new RecourseResult.NotFound(RecourseResult.Reason.BUDGET_EXHAUSTED));
    }

    @Test
    void generate_mixedSchemaBatch_neverViolatesTheActionSet() {
        Encoder enc = TinyRecourse.mixed();
        // favorable needs education, job c, owner, income; age and hours would help but are blocked
        Mlp m = TinyRecourse.linear(new float[] {0.5f, 0.3f, 2f, 1f, -1f, 0f, 1f, 2f, 1f}, -2.5f);
        int rows = 64;
        float[] x = new float[rows * 9];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int r = 0; r < rows; r++) {
            int o = r * 9;
            x[o] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 1] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 2] = (float) ((20 + rng.nextInt(50) - 40) / 10.0);
            x[o + 3] = (float) (rng.nextInt(4) - 1);
            x[o + 4 + rng.nextInt(3)] = 1f;
            x[o + 7] = (float) ((10 + rng.nextInt(60) - 40) / 10.0);
            x[o + 8] = rng.nextInt(2);
        }
        RecourseRequest req = RecourseRequest.defaults().withSparsity(2);
        RecourseBatch b = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults()).generate(m, x, rows, req);
        RecourseValidator.Report rep = new RecourseValidator(enc).check(x, b, req, m);
        assertThat(b.foundCount()).isGreaterThan(rows / 2);
        assertThat(rep.checked()).isEqualTo(b.foundCount());
        assertThat(rep.violations()).isEmpty();
        assertThat(rep.invalid()).isZero();
    }

    @Test
    void generate_batchOfCopies_givesEachRowTheSingleRowAnswer() {
        Encoder enc = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.FREE);
        PgdGenerator g = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults().withRestarts(1));
        RecourseBatch one = g.generate(model, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        RecourseBatch many = g.generate(model, new float[] {0f, 0f, 0f, 0f, 0f, 0f}, 3, RecourseRequest.defaults());
        for (int i = 0; i < 3; i++) {
            assertThat(many.get(i)).isEqualTo(one.get(0));
        }
    }

    @Test
    void generate_batchLargerThanOneChunk_givesEveryRowTheSingleRowAnswer() {
        Encoder enc = TinyRecourse.mixed();
        Mlp m = TinyRecourse.linear(new float[] {0.5f, 0.3f, 2f, 1f, -1f, 0f, 1f, 2f, 1f}, -0.5f);
        float[] one = {0f, 0f, -1f, 0f, 1f, 0f, 0f, 0f, 0f};
        int rows = GradientSearch.CHUNK_ROWS + 77;
        float[] x = new float[rows * 9];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(one, 0, x, r * 9, 9);
        }
        PgdGenerator g = new PgdGenerator(ActionSpace.of(enc), PgdConfig.defaults().withRestarts(1));
        RecourseRequest req = RecourseRequest.defaults().withSparsity(2);
        RecourseResult single = g.generate(m, one, 1, req).get(0);
        RecourseBatch all = g.generate(m, x, rows, req);
        assertThat(single.found()).isTrue();
        for (int r = 0; r < rows; r++) {
            assertThat(all.get(r)).as("row %d", r).isEqualTo(single);
        }
    }
}
