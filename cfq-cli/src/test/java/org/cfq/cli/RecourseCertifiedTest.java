package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cfq recourse --method certified}: a deployment set with every runtime (the float teacher,
 * the quantized student as fake, integer and ONNX, and a float student); every certified
 * neighbourhood is sampled densely and scored on every runtime.
 */
class RecourseCertifiedTest {

    @Test
    void recourse_certifiedOnEveryRuntime_noSampledPointInvalidAndVdZero(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        String q = m.quantized.toString();
        TestModels.Run r = TestModels.run("recourse", "--json", "--dataset", "synthetic", "--data-dir",
                dir.toString(), "--model", m.teacher.toString(), "--method", "certified", "--limit", "60",
                "--deployed", q + "," + q + ":integer," + q + ":onnx," + m.student, "--check-samples", "20");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        JsonNode c = o.get("certified");
        assertThat(o.get("method").asText()).isEqualTo("certified");
        assertThat(o.get("found").asInt()).as("certified rows").isPositive();
        assertThat(o.get("constraint_violations").asInt()).isZero();
        assertThat(c.get("deployment_set")).hasSize(5);
        for (JsonNode d : c.get("deployment_set")) {
            assertThat(d.get("vd_certified").asDouble()).as(d.get("name") + ":" + d.get("runtime")).isZero();
        }
        assertThat(c.get("deployment_set").get(3).get("runtime").asText()).isEqualTo("onnx");
        assertThat(c.get("sampled_pairs").asLong()).isGreaterThan(1000);
        assertThat(c.get("sampled_invalid").asLong()).isZero();
        assertThat(c.get("min_certified_margin").asDouble()).isPositive();
        assertThat(c.get("price_of_robustness_ratio_of_means").isNumber()).isTrue();
    }

    @Test
    void recourse_deployedWithoutCertified_exitsTwo(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("recourse", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--model", m.teacher.toString(), "--deployed", m.quantized.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--deployed").contains("--method certified");
    }

    @Test
    void recourse_badTolerance_exitsTwoNamingTheFeature(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("recourse", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--model", m.teacher.toString(), "--method", "certified", "--tolerance", "employment=1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("employment").contains("levels");
    }

    @Test
    void audit_withDeployedAndTolerance_reportsNeighbourhoodAndDeploymentCertificates(@TempDir Path dir)
            throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--json", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(), "--max-factuals", "60",
                "--deployed", m.quantized + ":integer", "--tolerance", "income=2");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("neighbourhood_certificate").get("neighbourhood").asText()).contains("per feature");
        assertThat(o.get("certified_fraction").asDouble()).isBetween(0.0, 1.0);
        assertThat(o.get("deployment_certificate").get("models")).hasSize(2);
        assertThat(o.get("deployment_certificate").get("certified").asInt())
                .isLessThanOrEqualTo(o.get("deployment_certificate").get("checked").asInt());
    }
}
