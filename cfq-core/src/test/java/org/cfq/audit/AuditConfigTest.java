package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuditConfigTest {

    @Test
    void defaults_negativesAllFactualsSixteenNetworks() {
        AuditConfig c = AuditConfig.defaults();
        assertThat(c.factuals()).isEqualTo(FactualSelection.NEGATIVES);
        assertThat(c.maxFactuals()).isZero();
        assertThat(c.sampledNetworks()).isEqualTo(16);
    }

    @Test
    void constructor_negativeMaxFactuals_isRejectedNamingTheValue() {
        assertThatThrownBy(() -> new AuditConfig(FactualSelection.PAPER, -1, 16, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFactuals")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new AuditConfig(FactualSelection.PAPER, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampledNetworks")
                .hasMessageContaining("got 0");
    }

    @Test
    void certificate_threeOfFourCertified_boundsVdByOneQuarter() {
        AuditReport.Certificate c = new AuditReport.Certificate(true, "sound", 4, 3, List.of(0.1), List.of(0.0),
                false, 0.5);
        assertThat(c.certifiedFraction()).isEqualTo(0.75);
        assertThat(c.vdUpperBound()).isEqualTo(0.25);
        AuditReport.Certificate none = new AuditReport.Certificate(false, "unreadable", 0, 0, List.of(), List.of(),
                false, Double.NaN);
        assertThat(none.certifiedFraction()).isNaN();
    }

    @Test
    void certificate_moreCertifiedThanChecked_isRejected() {
        assertThatThrownBy(() -> new AuditReport.Certificate(true, "", 2, 3, List.of(), List.of(), false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checked = 2")
                .hasMessageContaining("got 3");
    }

    @Test
    void diagnostic_isNeverSound() {
        AuditReport.Diagnostic d = new AuditReport.Diagnostic(16, 10, 4, 0.2);
        assertThat(d.fraction()).isEqualTo(0.4);
        assertThat(d.sound()).isFalse();
    }
}
