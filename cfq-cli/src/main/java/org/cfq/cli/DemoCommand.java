package org.cfq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.experiment.RecourseRun;
import org.cfq.audit.FactualSelection;
import org.cfq.experiment.CellResult;
import org.cfq.experiment.DatasetSource;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.StudentMethods;
import org.cfq.report.SummaryMarkdown;
import org.cfq.data.Dataset;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.recourse.RecourseRequest;
import org.cfq.report.StudentTable;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq demo}: the whole pipeline on the built-in synthetic credit data, with no
 * download: a teacher, its recourse, students quantized by several methods at several
 * budgets, and the recourse audit of each. It is a small {@code cfq experiment} (same
 * runner, same files), summarized for a person.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on built-in synthetic data (no download) and summarize it.")
final class DemoCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--budgets", split = ",", paramLabel = "BITS", defaultValue = "8,4,3,2",
            description = "Average weight-bit budgets (default: ${DEFAULT-VALUE}).")
    List<Double> budgets;

    @Option(names = "--methods", split = ",", paramLabel = "NAMES", defaultValue = "ptq,lsq,mixed,cfq,cfq-ext",
            description = "Quantization methods (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep the experiment files here (default: a temporary directory, removed at the end).")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "cfq-demo-report.html",
            description = "Where to write the HTML report of the demo (default: ${DEFAULT-VALUE}).")
    Path report;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        org.cfq.io.files.FileChecks.outputDirectory(out, "--out");
        Path dir = out != null ? out : Files.createTempDirectory("cfq-demo");
        try {
            return run(dir);
        } finally {
            if (out == null) {
                deleteTree(dir);
            }
        }
    }

    private int run(Path dir) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ExperimentPlan plan = new ExperimentPlan(List.of("synthetic"), budgets, methods, List.of(seed),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 0, dir, null,
                "realistic", TrainingConfig.defaults());
        ExperimentRunner.Outcome outcome;
        try (Progress bar = Progress.start(err, "grid", plan.cells(), "cell")) {
            outcome = new ExperimentRunner(plan, StudentMethods.builtIn(), bar.grid("cfq experiment: "),
                    SummaryMarkdown::render).run();
        }
        Dataset data = DatasetSource.builtIn("synthetic").withActions("realistic").load();
        SavedModel teacher = ModelFile.read(dir.resolve("teachers").resolve(plan.teacherFile("synthetic", seed)),
                data.schema());
        String example = RecourseRun.example(teacher, data, RecourseMethods.builtIn().get("pgd"), RecourseRequest
                .defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity("synthetic")).withSeed(seed));

        List<ObjectNode> rows = outcome.results().stream().map(CellResult::json).toList();
        ReportCommand.write(org.cfq.report.results.ResultsReader.read(dir), report, java.util.OptionalDouble.empty(),
                "cfq demo (report of its experiment directory)");
        if (common.json) {
            ObjectNode root = JsonOutput.object().put("command", "demo").put("dataset", "synthetic").put("seed", seed)
                    .put("train_rows", data.train().rows()).put("test_rows", data.test().rows());
            if (!rows.isEmpty()) {
                root.put("teacher_accuracy", rows.get(0).path("teacher_accuracy").asDouble());
            }
            root.put("example_recourse", example);
            ArrayNode arr = root.putArray("students");
            rows.forEach(arr::add);
            root.put("failed_cells", outcome.failed()).put("seconds", outcome.seconds())
                    .put("report", report.toAbsolutePath().toString());
            JsonOutput.print(spec.commandLine().getOut(), root);
        } else {
            printSummary(spec.commandLine().getOut(), data, rows, example, outcome, dir);
        }
        return outcome.failed() > 0 ? CliErrors.FAILURE : CliErrors.OK;
    }

    private void printSummary(PrintWriter pw, Dataset data, List<ObjectNode> rows, String example,
                              ExperimentRunner.Outcome outcome, Path dir) {
        pw.printf(Locale.ROOT, "cfq demo: synthetic credit data (%d train, %d validation, %d test rows; %d features), "
                        + "seed %d%n%n", data.train().rows(), data.validation().rows(), data.test().rows(),
                data.schema().size(), seed);
        if (!rows.isEmpty()) {
            JsonNode first = rows.get(0);
            pw.printf(Locale.ROOT, "Teacher (MLP 128-64, float32): test accuracy %.3f%n",
                    first.path("teacher_accuracy").asDouble());
            pw.printf(Locale.ROOT, "Teacher recourse (pgd, 'realistic' action set): found for %.1f%% of %d rejected "
                    + "applicants%n", 100 * first.path("teacher_feasible").asDouble(), first.path("factuals").asInt());
        }
        pw.printf("Example: %s%n%n", example);
        pw.print(StudentTable.render(outcome.results()));
        pw.println();
        pw.println(StudentTable.LEGEND);
        pw.printf(Locale.ROOT, "%d cells in %.1f s%s%n", rows.size(), outcome.seconds(),
                out != null ? "; files in " + dir : "");
        pw.printf("%nReport: %s%n", report.toAbsolutePath());
        pw.flush();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
