package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cfq.InvalidInputException;
import org.cfq.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the model-file readers tell a user about a bad file, and what a model's checksum covers. */
class ModelFileMessagesTest {
    @TempDir
    Path dir;

    @Test
    void read_corruptQuantizedFile_suggestsQuantizingAgainNotTraining() {
        String text = QuantizedModelFile.toJson(GoldenQuantizedModel.build());
        String truncated = text.substring(0, text.length() / 2);
        assertThatThrownBy(() -> QuantizedModelFile.parse(truncated, "q.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cfq quantize").satisfies(e -> assertThat(e.getMessage()).doesNotContain("cfq train"));
        String noLayers = text.replace("\"layers\"", "\"layerz\"");
        assertThatThrownBy(() -> QuantizedModelFile.parse(noLayers, "q.json")).hasMessageContaining("cfq quantize");
    }

    @Test
    void read_corruptFloatModel_stillSuggestsTraining() {
        String text = ModelFile.toJson(GoldenModel.build());
        assertThatThrownBy(() -> ModelFile.parse(text.substring(0, text.length() / 2), "m.json"))
                .hasMessageContaining("cfq train");
    }

    @Test
    void read_truncatedJson_showsNoParserInternals() {
        String text = ModelFile.toJson(GoldenModel.build());
        assertThatThrownBy(() -> ModelFile.parse(text.substring(0, 40), "m.json"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("m.json")
                .hasMessageContaining("not valid JSON at line")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source").doesNotContain("REDACTED")
                        .doesNotContain("StreamReadFeature"));
    }

    @Test
    void read_directory_failsAsBadInputNamingIt() {
        assertThatThrownBy(() -> ModelFile.read(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("is a directory");
    }

    @Test
    void contentSha256_ignoresWhenAndWhereTheFileWasWritten() {
        SavedModel m = GoldenModel.build();
        Provenance p = m.provenance();
        SavedModel later = new SavedModel(m.model(), m.encoder(), m.training(), new Provenance(p.cfqVersion(), p.seed(),
                p.config(), p.datasetFingerprint(), "21.0.1", "Mac OS X", "aarch64", "2030-01-01T00:00:00Z"));
        SavedModel otherSeed = new SavedModel(m.model(), m.encoder(), m.training().withSeed(8), p);

        assertThat(ModelFile.toJson(later)).isNotEqualTo(ModelFile.toJson(m));
        assertThat(ModelFile.contentSha256(later)).isEqualTo(ModelFile.contentSha256(m)).hasSize(64);
        assertThat(ModelFile.contentSha256(otherSeed)).isNotEqualTo(ModelFile.contentSha256(m));
    }
}
