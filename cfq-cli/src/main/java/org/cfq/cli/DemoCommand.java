package org.cfq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.cfq.experiment.Demo;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.files.FileChecks;
import org.cfq.report.DemoText;
import org.cfq.report.SummaryMarkdown;
import org.cfq.report.html.HtmlReport;
import org.cfq.report.progress.Progress;
import org.cfq.report.results.ResultsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq demo}: the whole pipeline on the built-in synthetic credit data, with no
 * download: a teacher, its recourse, students quantized by several methods at several
 * budgets, and the recourse audit of each: {@link Demo}, summarized for a person by
 * {@link DemoText}.
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
        FileChecks.outputDirectory(out, "--out");
        Path dir = out != null ? out : Files.createTempDirectory("cfq-demo");
        try {
            return run(dir);
        } finally {
            if (out == null) {
                AtomicFiles.deleteTree(dir);
            }
        }
    }

    private int run(Path dir) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ExperimentPlan plan = Demo.plan(seed, budgets, methods, dir);
        Demo.Outcome outcome;
        try (Progress bar = Progress.start(err, "grid", plan.cells(), "cell")) {
            outcome = Demo.run(plan, seed, FailedCellTraces.of(bar.grid("cfq experiment: "), common.verbose, err,
                    "cfq experiment: "), SummaryMarkdown::render);
        }
        HtmlReport.write(ResultsReader.read(dir), new HtmlReport.Options(OptionalDouble.empty(),
                "cfq demo (report of its experiment directory)"), report);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, outcome.json(report),
                () -> DemoText.render(outcome, out != null ? dir : null, report));
        return outcome.run().failed() > 0 ? CliErrors.FAILURE : CliErrors.OK;
    }
}
