package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cfq.io.datasets.DataDirectory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** German Credit end to end (teacher, PTQ and LSQ students, audit); skipped unless CFQ_DATA_DIR is set. */
class ExperimentRealDataTest {

    @Test
    void experiment_german_auditsEveryNegativeAndKeepsVdUnderTheSoundBound(@TempDir Path out) throws Exception {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR not set: skipping the German experiment test");
        TestModels.Run r = TestModels.run("experiment", "--json", "--datasets", "german", "--data-dir",
                dir.get().toString(), "--budgets", "3", "--methods", "ptq,lsq", "--seeds", "42", "--max-factuals", "0", "--teacher-epochs", "10",
                "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(Files.readString(out.resolve("results.json"))).get("rows");
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).isEqualTo("ok");
            // German has 300 test rows; the teacher rejects some tens of them, all audited.
            assertThat(row.get("test_rows").asInt()).isEqualTo(300);
            assertThat(row.get("factuals").asInt()).isEqualTo(row.get("teacher_unfavorable").asInt())
                    .isBetween(20, 150);
            assertThat(row.get("vd").asDouble()).isLessThanOrEqualTo(row.get("certified_vd_upper_bound").asDouble());
            assertThat(row.get("teacher_accuracy").asDouble()).isBetween(0.65, 0.85);
            assertThat(row.get("recourse").get("sparsity").asInt()).isEqualTo(4);
        }
    }
}
