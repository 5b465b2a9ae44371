package org.cfq.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;

class DatasetFingerprintTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("toy",
            List.of(FeatureSpec.continuous("age", Actionability.IMMUTABLE),
                    FeatureSpec.categorical("job", List.of("a", "b"), Actionability.FREE)),
            "y", "yes");

    private static Table table(double age0) {
        return new Table(SCHEMA, new double[][] {{age0, 40}, {0, 1}}, new int[] {1, 0});
    }

    @Test
    void of_sameData_givesSameSha256Fingerprint() {
        String a = DatasetFingerprint.of(table(30));
        assertThat(a).isEqualTo(DatasetFingerprint.of(table(30)));
        assertThat(a).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void of_oneValueChanged_givesDifferentFingerprint() {
        assertThat(DatasetFingerprint.of(table(30))).isNotEqualTo(DatasetFingerprint.of(table(31)));
    }

    @Test
    void of_otherActionability_givesDifferentFingerprint() {
        Table t = table(30);
        Table other = t.withSchema(SCHEMA.withActionability(java.util.Map.of("age", Actionability.FREE)));
        assertThat(DatasetFingerprint.of(t)).isNotEqualTo(DatasetFingerprint.of(other));
    }

    @Test
    void provenanceOf_givenInstant_recordsItAndThisJvm() {
        Provenance p = Provenance.of(3, "cfg", "sha256:00", Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(p.createdAt()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(p.seed()).isEqualTo(3);
        assertThat(p.javaVersion()).isEqualTo(System.getProperty("java.version"));
        assertThat(p.cfqVersion()).isEqualTo(Provenance.CFQ_VERSION);
    }
}
