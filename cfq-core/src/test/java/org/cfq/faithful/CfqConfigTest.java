package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.quant.Granularity;
import org.cfq.recourse.gradient.PgdConfig;
import org.junit.jupiter.api.Test;

class CfqConfigTest {

    @Test
    void defaults_matchThePublishedMethod() {
        CfqConfig c = CfqConfig.defaults(3);
        assertThat(c.budget().averageBits()).isEqualTo(3.0);
        assertThat(c.budget().candidates()).isEqualTo(List.of(2, 3, 4, 8));
        assertThat(c.initialBits()).isEqualTo(4);
        assertThat(c.temperatureStart()).isEqualTo(5.0);
        assertThat(c.temperatureEnd()).isEqualTo(0.25);
        assertThat(c.budgetWeight()).isEqualTo(1e-2);
        assertThat(c.pact()).isTrue();
        assertThat(c.granularity()).isEqualTo(Granularity.TENSOR);
        assertThat(c.eta()).isEqualTo(1.0);
        PgdConfig t = c.teacherSearch();
        assertThat(List.of(t.steps(), t.step(), t.restarts(), t.escalationRounds())).isEqualTo(List.of(3, 0.08, 1, 0));
        assertThat(c.hingeWeight()).isZero();
        assertThat(c.hingeMargin()).isEqualTo(0.25);
        assertThat(c.matchWeight()).isZero();
        assertThat(c.distillWeight()).isZero();
        assertThat(c.projectToBudget()).isFalse();
        assertThat(c.learningRate()).isEqualTo(1e-3);
        assertThat(c.weightDecay()).isEqualTo(1e-4);
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.epochs()).isEqualTo(20);
        assertThat(c.patience()).isEqualTo(8);
    }

    @Test
    void extended_addsDistillationProjectionAndHingeInPlaceOfCrossEntropy() {
        CfqConfig e = CfqConfig.extended(3);
        assertThat(e.distillWeight()).isEqualTo(1.0);
        assertThat(e.distillTemperature()).isEqualTo(2.0);
        assertThat(e.projectToBudget()).isTrue();
        assertThat(e.eta()).isZero();
        assertThat(e.hingeWeight()).isEqualTo(1.0);
        assertThat(e.hingeMargin()).isEqualTo(0.25);
        assertThat(e.withDistillation(0, 2.0).withProjection(false).withEta(1.0).withHinge(0, 0.25))
                .isEqualTo(CfqConfig.defaults(3));
    }

    @Test
    void temperature_geometricFromStartToEnd() {
        CfqConfig c = CfqConfig.defaults();
        assertThat(c.temperature(1)).isEqualTo(5.0);
        assertThat(c.temperature(20)).isCloseTo(0.25, within(1e-12));
        // epoch 10 of 20: 5 * (0.25 / 5)^((10 - 1) / (20 - 1))
        double t10 = 5 * Math.pow(0.05, 9.0 / 19);
        assertThat(c.temperature(10)).isCloseTo(t10, within(1e-12));
        assertThat(c.withTraining(1, 256, 1e-3).temperature(1)).isEqualTo(5.0);
    }

    @Test
    void temperature_epochOutOfRange_failsNamingRange() {
        assertThatThrownBy(() -> CfqConfig.defaults().temperature(21))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 20]").hasMessageContaining("21");
    }

    @Test
    void constructor_initialBitsNotACandidate_failsNamingCandidates() {
        assertThatThrownBy(() -> new CfqConfig(CfqConfig.defaults().budget(), 5, 2.0, false, 5.0, 0.25, 1e-2, true, 8,
                Granularity.TENSOR, 1.0, PgdConfig.cfqTraining(), 0, 0.25, 0, 0, 1.0, false, 0, 2.0, false, 1e-3, 1e-4, 256, 20, 8,
                2048, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialBits")
                .hasMessageContaining("[2, 3, 4, 8]").hasMessageContaining("5");
    }

    @Test
    void withEta_nan_isRejected() {
        assertThatThrownBy(() -> CfqConfig.defaults().withEta(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta").hasMessageContaining("NaN");
    }

    @Test
    void withBudget_belowSmallestCandidate_isRejected() {
        assertThatThrownBy(() -> CfqConfig.defaults().withBudget(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }

    @Test
    void withPact_badActivationBits_isRejected() {
        assertThatThrownBy(() -> CfqConfig.defaults().withPact(true, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 8]").hasMessageContaining("9");
    }

    @Test
    void withPathMatching_outOfRange_failsNamingTheValue() {
        assertThatThrownBy(() -> CfqConfig.defaults().withPathMatching(1, CfqConfig.MAX_PATH_POINTS + 1, 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathPoints");
        assertThatThrownBy(() -> CfqConfig.defaults().withPathMatching(1, 2, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathSpan must be in (0, 1]");
        assertThatThrownBy(() -> CfqConfig.defaults().withPathMatching(1, 2, Double.NaN, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pathSpan");
    }

    @Test
    void defaults_pathMatchingOff() {
        assertThat(CfqConfig.defaults().pathPoints()).isZero();
        assertThat(CfqConfig.defaults().pinBoundary()).isFalse();
        assertThat(CfqConfig.defaults().withPathMatching(1, 2, 0.5, true).summary()).contains("+path2@0.5(pin)");
    }
}
