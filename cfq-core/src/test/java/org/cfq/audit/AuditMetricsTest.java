package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.encode.ModelSpaceLayout;
import org.junit.jupiter.api.Test;

class AuditMetricsTest {

    @Test
    void fidelity_mixedDecisions_countsAgreementAndLeniency() {
        int[] teacher = {0, 0, 0, 1, 1};
        int[] student = {0, 1, 0, 1, 0};
        Fidelity f = Fidelity.of(teacher, student);
        assertThat(f.agreement()).isEqualTo(3.0 / 5);
        assertThat(f.leniency()).isEqualTo(1.0 / 3);
        assertThat(f.teacherUnfavorable()).isEqualTo(3);
    }

    @Test
    void validityDrop_marginAtThreshold_countsAsInvalid() {
        boolean[] found = {true, true, true, false};
        float[] margin = {0.5f, 0f, -1f, -5f};
        ValidityDrop vd = ValidityDrop.of(found, margin, 0.0);
        assertThat(vd.teacherFound()).isEqualTo(3);
        assertThat(vd.invalidated()).isEqualTo(2);
        assertThat(vd.value()).isEqualTo(2.0 / 3);
    }

    @Test
    void validityDrop_noTeacherCounterfactual_isUndefinedNotZero() {
        // no factual at all (a reference model that accepts every test row), and factuals none found for
        assertThat(ValidityDrop.of(new boolean[0], new float[0], 0.0).value()).isNaN();
        ValidityDrop none = ValidityDrop.of(new boolean[] {false, false}, new float[] {-1f, 2f}, 0.0);
        assertThat(none.value()).isNaN();
        assertThat(none.teacherFound()).isZero();
        assertThat(none.invalidated()).isZero();
    }

    @Test
    void recourseGap_handComputedCosts_givesEachSummary() {
        boolean[] tf = {true, true, true, false};
        double[] tc = {1.0, 2.0, 4.0, 1.0};
        boolean[] sf = {true, true, false, true};
        double[] sc = {1.5, 1.0, 9.0, 3.0};
        RecourseGap g = RecourseGap.of(tf, tc, sf, sc);
        // rows 0 and 1 only: relative gaps +0.5 and -0.5
        assertThat(g.bothFound()).isEqualTo(2);
        assertThat(g.mean()).isEqualTo(0.0);
        assertThat(g.median()).isEqualTo(0.0);
        assertThat(g.ratioOfMeans()).isCloseTo(2.5 / 3.0 - 1, within(1e-12));
        assertThat(g.meanAbsolute()).isEqualTo(0.75);
    }

    @Test
    void recourseGap_lengthMismatch_isRejected() {
        assertThatThrownBy(() -> RecourseGap.of(new boolean[2], new double[1], new boolean[2], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
    }

    @Test
    void directionStability_categoricalGroupCountsOnce() {
        FeatureSchema schema = new FeatureSchema("t", List.of(
                FeatureSpec.continuous("a", Actionability.FREE),
                FeatureSpec.categorical("c", List.of("x", "y", "z"), Actionability.FREE),
                FeatureSpec.continuous("b", Actionability.FREE)), "label", "1");
        ModelSpaceLayout layout = ModelSpaceLayout.of(schema);
        float[] x = {0, 1, 0, 0, 0};
        float[] t = {1, 0, 1, 0, 0}; // moves a and the group c
        float[] s = {1, 1, 0, 0, 1}; // moves a and b
        DirectionStability d = DirectionStability.of(layout, x, t, s, new boolean[] {true});
        // cosine: dt = (1,-1,1,0,0), ds = (1,0,0,0,1): dot 1, norms sqrt3 and sqrt2
        assertThat(d.cosine()).isCloseTo(1 / Math.sqrt(6), within(1e-12));
        // changed sets {a, c} and {a, b}: Jaccard 1/3
        assertThat(d.actionOverlap()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(d.compared()).isEqualTo(1);
    }

    @Test
    void quantile_evenCount_interpolates() {
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Stats.quantile(new double[] {0, 10}, 0.1)).isCloseTo(1.0, within(1e-12));
        assertThat(Stats.median(new double[0])).isNaN();
    }
}
