package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void bench_unknownSuite_failsAsBadInputNamingTheSuites() {
        Run r = run("bench", "--dataset", "synthetic", "--suite", "kernels,warp");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--suite warp", "unknown suite", "kernels", "inference");
    }

    @Test
    void bench_zeroRounds_failsAsBadInput() {
        Run r = run("bench", "--dataset", "synthetic", "--rounds", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--rounds", "must be at least 1, got 0");
    }

    @Test
    void bench_inferenceOnSynthetic_reportsEveryEngineAndIdenticalIntegerDecisions() throws Exception {
        Run r = run("bench", "--dataset", "synthetic", "--suite", "inference", "--rounds", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode inf = new ObjectMapper().readTree(r.out()).get("inference");
        assertThat(inf.get("engines")).hasSize(6);
        assertThat(inf.get("engines").get(0).get("engine").asText()).isEqualTo("float32 teacher");
        assertThat(inf.get("engines").get(1).get("engine").asText()).isEqualTo("float32 frozen");
        for (JsonNode e : inf.get("engines")) {
            assertThat(e.get("rows_per_second_median").asDouble()).as(e.toString()).isPositive();
        }
        assertThat(inf.get("integer_vs_fake_quant")).hasSize(2);
        for (JsonNode c : inf.get("integer_vs_fake_quant")) {
            assertThat(c.get("decisions_differing").asInt()).as(c.toString()).isZero();
            assertThat(c.get("rows").asInt()).isPositive();
        }
    }

    @Test
    void median_oddAndEvenCounts_middleValueOrMeanOfTheTwo() {
        assertThat(BenchCommand.median(new double[] {3, 1, 2})).isEqualTo(2.0);
        assertThat(BenchCommand.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
