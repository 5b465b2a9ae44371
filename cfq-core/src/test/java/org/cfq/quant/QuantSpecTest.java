package org.cfq.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantSpecTest {

    @Test
    void qminQmax_signedFullRange_isTwosComplementRange() {
        assertThat(QuantSpec.weights(8).qmin()).isEqualTo(-128);
        assertThat(QuantSpec.weights(8).qmax()).isEqualTo(127);
        assertThat(QuantSpec.weights(4).qmin()).isEqualTo(-8);
        assertThat(QuantSpec.weights(4).qmax()).isEqualTo(7);
        assertThat(QuantSpec.weights(2).qmin()).isEqualTo(-2);
        assertThat(QuantSpec.weights(2).qmax()).isEqualTo(1);
    }

    @Test
    void qminQmax_signedNarrowRange_dropsMostNegativeCode() {
        QuantSpec s8 = new QuantSpec(8, true, true, Granularity.TENSOR);
        QuantSpec s2 = new QuantSpec(2, true, true, Granularity.TENSOR);
        QuantSpec s3 = new QuantSpec(3, true, true, Granularity.TENSOR);
        assertThat(s8.qmin()).isEqualTo(-127);
        assertThat(s8.qmax()).isEqualTo(127);
        assertThat(s3.qmin()).isEqualTo(-3);
        assertThat(s3.qmax()).isEqualTo(3);
        assertThat(s2.qmin()).isEqualTo(-1);
        assertThat(s2.qmax()).isEqualTo(1);
        assertThat(s2.levels()).isEqualTo(3);
    }

    @Test
    void qminQmax_unsigned_startsAtZero() {
        assertThat(QuantSpec.unsignedActivations(8).qmin()).isZero();
        assertThat(QuantSpec.unsignedActivations(8).qmax()).isEqualTo(255);
        assertThat(QuantSpec.unsignedActivations(2).qmax()).isEqualTo(3);
        assertThat(new QuantSpec(2, false, true, Granularity.TENSOR).qmax()).isEqualTo(2);
    }

    @Test
    void constructor_bitsOutOfRange_failsNamingRange() {
        assertThatThrownBy(() -> QuantSpec.weights(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bits must be in [2, 8], got 9");
        assertThatThrownBy(() -> QuantSpec.weights(1)).hasMessageContaining("got 1");
    }
}
