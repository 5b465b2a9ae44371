package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishedSparsityTest {
    @Test
    void publishedSparsity_builtInNames_givesPublishedLimits() {
        assertThat(DatasetRegistry.builtIn().publishedSparsity("adult")).isEqualTo(5);
        assertThat(DatasetRegistry.builtIn().publishedSparsity("GERMAN")).isEqualTo(4);
        assertThat(DatasetRegistry.builtIn().publishedSparsity("compas")).isEqualTo(3);
    }

    @Test
    void publishedSparsity_syntheticCsvOrUnknown_givesNoLimit() {
        assertThat(DatasetRegistry.builtIn().publishedSparsity("synthetic")).isZero();
        assertThat(DatasetRegistry.builtIn().publishedSparsity(null)).isZero();
        assertThat(DatasetRegistry.builtIn().publishedSparsity("my-loans")).isZero();
    }
}
