package org.cfq.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.cfq.InvalidInputException;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    private static final Instant CLOCK = Instant.parse("2026-12-04T17:00:00Z");

    @Test
    void creationTime_sourceDateEpochSet_fixesTheTimestamp() {
        assertThat(Provenance.creationTime("1700000000", CLOCK)).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
        assertThat(Provenance.creationTime(" 0 ", CLOCK)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void creationTime_unsetOrBlank_isTheClock() {
        assertThat(Provenance.creationTime(null, CLOCK)).isEqualTo(CLOCK);
        assertThat(Provenance.creationTime("", CLOCK)).isEqualTo(CLOCK);
    }

    @Test
    void creationTime_notANumber_failsNamingTheVariable() {
        assertThatThrownBy(() -> Provenance.creationTime("yesterday", CLOCK)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("SOURCE_DATE_EPOCH='yesterday'").hasMessageContaining("whole number of seconds");
    }
}
