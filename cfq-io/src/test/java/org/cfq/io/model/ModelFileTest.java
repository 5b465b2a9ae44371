package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void read_goldenVersion1_stillLoadsAndGivesPinnedLogits() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/golden/model-v1.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SavedModel m = ModelFile.parse(text, "golden/model-v1.json");

        float[] x = m.encoder().encode(GoldenModel.rows());
        float[] logits = new float[4];
        m.model().logits(x, 2, logits);
        assertThat(logits).containsExactly(GoldenModel.PINNED_LOGITS);
        assertThat(m.kind()).isEqualTo("mlp");
        assertThat(m.schema()).isEqualTo(GoldenModel.schema());
        assertThat(m.training().seed()).isEqualTo(7);
        assertThat(m.provenance().createdAt()).isEqualTo("2026-11-26T00:00:00Z");
        assertThat(m).usingRecursiveComparison().isEqualTo(GoldenModel.build());
    }

    @Test
    void writeThenRead_randomMlp_givesBitIdenticalLogitsAndSameParts() throws IOException {
        SavedModel saved = randomModel(new int[] {16, 8}, 11);
        Path file = dir.resolve("sub/model.json");
        ModelFile.write(file, saved);
        SavedModel loaded = ModelFile.read(file, saved.schema());

        float[] x = saved.encoder().encode(GoldenModel.rows());
        float[] a = new float[4];
        float[] b = new float[4];
        saved.model().logits(x, 2, a);
        loaded.model().logits(x, 2, b);
        assertThat(floatBits(b)).containsExactly(floatBits(a));
        assertThat(loaded.model()).isEqualTo(saved.model());
        assertThat(loaded.encoder()).isEqualTo(saved.encoder());
        assertThat(loaded.training()).isEqualTo(saved.training());
        assertThat(loaded.provenance()).isEqualTo(saved.provenance());
        assertThat(Files.list(dir.resolve("sub")).toList()).containsExactly(file);
    }

    @Test
    void writeThenRead_logistic_keepsKindLogistic() throws IOException {
        SavedModel saved = randomModel(new int[0], 3);
        Path file = dir.resolve("logistic.json");
        ModelFile.write(file, saved);
        assertThat(Files.readString(file)).contains("\"kind\" : \"logistic\"");
        assertThat(ModelFile.read(file).model()).isEqualTo(saved.model());
    }

    @Test
    void read_truncatedFile_failsNamingFileAndJsonPosition() throws IOException {
        Path file = dir.resolve("model.json");
        ModelFile.write(file, randomModel(new int[] {4}, 1));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> ModelFile.read(file))
                .isInstanceOf(ModelFormatException.class)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON at line")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void read_damagedWeightCharacter_failsOnChecksum() throws IOException {
        String text = ModelFile.toJson(randomModel(new int[] {4}, 1));
        int at = text.indexOf("\"weight\" : \"") + 12;
        char c = text.charAt(at);
        String damaged = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
        assertThatThrownBy(() -> ModelFile.parse(damaged, "m.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("m.json, field 'weights.sha256'")
                .hasMessageContaining("do not match their checksum");
    }

    @Test
    void read_shortWeightArray_failsNamingLayerAndSizes() {
        String text = ModelFile.toJson(GoldenModel.build())
                .replace("\"AACAPgAAgL4=\"", "\"AACAPg==\"");
        assertThatThrownBy(() -> ModelFile.parse(text, "m.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("field 'weights.layers[1].bias'")
                .hasMessageContaining("expected 2 float32 values (8 bytes), found 4 bytes");
    }

    @Test
    void read_newerFormatVersion_asksToUpgrade() {
        String text = ModelFile.toJson(GoldenModel.build()).replace("\"version\" : 1,", "\"version\" : 3,");
        assertThatThrownBy(() -> ModelFile.parse(text, "future.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("future.json: it was written by format version 3; this cfq reads version 1. "
                        + "Upgrade cfq or re-export the model");
    }

    @Test
    void read_missingEncoder_failsNamingField() {
        String text = ModelFile.toJson(GoldenModel.build()).replace("\"encoder\" :", "\"encoderX\" :");
        assertThatThrownBy(() -> ModelFile.parse(text, "m.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("m.json, field 'encoder': the field is missing");
    }

    @Test
    void read_unknownFeatureKind_failsNamingFeatureField() {
        String text = ModelFile.toJson(GoldenModel.build()).replace("\"kind\" : \"ordinal\"", "\"kind\" : \"fuzzy\"");
        assertThatThrownBy(() -> ModelFile.parse(text, "m.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("m.json, field 'schema', features[2] ('edu'), field 'kind'")
                .hasMessageContaining("unknown kind 'fuzzy'");
    }

    @Test
    void read_notAModelFile_saysWhatItExpected() {
        assertThatThrownBy(() -> ModelFile.parse("{\"format\": \"cfq-schema\"}", "schema.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("schema.json: it is not a cfq model file")
                .hasMessageContaining("'cfq-schema'");
    }

    @Test
    void read_missingFile_failsAsBadInput() {
        Path file = dir.resolve("nope.json");
        assertThatThrownBy(() -> ModelFile.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope.json")
                .hasMessageContaining("does not exist");
    }

    @Test
    void read_withOtherDatasetSchema_failsNamingDifferingFeatures() throws IOException {
        Path file = dir.resolve("model.json");
        ModelFile.write(file, GoldenModel.build());
        FeatureSchema other = new FeatureSchema("other", List.of(
                FeatureSpec.integer("age", Actionability.IMMUTABLE),
                FeatureSpec.categorical("job", List.of("a", "b", "d"), Actionability.FREE),
                FeatureSpec.ordinal("edu", List.of("hs", "ba", "ms"), Actionability.FREE),
                FeatureSpec.binary("owner", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.continuous("debt", Actionability.FREE)),
                "approved", "yes");
        assertThatThrownBy(() -> ModelFile.read(file, other))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("trained on dataset 'golden' and does not fit dataset 'other'")
                .hasMessageContaining("features [income] of the model are not in the data")
                .hasMessageContaining("features [debt] of the data are not in the model")
                .hasMessageContaining("feature 'age' is continuous in the model but integer in the data")
                .hasMessageContaining("feature 'job' has levels [a, b, c] in the model but [a, b, d] in the data")
                .hasMessageContaining("cfq train --dataset other");
    }

    @Test
    void read_withSameFeaturesOtherActionability_isAccepted() throws IOException {
        Path file = dir.resolve("model.json");
        ModelFile.write(file, GoldenModel.build());
        FeatureSchema relaxed = GoldenModel.schema().withActionability(java.util.Map.of("age", Actionability.FREE));
        assertThat(ModelFile.read(file, relaxed).model()).isEqualTo(GoldenModel.build().model());
    }

    @Test
    void writeThenRead_importedModel_keepsItsSourceAndHasNoTraining() throws IOException {
        SavedModel trained = randomModel(new int[] {4}, 3);
        org.cfq.provenance.ImportSource src = new org.cfq.provenance.ImportSource("onnx", "m.onnx", "ab".repeat(32),
                "pytorch", "1.13.0", 13, "1 probability (sigmoid)", "cd".repeat(32));
        SavedModel imported = new SavedModel(trained.model(), trained.encoder(), new ModelOrigin.Imported(src),
                trained.provenance());
        Path file = dir.resolve("imported.json");
        ModelFile.write(file, imported);
        String text = Files.readString(file);
        assertThat(text).contains("\"imported\"").doesNotContain("\"training\"");
        SavedModel loaded = ModelFile.read(file);
        assertThat(loaded.origin()).isEqualTo(new ModelOrigin.Imported(src));
        assertThat(loaded.model()).isEqualTo(trained.model());
        assertThatThrownBy(loaded::training).isInstanceOf(IllegalStateException.class).hasMessageContaining("imported");
    }

    private static SavedModel randomModel(int[] hidden, long seed) {
        Table t = GoldenModel.rows();
        Encoder enc = Encoder.fit(t, Scaling.STANDARD);
        Mlp net = Mlp.initialize(enc.width(), hidden, new SplittableRandom(seed));
        List<Integer> h = java.util.Arrays.stream(hidden).boxed().toList();
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(h).withSeed(seed);
        Provenance p = Provenance.of(seed, cfg.summary(), DatasetFingerprint.of(t), Instant.parse("2026-01-01T00:00:00Z"));
        return new SavedModel(net, enc, cfg, p);
    }

    private static int[] floatBits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
