package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.junit.jupiter.api.Test;

class DownloadedDatasetTest {
    private static final RemoteFile FILE = new RemoteFile("toy.csv", URI.create("https://example.org/toy.csv"),
            "0".repeat(64));
    private static final FeatureSchema SCHEMA = new FeatureSchema("toy", List.of(
            FeatureSpec.integer("a", Actionability.FREE), FeatureSpec.integer("b", Actionability.FREE),
            FeatureSpec.integer("c", Actionability.FREE), FeatureSpec.integer("d", Actionability.FREE)), "y", "1");

    private static final class Toy extends DownloadedDataset {
        Toy() {
            super("toy", "a toy dataset", List.of(FILE), SCHEMA, 2, List.of("a", "b"), List.of(
                    Map.entry("d", Actionability.DECREASE_ONLY), Map.entry("c", Actionability.INCREASE_ONLY)));
        }

        @Override
        public Dataset load(Map<String, Path> files, long splitSeed) {
            throw new UnsupportedOperationException("not read in this test");
        }
    }

    @Test
    void accessors_givenFacts_returnThem() {
        Toy t = new Toy();
        assertThat(t.name()).isEqualTo("toy");
        assertThat(t.description()).isEqualTo("a toy dataset");
        assertThat(t.files()).containsExactly(FILE);
        assertThat(t.schema()).isEqualTo(SCHEMA);
        assertThat(t.publishedSparsity()).isEqualTo(2);
    }

    @Test
    void actions_paper_onlyTheAlwaysImmutableFeatures() {
        assertThat(new Toy().actions(ActionPreset.PAPER)).containsExactly(
                Map.entry("a", Actionability.IMMUTABLE), Map.entry("b", Actionability.IMMUTABLE));
    }

    @Test
    void actions_realistic_addsItsRulesInOrderAfterTheImmutableOnes() {
        assertThat(new Toy().actions(ActionPreset.REALISTIC)).containsExactly(
                Map.entry("a", Actionability.IMMUTABLE), Map.entry("b", Actionability.IMMUTABLE),
                Map.entry("d", Actionability.DECREASE_ONLY), Map.entry("c", Actionability.INCREASE_ONLY));
    }
}
