package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfqQuantizationTest {
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
    void quantize_methodCfqProjected_writesLoadableStudentWithinBudget() throws Exception {
        Path out = dir.resolve("cfq.json");
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "cfq", "--bits", "3", "--epochs", "2", "--project-budget", "--seed", "42",
                "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("method", "average_bits", "bits_per_layer", "model_bits", "teacher_accuracy",
                "test_accuracy", "agreement_with_teacher", "seconds", "seconds_per_epoch", "within_budget")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("method").asText()).isEqualTo("cfq");
        assertThat(j.get("average_bits").asDouble()).isLessThanOrEqualTo(3.0);
        assertThat(j.get("within_budget").asBoolean()).isTrue();
        assertThat(j.get("activation_bits").asInt()).isEqualTo(8);
        assertThat(j.get("epochs_run").asInt()).isEqualTo(2);
        assertThat(r.err()).contains("epoch 1 tau=5.000").contains("epoch 2 tau=0.250");

        SavedQuantizedModel loaded = QuantizedModelFile.read(out, data.schema());
        assertThat(loaded.method()).isEqualTo("cfq");
        assertThat(loaded.model().averageBits()).isEqualTo(j.get("average_bits").asDouble());
        float[] xt = saved.encoder().encode(data.test());
        double acc = QuantizeCommand.accuracy(loaded.model(), xt, data.test().labels());
        assertThat(acc).isEqualTo(j.get("test_accuracy").asDouble());
    }

    @Test
    void quantize_methodCfqPublishedDefaults_warnsWhenArgmaxWidthsExceedTheBudget() {
        Path out = dir.resolve("cfq-pub.json");
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "cfq", "--bits", "2.5", "--epochs", "1", "--seed", "42", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("cfq on synthetic").contains("over budget");
        assertThat(r.err()).contains("--project-budget");
    }

    @Test
    void quantize_methodCfqBadEta_exitsTwoNamingTheProblem() {
        TestModels.Run r = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "cfq", "--bits", "3", "--eta", "-1", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("eta").contains("-1");
    }

    @Test
    void cfqQuantize_hiddenCommand_reportsFidelityAndValidityDropAgainstBaselines() throws Exception {
        TestModels.Run r = TestModels.run("cfq-quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir",
                dir.toString(), "--bits", "4", "--epochs", "2", "--distill", "1", "--compare", "lsq", "--seed", "3",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("test_accuracy", "agreement_with_teacher", "leniency", "vd", "factuals",
                "teacher_feasible", "seconds_per_epoch", "history")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("vd").asDouble()).isBetween(0.0, 1.0);
        // the student's own recourse costs something finite next to the teacher's (ratio of means - 1 > -1)
        assertThat(j.get("crg_ratio_of_means").isNumber()).isTrue();
        assertThat(j.get("crg_ratio_of_means").asDouble()).isGreaterThan(-1.0).isLessThan(10.0);
        assertThat(j.get("history")).hasSize(2);
        assertThat(j.get("config").asText()).contains("distill=1.0");
        JsonNode lsq = j.get("baselines").get(0);
        assertThat(lsq.get("method").asText()).isEqualTo("lsq");
        assertThat(lsq.get("bits_per_layer")).hasSize(3).allSatisfy(b -> assertThat(b.asInt()).isEqualTo(4));
        assertThat(lsq.get("vd").asDouble()).isBetween(0.0, 1.0);
        assertThat(lsq.get("crg_ratio_of_means").asDouble()).isGreaterThan(-1.0).isLessThan(10.0);
    }
}
