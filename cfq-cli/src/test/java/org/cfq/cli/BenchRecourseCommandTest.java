package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchRecourseCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void benchRecourse_threadsZero_failsAsBadInputNamingTheOption() {
        Run r = run("bench-recourse", "--dataset", "synthetic", "--threads", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--threads", "must be at least 1, got 0", "positive thread count");
    }

    @Test
    void benchRecourse_oneThread_reportsTheThreadCountAndBothMethods() throws Exception {
        Run r = run("bench-recourse", "--dataset", "synthetic", "--hidden", "8", "--threads", "1", "--single", "3",
                "--repeat", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("threads").asInt()).isEqualTo(1);
        assertThat(root.get("methods")).hasSize(2);
        assertThat(root.get("methods").get(0).get("method").asText()).isEqualTo("pgd");
        assertThat(root.get("methods").get(0).get("gflop").asDouble()).isPositive();
    }
}
