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
                .execute("demo", "--json", "--budgets", "8", "--methods", "ptq", "--out", dir.toString());

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
    }

    @Test
    void demo_noOut_leavesNoTemporaryDirectoryBehind() throws Exception {
        long before = countDemoDirs();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(new StringWriter()))
                .execute("demo", "--budgets", "8", "--methods", "ptq");
        assertThat(exit).isZero();
        assertThat(countDemoDirs()).isEqualTo(before);
    }

    private static long countDemoDirs() throws Exception {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("cfq-demo")).count();
        }
    }
}
