package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cfq audit --student-runtime}: the deployed forms of a quantized student. */
class AuditStudentRuntimeTest {

    private static JsonNode audit(Path dir, TestModels m, String runtime) throws Exception {
        TestModels.Run r = TestModels.run("audit", "--json", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(), "--max-factuals", "80",
                "--student-runtime", runtime);
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void audit_integerAndOnnxRuntimes_sameDecisionsAndValidityDropAsFakeQuantized(@TempDir Path dir)
            throws Exception {
        TestModels m = TestModels.write(dir, 4);
        JsonNode fake = audit(dir, m, "fake");
        JsonNode integer = audit(dir, m, "integer");
        JsonNode onnx = audit(dir, m, "onnx");
        assertThat(fake.get("student_runtime").asText()).isEqualTo("fake");
        assertThat(integer.get("student_runtime").asText()).isEqualTo("integer");
        assertThat(onnx.get("student_runtime").asText()).isEqualTo("onnx");
        // Same decisions on the test split, and the teacher's counterfactuals judged alike.
        for (String key : new String[] {"student_accuracy", "fidelity", "leniency", "vd"}) {
            assertThat(integer.get(key).asDouble()).as("integer " + key).isEqualTo(fake.get(key).asDouble());
            assertThat(onnx.get(key).asDouble()).as("onnx " + key).isEqualTo(fake.get(key).asDouble());
        }
        // The integer engine provably makes the fake-quantized decisions, so the certificate carries over.
        assertThat(integer.get("certificate").get("available").asBoolean()).isTrue();
        assertThat(integer.get("certified_fraction").asDouble()).isEqualTo(fake.get("certified_fraction").asDouble());
        // ONNX Runtime evaluates the same weights in float32 in its own order, which the bound allows for.
        assertThat(onnx.get("certificate").get("available").asBoolean()).isTrue();
        assertThat(onnx.get("certified_fraction").asDouble()).isEqualTo(fake.get("certified_fraction").asDouble());
    }

    @Test
    void audit_floatStudentWithIntegerRuntime_exitsTwo(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.student.toString(), "--student-runtime", "integer");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--student-runtime integer").contains("float model");
    }

    @Test
    void audit_unknownRuntime_exitsTwoNamingTheChoices(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(), "--student-runtime", "tpu");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--student-runtime tpu").contains("fake, integer or onnx");
    }
}
