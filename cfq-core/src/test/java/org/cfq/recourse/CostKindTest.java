package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostKindTest {
    @Test
    void parse_everyNameInAnyCase_givesItsKind() {
        assertThat(CostKind.parse("l1")).isEqualTo(CostKind.L1);
        assertThat(CostKind.parse(" MAD ")).isEqualTo(CostKind.L1_MAD);
        assertThat(CostKind.parse("l1-mad")).isEqualTo(CostKind.L1_MAD);
        assertThat(CostKind.parse("L0")).isEqualTo(CostKind.L0);
        assertThat(CostKind.parse("l2")).isEqualTo(CostKind.L2);
        assertThat(CostKind.parse("mixed")).isEqualTo(CostKind.MIXED);
    }

    @Test
    void parse_unknownName_failsNamingTheKinds() {
        assertThatThrownBy(() -> CostKind.parse("l3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'l3'").hasMessageContaining("l1, mad, l0, l2 or mixed");
        assertThatThrownBy(() -> CostKind.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
