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
        assertThat(c.budget().bits().averageBits()).isEqualTo(3.0);
        assertThat(c.budget().bits().candidates()).isEqualTo(List.of(2, 3, 4, 8));
        assertThat(c.budget().initialBits()).isEqualTo(4);
        assertThat(c.budget().temperatureStart()).isEqualTo(5.0);
        assertThat(c.budget().temperatureEnd()).isEqualTo(0.25);
        assertThat(c.budget().penaltyWeight()).isEqualTo(1e-2);
        assertThat(c.quantizers().pact()).isTrue();
        assertThat(c.quantizers().granularity()).isEqualTo(Granularity.TENSOR);
        assertThat(c.loss().eta()).isEqualTo(1.0);
        PgdConfig t = c.search().pgd();
        assertThat(List.of(t.steps(), t.step(), t.restarts(), t.escalationRounds())).isEqualTo(List.of(3, 0.08, 1, 0));
        assertThat(c.loss().hingeWeight()).isZero();
        assertThat(c.loss().hingeMargin()).isEqualTo(0.25);
        assertThat(c.loss().matchWeight()).isZero();
        assertThat(c.loss().distillWeight()).isZero();
        assertThat(c.budget().projectToBudget()).isFalse();
        assertThat(c.optimiser().learningRate()).isEqualTo(1e-3);
        assertThat(c.optimiser().weightDecay()).isEqualTo(1e-4);
        assertThat(c.optimiser().batchSize()).isEqualTo(256);
        assertThat(c.optimiser().epochs()).isEqualTo(20);
        assertThat(c.optimiser().patience()).isEqualTo(8);
    }

    @Test
    void extended_addsDistillationProjectionAndHingeInPlaceOfCrossEntropy() {
        CfqConfig e = CfqConfig.extended(3);
        assertThat(e.loss().distillWeight()).isEqualTo(1.0);
        assertThat(e.loss().distillTemperature()).isEqualTo(2.0);
        assertThat(e.budget().projectToBudget()).isTrue();
        assertThat(e.loss().eta()).isZero();
        assertThat(e.loss().hingeWeight()).isEqualTo(1.0);
        assertThat(e.loss().hingeMargin()).isEqualTo(0.25);
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
        assertThatThrownBy(() -> new CfqConfig.Budget(CfqConfig.defaults().budget().bits(), 5, 2.0, false, 5.0, 0.25,
                1e-2, false))
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
        assertThat(CfqConfig.defaults().loss().pathPoints()).isZero();
        assertThat(CfqConfig.defaults().loss().pinBoundary()).isFalse();
        assertThat(CfqConfig.defaults().withPathMatching(1, 2, 0.5, true).summary()).contains("+path2@0.5(pin)");
    }
}
