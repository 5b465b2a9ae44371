package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.TinyRecourse;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.junit.jupiter.api.Test;

/**
 * The subgroup audit on AuditTest's one-feature logistic teacher (margin {@code x0 - 1}) and its
 * stricter student ({@code x0 - 1.5}), each test row repeated ten times so groups reach the
 * support a gap needs; every number follows from the decision rules by hand.
 */
class SubgroupAuditTest {
    private static final float[] X0 = {-1f, 0f, 0.6f, 1.2f, 1.4f, 2f, 3f};
    private static final int[] Y = {0, 0, 0, 1, 1, 1, 1};
    /** Group A holds base rows 0, 1, 3, 5; group B rows 2, 4, 6. */
    private static final int[] GROUP = {0, 0, 1, 0, 1, 0, 1};
    private static final int COPIES = 10;
    private static final Encoder ENCODER = TinyRecourse.twoContinuous(Actionability.FREE, Actionability.IMMUTABLE);
    private static final Mlp TEACHER = TinyRecourse.linear(new float[] {1f, 0f}, -1f);

    private static SubgroupAudit audit(Mlp student) {
        int rows = X0.length * COPIES;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        int[] g = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = X0[r % X0.length];
            y[r] = Y[r % X0.length];
            g[r] = GROUP[r % X0.length];
        }
        PgdGenerator pgd = new PgdGenerator(ActionSpace.of(ENCODER), PgdConfig.defaults());
        EncodedSplits splits = EncodedSplits.testOnly(x, y, 2);
        TeacherRecourse tr = Audit.teacherRecourse(TEACHER, splits, pgd, "defaults", RecourseRequest.defaults(),
                AuditConfig.defaults());
        return SubgroupAudit.of(TEACHER, student, splits, new Subgroups("g", List.of("A", "B"), g), tr, pgd);
    }

    @Test
    void of_stricterStudent_breaksDownTheAuditByGroupAndFindsTheFidelityGap() {
        SubgroupAudit s = audit(TinyRecourse.linear(new float[] {1f, 0f}, -1.5f));
        SubgroupAudit.Group a = s.groups().get(0);
        SubgroupAudit.Group b = s.groups().get(1);
        assertThat(a.name()).isEqualTo("A");
        assertThat(a.testRows()).isEqualTo(40);
        assertThat(b.testRows()).isEqualTo(30);
        // Teacher / student decisions: A (-1, 0, 1.2, 2) -> 0011 / 0001; B (0.6, 1.4, 3) -> 011 / 001.
        assertThat(a.fidelity()).isEqualTo(0.75);
        assertThat(b.fidelity()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(a.leniency()).isZero();
        assertThat(a.teacherUnfavorable()).isEqualTo(20);
        // Factuals are the teacher's negatives: x0 = -1, 0 in A (20) and 0.6 in B (10).
        assertThat(a.factuals()).isEqualTo(20);
        assertThat(b.factuals()).isEqualTo(10);
        assertThat(a.teacherFeasible()).isEqualTo(1.0);
        // pgd stops just past x0 = 1, under the student's 1.5: every x'_T is rejected in both groups.
        assertThat(a.vd()).isEqualTo(1.0);
        assertThat(b.vd()).isEqualTo(1.0);
        assertThat(a.crg()).isPositive();
        assertThat(s.gaps().get("fidelity").value()).isCloseTo(0.75 - 2.0 / 3, within(1e-12));
        assertThat(s.gaps().get("fidelity").high()).isEqualTo("A");
        assertThat(s.gaps().get("fidelity").low()).isEqualTo("B");
        assertThat(s.gaps().get("vd").value()).isZero();
        assertThat(s.gaps().keySet()).containsExactlyElementsOf(SubgroupAudit.METRICS);
    }

    @Test
    void of_studentEqualToTeacher_hasNoGapAnywhere() {
        SubgroupAudit s = audit(TinyRecourse.linear(new float[] {1f, 0f}, -1f));
        for (String m : List.of("vd", "fidelity", "leniency", "teacher_feasible", "student_feasible")) {
            assertThat(s.gaps().get(m).value()).as(m).isZero();
        }
        assertThat(s.groups()).allSatisfy(g -> assertThat(g.vd()).isZero());
    }

    private static Table table(double[] age, String[] sex) {
        FeatureSchema schema = new FeatureSchema("t", List.of(FeatureSpec.integer("age", Actionability.FREE),
                FeatureSpec.binary("sex", List.of("Female", "Male"), Actionability.FREE)), "y", "1");
        double[] s = new double[sex.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sex[i].equals("Male") ? 1 : 0;
        }
        return new Table(schema, new double[][] {age, s}, new int[age.length]);
    }

    @Test
    void subgroupsOf_levelFeatureAndNumericFeature_groupByLevelAndByTrainingMedian() {
        Table train = table(new double[] {20, 30, 40, 50}, new String[] {"Male", "Male", "Female", "Male"});
        Table test = table(new double[] {35, 36, 10}, new String[] {"Male", "Male", "Male"});
        Subgroups bySex = Subgroups.of(train, test, "sex");
        assertThat(bySex.names()).as("only levels present in the test rows").containsExactly("Male");
        assertThat(bySex.groupOfRow()).containsExactly(0, 0, 0);
        Subgroups byAge = Subgroups.of(train, test, "age");
        // training median of 20, 30, 40, 50 is 35
        assertThat(byAge.names()).containsExactly("age <= 35.0000", "age > 35.0000");
        assertThat(byAge.groupOfRow()).containsExactly(0, 1, 0);
        assertThatThrownBy(() -> Subgroups.of(train, test, "race")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no feature 'race'").hasMessageContaining("[age, sex]");
    }
}
