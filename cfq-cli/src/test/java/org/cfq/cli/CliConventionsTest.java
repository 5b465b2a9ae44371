package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cfq.io.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 12, items 9 to 12 and 14: options checked before work, help, JSON errors, messages. */
class CliConventionsTest {
    @TempDir
    Path dir;

    private static TestModels.Run run(String... args) {
        return TestModels.run(args);
    }

    @Test
    void help_everyCommand_printsUsageWithoutFormatWarnings() {
        CommandLine cl = CfqCommand.commandLine();
        assertThat(cl.getSubcommands()).hasSizeGreaterThan(8);
        for (String name : cl.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            TestModels.Run r = run(name, "--help");
            // Before: 'cfq train --help' failed with "Missing required option".
            assertThat(r.exit()).as(name + ": " + r.err()).isZero();
            assertThat(r.out()).as(name).contains("Usage: cfq " + name);
            assertThat(r.out() + r.err()).as(name).doesNotContain("WARN").doesNotContain("Could not format");
            for (String sub : cl.getSubcommands().get(name).getSubcommands().keySet()) {
                TestModels.Run s = run(name, sub, "--help");
                assertThat(s.exit()).as(name + " " + sub + ": " + s.err()).isZero();
            }
        }
        // Before: the '%' in --csv's description made picocli warn on every usage error.
        TestModels.Run usage = run("train", "--dataset", "synthetic");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option").contains("15% of")
                .doesNotContain("WARN");
    }

    @Test
    void noArguments_printsUsageOnStderrAndExits2() {
        TestModels.Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no command given").contains("Usage: cfq");
    }

    @Test
    void json_failure_printsOneErrorObjectOnStdout() throws Exception {
        TestModels.Run r = run("train", "--dataset", "synthetic", "--out", dir.toString(), "--json");
        assertThat(r.exit()).isEqualTo(2);
        JsonNode o = Json.mapper().readTree(r.out());
        assertThat(o.path("error").path("input").asText()).isEqualTo("--out " + dir);
        assertThat(o.path("error").path("problem").asText()).isEqualTo("it is a directory");
        assertThat(o.path("error").path("fix").asText()).contains("model.json");
        assertThat(o.path("exit_code").asInt()).isEqualTo(2);

        TestModels.Run usage = run("train", "--dataset", "synthetic", "--json");
        assertThat(usage.exit()).isEqualTo(2);
        JsonNode u = Json.mapper().readTree(usage.out());
        assertThat(u.path("error").path("problem").asText()).contains("Missing required option");
        assertThat(u.path("exit_code").asInt()).isEqualTo(2);
    }

    @Test
    void train_hugeHidden_failsUpFrontNamingTheLimit() {
        for (String hidden : new String[] {"50000,50000", "70000,70000"}) {
            TestModels.Run r = run("train", "--dataset", "synthetic", "--hidden", hidden, "--out",
                    dir.resolve("m.json").toString());
            // Before: NegativeArraySizeException, or an OutOfMemoryError stack trace.
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--hidden").containsPattern("at most|65536").doesNotContain("training")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void outOfMemory_withoutVerbose_printsAMessageAndNoStackTrace() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int code = CliErrors.report(cl, new OutOfMemoryError("Java heap space"), false, true);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Java ran out of memory (Java heap space)").contains("-Xmx")
                .doesNotContain("\tat ");
        assertThat(out.toString()).contains("\"exit_code\" : 1");
    }

    @Test
    void quantize_mixedNineBits_failsBeforeAnyWorkNamingTheOption() throws Exception {
        TestModels m = TestModels.write(dir, 4);
        TestModels.Run r = run("quantize", "--dataset", "synthetic", "--model", m.teacher.toString(), "--method", "mixed",
                "--bits", "9", "--out", dir.resolve("q.json").toString());
        // Before: it failed after fine-tuning, naming the internal 'budgetBits'.
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--bits 9").contains("[2, 8]").doesNotContain("budgetBits")
                .doesNotContain("quantizing");
        assertThat(dir.resolve("q.json")).doesNotExist();
    }

    @Test
    void wrongModelPath_failsBeforeLoadingOrDownloadingTheDataset() throws Exception {
        Path emptyDataDir = Files.createDirectory(dir.resolve("data"));
        TestModels.Run r = run("recourse", "--dataset", "adult", "--data-dir", emptyDataDir.toString(), "--model",
                dir.resolve("missing.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--model").contains("does not exist").doesNotContain("download");
        try (var files = Files.list(emptyDataDir)) {
            assertThat(files.toList()).as("nothing downloaded").isEmpty();
        }
    }

    @Test
    void experiment_unknownDataset_leavesNoDirectoriesAndSuggestsNoCsv() {
        Path out = dir.resolve("exp");
        TestModels.Run r = run("experiment", "--datasets", "bogus", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'bogus' is not a built-in dataset").doesNotContain("--csv");
        assertThat(out).doesNotExist();
    }

    @Test
    void audit_studentOfAnotherNetwork_failsClearlyWithoutAuditingAnyway() throws Exception {
        TestModels m = TestModels.write(dir, 4);
        Path logistic = dir.resolve("lr.json");
        assertThat(run("train", "--dataset", "synthetic", "--model", "logistic", "--epochs", "1", "--out",
                logistic.toString()).exit()).isZero();
        TestModels.Run r = run("audit", "--dataset", "synthetic", "--teacher", logistic.toString(), "--student",
                m.quantized.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--student " + m.quantized).contains("is not the teacher's")
                .doesNotContain("auditing anyway");
    }
}
