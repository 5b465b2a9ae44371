package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.Actionability;
import org.cfq.data.encode.Encoder;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.TinyRecourse;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;
import org.junit.jupiter.api.Test;

/**
 * The audit on a one-feature logistic teacher, margin {@code x0 - 1}, whose students differ
 * only in the favorable bias: every expected number follows from the decision rule by hand.
 */
class AuditTest {
    // x0 per test row; x1 is immutable and 0. Teacher favorable for x0 > 1.
    private static final float[] X0 = {-1f, 0f, 0.6f, 1.2f, 1.4f, 2f, 3f};
    private static final int[] Y = {0, 0, 0, 1, 1, 1, 1};
    private static final Encoder ENCODER = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.IMMUTABLE);
    private static final Mlp TEACHER = TinyRecourse.linear(new float[] {1f, 0f}, -1f);

    private static float[] testX() {
        float[] x = new float[X0.length * 2];
        for (int i = 0; i < X0.length; i++) {
            x[2 * i] = X0[i];
        }
        return x;
    }

    private static AuditReport audit(Mlp student, AuditConfig config) {
        PgdGenerator pgd = new PgdGenerator(ActionSpace.of(ENCODER), PgdConfig.defaults());
        return Audit.run(TEACHER, student, EncodedSplits.testOnly(testX(), Y, 2), ENCODER.layout(), pgd, "defaults",
                RecourseRequest.defaults(), config);
    }

    @Test
    void run_studentEqualToTeacher_isFaithfulAndFullyCertified() {
        AuditReport r = audit(TinyRecourse.linear(new float[] {1f, 0f}, -1f), AuditConfig.defaults());
        // Negatives: x0 = -1, 0, 0.6.
        assertThat(r.factuals()).isEqualTo(3);
        assertThat(r.teacherFound()).isEqualTo(3);
        assertThat(r.studentFound()).isEqualTo(3);
        assertThat(r.teacherAccuracy()).isEqualTo(1.0);
        assertThat(r.studentAccuracy()).isEqualTo(1.0);
        assertThat(r.fidelity().agreement()).isEqualTo(1.0);
        assertThat(r.fidelity().leniency()).isEqualTo(0.0);
        assertThat(r.validityDrop().value()).isEqualTo(0.0);
        assertThat(r.recourseGap().mean()).isCloseTo(0.0, within(1e-12));
        assertThat(r.recourseGap().ratioOfMeans()).isCloseTo(0.0, within(1e-12));
        assertThat(r.direction().cosine()).isCloseTo(1.0, within(1e-9));
        assertThat(r.direction().actionOverlap()).isEqualTo(1.0);
        assertThat(r.certificate().weightRadius()).containsExactly(0.0);
        assertThat(r.certificate().certifiedFraction()).isEqualTo(1.0);
        assertThat(r.certificate().vdUpperBound()).isEqualTo(0.0);
        assertThat(r.diagnostic().fraction()).isEqualTo(1.0);
        assertThat(r.diagnostic().sound()).isFalse();
        assertThat(r.teacherFeasible()).isEqualTo(1.0);
    }

    @Test
    void run_stricterStudent_dropsBoundaryRecourseAndCostsMore() {
        // Student margin x0 - 1.5: rows 1.2 and 1.4 flip to unfavorable.
        AuditReport r = audit(TinyRecourse.linear(new float[] {1f, 0f}, -1.5f), AuditConfig.defaults());
        assertThat(r.studentAccuracy()).isEqualTo(5.0 / 7);
        assertThat(r.fidelity().agreement()).isEqualTo(5.0 / 7);
        assertThat(r.fidelity().leniency()).isEqualTo(0.0);
        // pgd with margin 0 stops just past x0 = 1 (well under 1.5): every x'_T is rejected.
        assertThat(r.validityDrop().value()).isEqualTo(1.0);
        assertThat(r.margins().teacherMedian()).isBetween(0.0, 0.5);
        assertThat(r.margins().studentMedian()).isCloseTo(r.margins().teacherMedian() - 0.5, within(1e-5));
        // The student's own recourse moves 0.5 further along x0 for each factual.
        assertThat(r.recourseGap().meanAbsolute()).isCloseTo(0.5, within(0.08));
        assertThat(r.recourseGap().ratioOfMeans()).isGreaterThan(0.0);
        // Bias radius 0.5 on each logit: the certified margin is m_T - 1 < 0.
        // 0.5 rounded up to the next double, so the radius bounds the exact float difference.
        assertThat(r.certificate().biasRadius()).containsExactly(Math.nextUp(0.5));
        assertThat(r.certificate().certified()).isZero();
        assertThat(r.validityDrop().value()).isLessThanOrEqualTo(r.certificate().vdUpperBound());
    }

    @Test
    void run_lenientStudent_keepsRecourseByAcceptingRejectedApplicants() {
        // Student margin x0 - 0.5: accepts the teacher-rejected row x0 = 0.6.
        AuditReport r = audit(TinyRecourse.linear(new float[] {1f, 0f}, -0.5f), AuditConfig.defaults());
        assertThat(r.validityDrop().value()).isEqualTo(0.0);
        assertThat(r.fidelity().leniency()).isEqualTo(1.0 / 3);
        assertThat(r.fidelity().agreement()).isEqualTo(6.0 / 7);
        assertThat(r.recourseGap().ratioOfMeans()).isLessThan(0.0);
    }

    @Test
    void run_paperSelection_takesEveryTestRowUnfiltered() {
        AuditReport r = audit(TinyRecourse.linear(new float[] {1f, 0f}, -1f),
                AuditConfig.defaults().withFactuals(FactualSelection.PAPER));
        assertThat(r.selection()).isEqualTo(FactualSelection.PAPER);
        assertThat(r.factuals()).isEqualTo(7);
        assertThat(r.teacherFound()).isEqualTo(7);
    }

    @Test
    void run_teacherRejectingNoTestRow_auditsZeroFactualsWithoutFailing() {
        // Regression: a float reference that accepts every test row (r-margin on German) left the
        // audit with no factuals, and Mlp refused the empty batch ("workspace capacity ... got 0").
        Mlp lenient = TinyRecourse.linear(new float[] {1f, 0f}, 5f);
        PgdGenerator pgd = new PgdGenerator(ActionSpace.of(ENCODER), PgdConfig.defaults());
        AuditReport r = Audit.run(lenient, TinyRecourse.linear(new float[] {1f, 0f}, -1f),
                EncodedSplits.testOnly(testX(), Y, 2), ENCODER.layout(), pgd, "defaults", RecourseRequest.defaults(),
                AuditConfig.defaults());
        assertThat(r.factuals()).isZero();
        assertThat(r.teacherFound()).isZero();
        assertThat(r.teacherAccuracy()).isEqualTo(4.0 / 7);
        // nothing to audit: every recourse metric is undefined (NaN), none reads as "0% broken"
        assertThat(r.validityDrop().value()).isNaN();
        assertThat(r.recourseGap().ratioOfMeans()).isNaN();
        assertThat(r.teacherFeasible()).isNaN();
        assertThat(r.direction().cosine()).isNaN();
        assertThat(r.margins().teacherMedian()).isNaN();
        assertThat(r.neighbourhood().certifiedFraction()).isNaN();
        assertThat(r.neighbourhood().vdUpperBound()).isNaN();
        assertThat(lenient.margins(new float[0], 0)).isEmpty();
    }

    @Test
    void run_maxFactuals_keepsTheFirstSelectedRows() {
        AuditReport r = audit(TEACHER, AuditConfig.defaults().withMaxFactuals(2));
        assertThat(r.factuals()).isEqualTo(2);
    }

    @Test
    void run_studentOfAnotherShape_isRejectedNamingTheLayer() {
        Mlp wide = Mlp.initialize(2, new int[] {3}, new java.util.SplittableRandom(1));
        assertThatThrownBy(() -> audit(wide, AuditConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers");
        Mlp three = new Mlp(List.of(new DenseLayer(3, 2, new float[6], new float[2])));
        assertThatThrownBy(() -> audit(three, AuditConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widths disagree");
    }

    @Test
    void run_generatorDiffersFromTheTeachersRecourse_isRejected() {
        TeacherRecourse tr = Audit.teacherRecourse(TEACHER, EncodedSplits.testOnly(testX(), Y, 2),
                new PgdGenerator(ActionSpace.of(ENCODER), PgdConfig.defaults()), "defaults",
                RecourseRequest.defaults(), AuditConfig.defaults());
        WachterGenerator wachter = new WachterGenerator(ActionSpace.of(ENCODER), WachterConfig.defaults());
        assertThatThrownBy(() -> Audit.run(TEACHER, TEACHER, EncodedSplits.testOnly(testX(), Y, 2), ENCODER.layout(), tr, wachter,
                AuditConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pgd'")
                .hasMessageContaining("'wachter'");
    }

    @Test
    void select_negatives_keepsRowsAtOrBelowTheThreshold() {
        float[] m = {0.5f, 0f, -1f, 2f, -0.1f};
        assertThat(FactualSelection.NEGATIVES.select(m, 0, 0)).containsExactly(1, 2, 4);
        assertThat(FactualSelection.NEGATIVES.select(m, 0, 2)).containsExactly(1, 2);
        assertThat(FactualSelection.PAPER.select(m, 0, 0)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void parse_unknownSelection_namesTheAcceptedNames() {
        assertThat(FactualSelection.parse(" Paper ")).isEqualTo(FactualSelection.PAPER);
        assertThatThrownBy(() -> FactualSelection.parse("all"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negatives or paper")
                .hasMessageContaining("'all'");
    }
}
