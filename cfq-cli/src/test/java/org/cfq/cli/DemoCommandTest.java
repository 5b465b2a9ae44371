package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void demo_oneMethodOneBudget_printsOneJsonObjectWithAnAuditedStudent(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("demo", "--json", "--budgets", "8", "--methods", "ptq", "--out", dir.toString(),
                        "--report", dir.resolve("demo-report.html").toString());

        assertThat(exit).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("command").asText()).isEqualTo("demo");
        assertThat(root.get("teacher_accuracy").asDouble()).isBetween(0.75, 1.0);
        assertThat(root.get("example_recourse").asText()).startsWith("test applicant #").contains("->");
        JsonNode students = root.get("students");
        assertThat(students).hasSize(1);
        JsonNode s = students.get(0);
        assertThat(s.get("method").asText()).isEqualTo("ptq");
        assertThat(s.get("status").asText()).isEqualTo("ok");
        // 8-bit PTQ barely moves the weights: the student must agree with its teacher almost everywhere.
        assertThat(s.get("fidelity").asDouble()).isGreaterThan(0.97);
        assertThat(s.get("vd").asDouble()).isBetween(0.0, 1.0);
        assertThat(Files.exists(dir.resolve("summary.md"))).isTrue();
        Path report = dir.resolve("demo-report.html");
        assertThat(root.get("report").asText()).isEqualTo(report.toAbsolutePath().toString());
        String html = Files.readString(report);
        assertThat(html).contains("<figure class=\"plot\" id=\"curve-vd-synthetic\">").contains("<svg");
        assertThat(Files.isRegularFile(dir.resolve("demo-report-plots/curve-vd-synthetic.svg"))).isTrue();

        // the same directory through 'cfq report'
        TestModels.Run r = TestModels.run("report", "--experiment", dir.toString(), "--out",
                dir.resolve("again.html").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("cells").asInt()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("again.html"))).contains("curve-leniency-synthetic")
                .contains("scatter-synthetic").contains("histogram-synthetic");
    }

    @Test
    void report_budgetNotInResults_exits2(@TempDir Path dir) throws Exception {
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(new StringWriter()))
                .execute("demo", "--budgets", "8", "--methods", "ptq", "--out", dir.toString(),
                        "--report", dir.resolve("r.html").toString());
        assertThat(exit).isZero();
        TestModels.Run r = TestModels.run("report", "--experiment", dir.toString(), "--out",
                dir.resolve("x.html").toString(), "--budget", "3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--budget 3").contains("[8.0]");
        TestModels.Run none = TestModels.run("report", "--experiment", dir.resolve("nowhere").toString(), "--out",
                dir.resolve("y.html").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no results.json");
    }

    @Test
    void demo_noOut_leavesNoTemporaryDirectoryBehind(@TempDir Path reportDir) throws Exception {
        long before = countDemoDirs();
        StringWriter out = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter()))
                .execute("demo", "--budgets", "8", "--methods", "ptq", "--report",
                        reportDir.resolve("cfq-demo-report.html").toString());
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Report: " + reportDir.resolve("cfq-demo-report.html").toAbsolutePath());
        assertThat(Files.isRegularFile(reportDir.resolve("cfq-demo-report.html"))).isTrue();
        assertThat(countDemoDirs()).isEqualTo(before);
    }

    private static long countDemoDirs() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("cfq-demo")).count();
        }
    }
}
