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
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.StudentMethods;
import org.cfq.report.SummaryMarkdown;
import org.cfq.data.Dataset;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.recourse.RecourseDiff;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.report.MarkdownTable;
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
    @Mixin
    CommonOptions common;

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

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
                "paper", TrainingConfig.defaults());
        ExperimentRunner.Outcome outcome;
        try (Progress bar = Progress.start(err, "grid", plan.cells(), "cell")) {
            outcome = new ExperimentRunner(plan, StudentMethods.builtIn(), bar.grid("cfq experiment: "),
                    SummaryMarkdown::render).run();
        }
        Dataset data = DatasetRegistry.builtIn().load("synthetic", ActionPreset.PAPER, DataDirectory.resolve(null),
                Downloader.standard(), false);
        SavedModel teacher = ModelFile.read(dir.resolve("teachers").resolve(plan.teacherFile("synthetic", seed)),
                data.schema());
        Example example = example(teacher, data);

        List<ObjectNode> rows = outcome.results().stream().map(CellResult::json).toList();
        ReportCommand.write(org.cfq.report.results.ResultsReader.read(dir), report, java.util.OptionalDouble.empty(),
                "cfq demo (report of its experiment directory)");
        if (common.json) {
            ObjectNode root = JsonOutput.object();
            root.put("command", "demo");
            root.put("dataset", "synthetic");
            root.put("seed", seed);
            root.put("train_rows", data.train().rows());
            root.put("test_rows", data.test().rows());
            if (!rows.isEmpty()) {
                root.put("teacher_accuracy", rows.get(0).path("teacher_accuracy").asDouble());
            }
            root.put("example_recourse", example.text);
            ArrayNode arr = root.putArray("students");
            rows.forEach(arr::add);
            root.put("failed_cells", outcome.failed());
            root.put("seconds", outcome.seconds());
            root.put("report", report.toAbsolutePath().toString());
            JsonOutput.print(spec.commandLine().getOut(), root);
        } else {
            printSummary(spec.commandLine().getOut(), data, rows, example, outcome, dir);
        }
        return outcome.failed() > 0 ? CliErrors.FAILURE : CliErrors.OK;
    }

    /** One rejected applicant and the change that flips the teacher's decision, in original units. */
    private record Example(String text) {
    }

    private Example example(SavedModel teacher, Dataset data) {
        RecourseRequest req = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity("synthetic"))
                .withSeed(seed);
        RecourseRun run = new RecourseRun(teacher.encoder(), teacher.model(), data, req, 1);
        if (run.rows() == 0) {
            return new Example("the teacher rejects no test applicant");
        }
        run.run(RecourseMethods.builtIn().get("pgd"), teacher.model(), req);
        RecourseResult r = run.batch().get(0);
        if (r instanceof RecourseResult.Found f) {
            RecourseDiff diff = RecourseDiff.of(run.encoder(), run.factuals(), 0, f.counterfactual(), 0);
            return new Example("test applicant #" + run.testRows()[0] + ": " + diff);
        }
        return new Example("test applicant #" + run.testRows()[0] + ": no recourse found (" + r + ")");
    }

    private void printSummary(PrintWriter pw, Dataset data, List<ObjectNode> rows, Example example,
                              ExperimentRunner.Outcome outcome, Path dir) {
        pw.printf(Locale.ROOT, "cfq demo: synthetic credit data (%d train, %d validation, %d test rows; %d features), "
                        + "seed %d%n%n", data.train().rows(), data.validation().rows(), data.test().rows(),
                data.schema().size(), seed);
        if (!rows.isEmpty()) {
            JsonNode first = rows.get(0);
            pw.printf(Locale.ROOT, "Teacher (MLP 128-64, float32): test accuracy %.3f%n",
                    first.path("teacher_accuracy").asDouble());
            pw.printf(Locale.ROOT, "Teacher recourse (pgd, 'paper' action set): found for %.1f%% of %d rejected "
                    + "applicants%n", 100 * first.path("teacher_feasible").asDouble(), first.path("factuals").asInt());
        }
        pw.printf("Example: %s%n%n", example.text);
        MarkdownTable t = new MarkdownTable(List.of("method", ">budget", ">bits", ">accuracy", ">fidelity",
                ">leniency", ">VD", ">CRG", ">certified"));
        for (JsonNode r : rows) {
            if (!"ok".equals(r.path("status").asText())) {
                t.row(List.of(r.path("method").asText(), num(r, "budget", "%.1f"), "-", "-", "-", "-", "-", "-",
                        r.path("status").asText() + ": " + r.path("reason").asText()));
                continue;
            }
            t.row(List.of(r.path("method").asText(), num(r, "budget", "%.1f"), num(r, "student_avg_bits", "%.2f"),
                    num(r, "student_accuracy", "%.3f"), pct(r, "fidelity"), pct(r, "leniency"), pct(r, "vd"),
                    pct(r, "crg_ratio_of_means"), pct(r, "certified_fraction")));
        }
        pw.print(t.render());
        pw.println();
        pw.println("VD: share of the teacher's recourse the student no longer honours. CRG: how much more the "
                + "student's own recourse costs (ratio of means - 1). Fidelity: decisions shared with the teacher; "
                + "leniency: teacher rejections the student accepts. Certified: teacher recourse proven to survive "
                + "any weights within the quantization error (sound bound).");
        pw.printf(Locale.ROOT, "%d cells in %.1f s%s%n", rows.size(), outcome.seconds(),
                out != null ? "; files in " + dir : "");
        pw.printf("%nReport: %s%n", report.toAbsolutePath());
        pw.flush();
    }

    private static String num(JsonNode r, String key, String fmt) {
        JsonNode v = r.get(key);
        return v == null || !v.isNumber() ? "-" : String.format(Locale.ROOT, fmt, v.asDouble());
    }

    private static String pct(JsonNode r, String key) {
        JsonNode v = r.get(key);
        return v == null || !v.isNumber() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v.asDouble());
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
