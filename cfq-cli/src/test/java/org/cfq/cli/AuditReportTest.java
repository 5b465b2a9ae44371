package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cfq audit --report}: the audit drawn as a one-cell report. */
class AuditReportTest {

    @Test
    void audit_report_writesOnePageWithTheAuditsOwnNumbersAndPlots(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 4);
        Path html = dir.resolve("audit.html");
        TestModels.Run r = TestModels.run("audit", "--json", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(), "--max-factuals", "80",
                "--report", html.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("report written to " + html.toAbsolutePath());
        JsonNode root = new ObjectMapper().readTree(r.out());
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("Headline figures")
                .doesNotContain("<script src").doesNotContain("<link ");
        // The headline table shows the audit's VD and certified fraction (4 significant digits, as the page
        // formats numbers).
        assertThat(page).contains("<td class=\"num\">" + String.format(Locale.ROOT, "%.4g", root.get("vd").asDouble())
                + "</td>");
        assertThat(page).contains("<td class=\"num\">"
                + String.format(Locale.ROOT, "%.4g", root.get("certified_fraction").asDouble()) + "</td>");
        // The margins scatter of the teacher's counterfactuals and the command that made the page.
        assertThat(page).contains("id=\"scatter-synthetic\"").contains("--report");
        Path plots = dir.resolve("audit-plots");
        assertThat(plots.resolve("scatter-synthetic.svg")).isRegularFile();
    }

    @Test
    void audit_reportOverItsOwnStudent_refusesBeforeAnyWork(@TempDir Path dir) throws Exception {
        TestModels m = TestModels.write(dir, 3);
        byte[] before = Files.readAllBytes(m.quantized);
        TestModels.Run r = TestModels.run("audit", "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--teacher", m.teacher.toString(), "--student", m.quantized.toString(),
                "--report", m.quantized.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--report");
        assertThat(Files.readAllBytes(m.quantized)).isEqualTo(before);
    }
}
