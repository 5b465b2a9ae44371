package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cfq.InvalidInputException;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizedModelFileTest {
    @TempDir
    Path dir;

    @Test
    void read_goldenVersion1_stillLoadsAndGivesPinnedLogits() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/golden/quantized-model-v1.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SavedQuantizedModel m = QuantizedModelFile.parse(text, "golden/quantized-model-v1.json");
        float[] x = m.encoder().encode(GoldenModel.rows());
        float[] logits = new float[4];
        m.model().logits(x, 2, logits);
        assertThat(logits).containsExactly(GoldenModel.PINNED_LOGITS);
        assertThat(m.model()).isEqualTo(GoldenQuantizedModel.build().model());
        assertThat(m.model().bitsPerLayer()).containsExactly(4, 3);
        assertThat(m.method()).isEqualTo("ptq");
    }

    @Test
    void writeThenRead_perChannelWithActivations_identicalModelAndBitIdenticalLogits() throws IOException {
        SavedModel teacher = GoldenModel.build();
        Mlp big = Mlp.initialize(7, new int[] {9, 5}, new SplittableRandom(4));
        float[] x = teacher.encoder().encode(GoldenModel.rows());
        for (int bits = 2; bits <= 8; bits++) {
            QuantizedMlp q = PostTrainingQuantizer.quantize(big, new int[] {bits, 3, 8},
                    PtqConfig.defaults().withGranularity(Granularity.CHANNEL).withActivationBits(bits), x, 2,
                    new SplittableRandom(1));
            SavedQuantizedModel saved = new SavedQuantizedModel(q, teacher.encoder(), "ptq", bits, "ab".repeat(32),
                    teacher.provenance());
            Path file = dir.resolve("q" + bits + ".json");
            QuantizedModelFile.write(file, saved);
            SavedQuantizedModel loaded = QuantizedModelFile.read(file, teacher.schema());
            assertThat(loaded.model()).isEqualTo(q);
            float[] a = new float[4];
            float[] b = new float[4];
            q.logits(x, 2, a);
            loaded.model().logits(x, 2, b);
            assertThat(bits(b)).containsExactly(bits(a));
            assertThat(loaded.encoder()).isEqualTo(teacher.encoder());
            assertThat(loaded.provenance()).isEqualTo(teacher.provenance());
            assertThat(loaded.teacherSha256()).isEqualTo("ab".repeat(32));
            assertThat(loaded.budgetBits()).isEqualTo(bits);
        }
    }

    @Test
    void read_damagedCodeCharacter_failsOnChecksum() {
        String text = QuantizedModelFile.toJson(GoldenQuantizedModel.build());
        int at = text.indexOf("\"codes\" : \"") + 11;
        char c = text.charAt(at);
        String damaged = text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
        assertThatThrownBy(() -> QuantizedModelFile.parse(damaged, "q.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("q.json, field 'layers.sha256'")
                .hasMessageContaining("do not match their checksum");
    }

    @Test
    void read_truncatedFile_failsNamingFile() throws IOException {
        Path file = dir.resolve("q.json");
        QuantizedModelFile.write(file, GoldenQuantizedModel.build());
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> QuantizedModelFile.read(file))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON at line")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void read_teacherFile_saysToQuantizeFirst() {
        String teacher = ModelFile.toJson(GoldenModel.build());
        assertThatThrownBy(() -> QuantizedModelFile.parse(teacher, "t.json"))
                .hasMessageContaining("expected 'cfq-quantized-model'")
                .hasMessageContaining("float teacher; quantize it first");
    }

    @Test
    void read_newerVersion_asksToUpgrade() {
        String text = QuantizedModelFile.toJson(GoldenQuantizedModel.build()).replace("\"version\" : 1", "\"version\" : 2");
        assertThatThrownBy(() -> QuantizedModelFile.parse(text, "q.json"))
                .hasMessageContaining("format version 2; this cfq reads version 1")
                .hasMessageContaining("Upgrade cfq");
    }

    @Test
    void read_bitsOutOfRange_failsNamingLayerField() {
        String text = QuantizedModelFile.toJson(GoldenQuantizedModel.build()).replaceFirst("\"bits\" : 4", "\"bits\" : 9");
        assertThatThrownBy(() -> QuantizedModelFile.parse(text, "q.json"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layers.items[0]")
                .hasMessageContaining("bits must be in [2, 8], got 9");
    }

    @Test
    void read_missingFile_failsAsBadInput() {
        assertThatThrownBy(() -> QuantizedModelFile.read(dir.resolve("none.json")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("cfq quantize");
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToIntBits(a[i]);
        }
        return b;
    }
}
