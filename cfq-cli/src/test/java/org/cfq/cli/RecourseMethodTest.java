package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecourseMethodTest {
    @Test
    void publishedSparsity_builtInNames_givesPublishedLimits() {
        assertThat(RecourseMethod.publishedSparsity("adult")).isEqualTo(5);
        assertThat(RecourseMethod.publishedSparsity("GERMAN")).isEqualTo(4);
        assertThat(RecourseMethod.publishedSparsity("compas")).isEqualTo(3);
    }

    @Test
    void publishedSparsity_syntheticCsvOrUnknown_givesNoLimit() {
        assertThat(RecourseMethod.publishedSparsity("synthetic")).isZero();
        assertThat(RecourseMethod.publishedSparsity(null)).isZero();
        assertThat(RecourseMethod.publishedSparsity("my-loans")).isZero();
    }
}
