package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.cfq.audit.FactualSelection;
import org.cfq.experiment.ExperimentListener;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.StudentMethods;
import org.cfq.report.SummaryMarkdown;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentCommandTest {

    private static TestModels.Run experiment(Path data, Path out, String methods) {
        return TestModels.run("experiment", "--json", "--datasets", "synthetic", "--data-dir", data.toString(),
                "--budgets", "2.5,4", "--methods", methods, "--seeds", "7", "--max-factuals", "40",
                "--teacher-hidden", "16,8", "--teacher-epochs", "5", "--out", out.toString());
    }

    private static List<Path> cells(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.resolve("cells"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void experiment_failedCell_verbosePrintsItsStackTraceOnStderrAndPlainDoesNot(@TempDir Path data,
                                                                              @TempDir Path out) throws Exception {
        String[] args = {"experiment", "--datasets", "synthetic", "--data-dir", data.toString(), "--budgets", "4",
            "--methods", "ptq", "--seeds", "7", "--max-factuals", "10", "--teacher-hidden", "8",
            "--teacher-epochs", "2", "--out", out.toString()};
        TestModels.Run first = TestModels.run(args);
        assertThat(first.exit()).as(first.err()).isZero();
        // A truncated teacher file makes the cell fail (the run goes on, so no exception reaches the handler).
        Path teacher;
        try (Stream<Path> s = Files.list(out.resolve("teachers"))) {
            teacher = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(teacher, "{\"format\": \"cfq-model\", \"trunc");
        for (Path c : cells(out)) {
            Files.delete(c);
        }

        TestModels.Run plain = TestModels.run(args);
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err()).contains("synthetic ptq B=4 seed=7 m=0: FAILED: ").contains("not valid JSON")
                .doesNotContain("failed with:").doesNotContain("\tat ");

        String[] verbose = java.util.Arrays.copyOf(args, args.length + 2);
        verbose[args.length] = "--verbose";
        verbose[args.length + 1] = "--json";
        TestModels.Run v = TestModels.run(verbose);
        assertThat(v.exit()).isEqualTo(1);
        String err = v.err();
        int line = err.indexOf("synthetic ptq B=4 seed=7 m=0: FAILED: ");
        int trace = err.indexOf("[1/1] synthetic ptq B=4 seed=7 m=0 failed with:");
        assertThat(line).as(err).isNotNegative();
        assertThat(trace).as(err).isGreaterThan(line);
        assertThat(err.substring(trace)).contains("ModelFormatException").contains("\tat org.cfq.");
        // The trace goes to stderr only: stdout stays the one JSON object.
        assertThat(new ObjectMapper().readTree(v.out()).get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void experiment_ptqMixedCfq_writesRowsCsvAndSummaryWithTheAccuracyMatchedComparison(@TempDir Path data,
                                                                                       @TempDir Path out)
            throws Exception {
        TestModels.Run r = experiment(data, out, "ptq,mixed,cfq");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("cells").asInt()).isEqualTo(6);
        assertThat(o.get("computed").asInt()).isEqualTo(6);
        assertThat(o.get("unavailable").asInt()).isZero();

        JsonNode results = new ObjectMapper().readTree(Files.readString(out.resolve("results.json")));
        assertThat(results.get("complete").asBoolean()).isTrue();
        JsonNode rows = results.get("rows");
        assertThat(rows).hasSize(6);
        JsonNode ptq25 = rows.get(0);
        assertThat(ptq25.get("method").asText()).isEqualTo("ptq");
        assertThat(ptq25.get("budget").asDouble()).isEqualTo(2.5);
        // Uniform methods take the largest width <= B: 2 bits at B = 2.5.
        assertThat(ptq25.get("target_bits").asDouble()).isEqualTo(2.0);
        assertThat(ptq25.get("student_avg_bits").asDouble()).isEqualTo(2.0);
        assertThat(ptq25.get("factuals").asInt()).isEqualTo(40);
        JsonNode mixed25 = rows.get(2);
        assertThat(mixed25.get("method").asText()).isEqualTo("mixed");
        assertThat(mixed25.get("status").asText()).isEqualTo("ok");
        assertThat(mixed25.get("target_bits").asDouble()).isEqualTo(2.5);
        assertThat(mixed25.get("student_avg_bits").asDouble()).isLessThanOrEqualTo(2.5);
        JsonNode cfq4 = rows.get(5);
        assertThat(cfq4.get("method").asText()).isEqualTo("cfq");
        assertThat(cfq4.get("status").asText()).isEqualTo("ok");
        assertThat(cfq4.get("student_activations_quantized").asBoolean()).isTrue();

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(7);
        assertThat(csv.get(0)).startsWith("dataset,method,budget,target_bits").contains(",vd,")
                .contains("certified_fraction");
        String summary = Files.readString(out.resolve("summary.md"));
        assertThat(summary).contains("## synthetic, recourse margin 0").contains("| ptq")
                .contains("### Accuracy-matched").doesNotContain("Unavailable methods");
        assertThat(summary.substring(summary.indexOf("### Accuracy-matched"))).contains("| cfq");
        assertThat(r.err()).contains("[1/6] synthetic ptq B=2.5 seed=7 m=0");
    }

    @Test
    void experiment_mixedCostLogisticBackbone_runsThePaperRowsUnderThatCost(@TempDir Path data, @TempDir Path out)
            throws Exception {
        TestModels.Run r = TestModels.run("experiment", "--json", "--datasets", "synthetic", "--data-dir",
                data.toString(), "--budgets", "4", "--methods", "fp32,mixedprec", "--seeds", "7", "--max-factuals",
                "30", "--teacher-backbone", "logistic", "--teacher-epochs", "5", "--cost", "mixed", "--out",
                out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(Files.readString(out.resolve("results.json")));
        assertThat(results.get("plan").get("cost").asText()).isEqualTo("mixed");
        JsonNode rows = results.get("rows");
        assertThat(rows).hasSize(2);
        for (JsonNode row : rows) {
            assertThat(row.get("status").asText()).isEqualTo("ok");
            assertThat(row.get("cell_key").asText()).endsWith("_c-mixed").contains("_t-h-e5");
            assertThat(row.get("recourse").toString()).containsIgnoringCase("mixed");
        }
        assertThat(rows.get(0).get("vd").asDouble()).isZero();
        // a logistic teacher has one layer: the student has one width
        assertThat(rows.get(1).get("student_bits_per_layer")).hasSize(1);
        TestModels.Run bad = TestModels.run("experiment", "--datasets", "synthetic", "--teacher-backbone", "wide",
                "--out", out.resolve("x").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--teacher-backbone wide").contains("mlp, logistic or deep");
    }

    @Test
    void run_methodNotInTheBuild_isReportedUnavailableNotFaked(@TempDir Path data, @TempDir Path out)
            throws Exception {
        StudentMethods reg = StudentMethods.empty();
        reg.register(StudentMethods.builtIn().get("ptq"));
        reg.register(StudentMethods.unavailable("future", "needs org.cfq.future, not on main yet"));
        ExperimentPlan plan = new ExperimentPlan(List.of("synthetic"), List.of(4.0), List.of("ptq", "future"),
                List.of(7L), RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 20,
                out, data, "paper", TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(3));
        StringWriter err = new StringWriter();
        ExperimentRunner.Outcome o = new ExperimentRunner(plan, reg,
                ExperimentListener.printing(new PrintWriter(err), "cfq experiment: "), SummaryMarkdown::render).run();
        assertThat(o.computed()).isEqualTo(1);
        assertThat(o.unavailable()).isEqualTo(1);
        assertThat(o.results().get(1).json().get("status").asText()).isEqualTo("unavailable");
        assertThat(o.results().get(1).json().has("vd")).isFalse();
        assertThat(err.toString()).contains("future B=4 seed=7 m=0: unavailable (needs org.cfq.future");
        assertThat(cells(out)).hasSize(1);
        assertThat(Files.readString(out.resolve("summary.md"))).contains("Unavailable methods")
                .contains("`future`: needs org.cfq.future");
    }

    @Test
    void experiment_restartedAfterLosingACell_recomputesOnlyThatCell(@TempDir Path data, @TempDir Path out)
            throws Exception {
        assertThat(experiment(data, out, "ptq").exit()).isZero();
        List<Path> cells = cells(out);
        assertThat(cells).hasSize(2);
        // Simulate a run killed during the second cell: its file never got written.
        Files.delete(cells.get(1));
        String kept = Files.readString(cells.get(0));
        FileTime keptTime = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(cells.get(0), keptTime);
        // A temporary file left by an interrupted atomic write must not count as a cell.
        Files.writeString(out.resolve("cells").resolve(".half.json.tmp"), "{\"status\":");

        TestModels.Run r = experiment(data, out, "ptq");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("computed").asInt()).isEqualTo(1);
        assertThat(o.get("reused").asInt()).isEqualTo(1);
        assertThat(Files.readString(cells.get(0))).isEqualTo(kept);
        assertThat(Files.getLastModifiedTime(cells.get(0))).isEqualTo(keptTime);
        assertThat(Files.exists(cells.get(1))).isTrue();
        assertThat(r.err()).contains("reusing").contains("done earlier, reused");
        JsonNode rows = new ObjectMapper().readTree(Files.readString(out.resolve("results.json"))).get("rows");
        assertThat(rows).hasSize(2);
    }

    @Test
    void experiment_cellComputedWithOtherRecourseSettings_isRecomputed(@TempDir Path data, @TempDir Path out)
            throws Exception {
        assertThat(experiment(data, out, "ptq").exit()).isZero();
        Path cell = cells(out).get(0);
        ObjectNode row = (ObjectNode) new ObjectMapper().readTree(Files.readString(cell));
        ((ObjectNode) row.get("recourse")).put("settings", "PgdConfig[steps=80, patience=10]");
        Files.writeString(cell, row.toString());

        TestModels.Run r = experiment(data, out, "ptq");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("computed").asInt()).isEqualTo(1);
        assertThat(o.get("reused").asInt()).isEqualTo(1);
        assertThat(r.err()).contains("other recourse settings").contains("patience=10");
        assertThat(Files.readString(cell)).contains("PgdConfig[steps=80, step=0.04, restarts=3");
    }

    @Test
    void experiment_unknownMethod_exitsWithBadInputNamingTheKnownOnes(@TempDir Path data, @TempDir Path out) {
        TestModels.Run r = experiment(data, out, "ptq,gptq");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'gptq'").contains("ptq, qat, lsq, pact, mixed, cfq, cfq-ext");
    }

    @Test
    void experiment_budgetOutOfRange_exitsWithBadInput(@TempDir Path data, @TempDir Path out) {
        TestModels.Run r = TestModels.run("experiment", "--datasets", "synthetic", "--budgets", "1.5",
                "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("budgets must be in [2, 8]").contains("1.5");
    }
}
