package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.quant.ModelSize;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    @TempDir
    static Path dir;
    static Path teacher;
    static Dataset data;
    static SavedModel saved;

    @BeforeAll
    static void trainTeacher() throws Exception {
        data = TestModels.synthetic(dir);
        saved = TestModels.writeSmallTeacher(dir);
        teacher = dir.resolve("teacher.json");
    }

    @Test
    void quantize_mixedJson_printsOneObjectWithRequiredKeysAndWritesLoadableFile() throws Exception {
        Path out = dir.resolve("mixed.json");
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "mixed", "--bits", "3", "--epochs", "2", "--seed", "42", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("method", "average_bits", "bits_per_layer", "model_bits", "teacher_accuracy",
                "test_accuracy", "agreement_with_teacher", "seconds")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("method").asText()).isEqualTo("mixed");
        assertThat(j.get("average_bits").asDouble()).isLessThanOrEqualTo(3.0);
        assertThat(j.get("bits_per_layer")).hasSize(3);
        assertThat(j.get("agreement_with_teacher").asDouble()).isBetween(0.5, 1.0);
        assertThat(r.err()).contains("epoch 1/2");
        assertThat(j.get("distill").asDouble()).isEqualTo(1.0);
        assertThat(j.get("selection").asText()).isEqualTo("fidelity");

        SavedQuantizedModel loaded = QuantizedModelFile.read(out, data.schema());
        float[] xt = saved.encoder().encode(data.test());
        int[] p = loaded.model().predict(xt, data.test().rows());
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == data.test().label(i) ? 1 : 0;
        }
        assertThat((double) ok / p.length).isEqualTo(j.get("test_accuracy").asDouble());
        assertThat(loaded.method()).isEqualTo("mixed");
        assertThat(loaded.provenance().seed()).isEqualTo(42);
    }

    @Test
    void quantize_ptqEightBits_agreesWithTeacherAlmostEverywhere() throws Exception {
        Path out = dir.resolve("ptq.json");
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "ptq", "--bits", "8", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("agreement_with_teacher").asDouble()).isGreaterThan(0.99);
        assertThat(j.get("bits_per_layer").toString()).isEqualTo("[8,8,8]");
    }

    @Test
    void quantize_fractionalBitsForLsq_exitsTwoSuggestingMixed() {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "lsq", "--bits", "3.5", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--method mixed");
    }

    @Test
    void quantize_unknownMethod_exitsTwo() {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "magic", "--bits", "4", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--method magic").contains("ptq, qat, lsq, pact, mixed");
    }

    @Test
    void quantize_budgetBelowNarrowest_exitsTwo() {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "mixed", "--bits", "2", "--candidates", "3,4", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("below the smallest candidate width 3");
    }

    @Test
    void quantize_selectionAccuracyAndTaskLoss_reportedInJson() throws Exception {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "lsq", "--bits", "4", "--epochs", "1", "--distill", "0", "--selection", "accuracy",
                "--out", dir.resolve("lsq.json").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("distill").asDouble()).isZero();
        assertThat(j.get("selection").asText()).isEqualTo("accuracy");
    }

    @Test
    void quantize_unknownSelection_exitsTwo() {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "lsq", "--bits", "4", "--selection", "best", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--selection best").contains("fidelity or accuracy");
    }

    @Test
    void putSizeAndAccuracy_oneLayer_putsSizesByPartAndAccuraciesInOrder() {
        // 6 weights at 4 bits = 24 bits, one float32 scale = 32 bits, two float32 biases = 64 bits.
        ModelSize size = new ModelSize(List.of(new ModelSize.LayerSize(6, 4, 24, 32, 64)));
        ObjectNode root = JsonOutput.object();

        QuantizeCommand.putSizeAndAccuracy(root, size, 0.75, 0.5, 0.625);

        List<String> keys = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("model_bits", "model_bytes", "weight_bits", "scale_bits", "bias_bits",
                "float_model_bits", "teacher_accuracy", "test_accuracy", "agreement_with_teacher");
        assertThat(root.get("model_bits").asLong()).isEqualTo(120);
        assertThat(root.get("model_bytes").asLong()).isEqualTo(15);
        assertThat(root.get("weight_bits").asLong()).isEqualTo(24);
        assertThat(root.get("scale_bits").asLong()).isEqualTo(32);
        assertThat(root.get("bias_bits").asLong()).isEqualTo(64);
        assertThat(root.get("float_model_bits").asLong()).isEqualTo(6 * 32 + 64);
        assertThat(root.get("teacher_accuracy").asDouble()).isEqualTo(0.75);
        assertThat(root.get("test_accuracy").asDouble()).isEqualTo(0.5);
        assertThat(root.get("agreement_with_teacher").asDouble()).isEqualTo(0.625);
    }
}
