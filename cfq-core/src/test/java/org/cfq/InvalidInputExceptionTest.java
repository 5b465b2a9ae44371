package org.cfq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InvalidInputExceptionTest {
    @Test
    void requireThrowsOnlyWhenTheCheckFails() {
        InvalidInputException.require(true, "--limit 3", "must be >= 0", "Give a count");
        assertThatThrownBy(() -> InvalidInputException.require(false, "--limit -1", "must be >= 0", "Give a count"))
                .isInstanceOf(InvalidInputException.class).hasMessage("--limit -1: must be >= 0. Give a count");
    }

    @Test
    void parseTrimsAndNamesTheValueOnFailure() {
        int n = InvalidInputException.parse("--n", " 7 ", Integer::parseInt, "not a number", "Give 7");
        assertThat(n).isEqualTo(7);
        assertThatThrownBy(() -> InvalidInputException.parse("--n", "x", Integer::parseInt, "not a number", "Give 7"))
                .isInstanceOf(InvalidInputException.class).hasMessage("--n x: not a number. Give 7");
    }
}
