package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.cfq.experiment.CellResult;
import org.cfq.io.json.Json;
import org.junit.jupiter.api.Test;

class StudentTableTest {

    private static ObjectNode row(String method, String status) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("status", status).put("dataset", "synthetic").put("method", method).put("budget", 4.0)
                .put("margin", 0.0).put("seed", 42L);
        return o;
    }

    @Test
    void render_showsTheThreeSoundCertificatesSideBySide() {
        ObjectNode ok = row("cfq", "ok").put("student_avg_bits", 3.5).put("student_accuracy", 0.9)
                .put("fidelity", 0.97).put("leniency", 0.01).put("vd", 0.02).put("crg_ratio_of_means", 0.05)
                .put("certified_fraction", 0.875).put("transfer_certified_fraction", 0.25)
                .put("weight_box_certified_fraction", 0.0);
        String md = StudentTable.render(List.of(CellResult.fromRow(ok)));
        assertThat(md.lines().findFirst().orElseThrow()).contains("certified", "transfer", "weight box");
        assertThat(md.lines().toList().get(2).replaceAll(" +", " ")).endsWith("| 87.5% | 25.0% | 0.0% |");
        assertThat(StudentTable.LEGEND).contains("one step of each changed feature").doesNotContain("survive any");
    }

    @Test
    void render_failedCell_keepsTheColumnCountAndSaysWhy() {
        ObjectNode failed = row("lsq", "failed").put("reason", "diverged");
        String md = StudentTable.render(List.of(CellResult.fromRow(failed)));
        List<String> lines = md.lines().toList();
        long headerBars = lines.get(0).chars().filter(c -> c == '|').count();
        assertThat(lines.get(2).chars().filter(c -> c == '|').count()).isEqualTo(headerBars);
        assertThat(lines.get(2)).contains("failed: diverged");
    }
}
