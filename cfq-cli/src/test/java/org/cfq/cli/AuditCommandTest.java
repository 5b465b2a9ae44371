package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    @Test
    void audit_json_printsOneObjectWithEveryRequiredKey(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 3);
        TestModels.Run r = TestModels.run("audit", "--json", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.student.toString(), "--max-factuals", "120");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        for (String key : new String[] {"teacher_accuracy", "student_accuracy", "fidelity", "leniency",
            "teacher_feasible", "student_feasible", "vd", "crg", "crg_median", "crg_ratio_of_means", "crg_abs",
            "direction_cosine", "action_overlap", "teacher_margin_median", "certified_fraction", "factuals",
            "factual_selection", "recourse", "seconds"}) {
            assertThat(root.has(key)).as(key).isTrue();
        }
        assertThat(root.get("factuals").asInt()).isEqualTo(120);
        assertThat(root.get("factual_selection").asText()).isEqualTo("negatives");
        assertThat(root.get("recourse").get("generator").asText()).isEqualTo("pgd");
        assertThat(root.get("recourse").get("settings").asText()).contains("steps=80");
        assertThat(root.get("certificate").get("sound").asBoolean()).isTrue();
        assertThat(root.get("published_diagnostic").get("sound").asBoolean()).isFalse();
        double vd = root.get("vd").asDouble();
        assertThat(vd).isBetween(0.0, 1.0);
        assertThat(vd).isLessThanOrEqualTo(root.get("certified_vd_upper_bound").asDouble());
        assertThat(root.get("fidelity").asDouble()).isBetween(0.5, 1.0);
    }

    @Test
    void audit_paperWachterText_readableLinesAndPaperRows(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.student.toString(), "--factuals", "paper",
                "--method", "wachter", "--max-factuals", "60");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("factuals: 60 (paper)").contains("recourse: wachter").contains("VD")
                .contains("certified ").contains("weight-box certificate (sound").contains("NOT sound");
    }

    @Test
    void audit_quantizedStudentFile_propagatesItsActivationQuantizers(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--json", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(), "--max-factuals", "50");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("certificate").get("activations_quantized").asBoolean()).isTrue();
        assertThat(root.get("certificate").get("weight_radius")).hasSize(3);
        assertThat(root.get("vd").asDouble()).isLessThanOrEqualTo(root.get("certified_vd_upper_bound").asDouble());
    }

    @Test
    void audit_quantizedFromAnotherTeacher_warnsNamingBothFiles(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        // The float student file is a different teacher file than the one the quantized model names.
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.student.toString(), "--student", m.quantized.toString(), "--max-factuals", "20");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning").contains(m.quantized.toString()).contains(m.student.toString());
    }

    @Test
    void audit_unknownFactualSelection_exitsWithBadInputNamingTheChoices(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.student.toString(), "--factuals", "all");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--factuals all").contains("negatives").contains("paper");
    }
}
