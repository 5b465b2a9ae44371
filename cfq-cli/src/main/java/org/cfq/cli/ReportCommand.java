package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.report.CommandText;
import org.cfq.report.html.HtmlReport;
import org.cfq.report.results.ExperimentResults;
import org.cfq.report.results.ResultsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq report}: one self-contained HTML page (and an SVG per plot) from an experiment directory. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
    "Render an experiment directory (cfq experiment --out DIR) as one self-contained HTML page with SVG plots: "
            + "budget curves (VD, CRG, accuracy, fidelity, leniency; mean and one std over seeds), bit allocation, "
            + "margins at the teacher's counterfactuals, certified fraction, example applicants, provenance.",
    "Each plot is also written as OUT-plots/NAME.svg beside the page."})
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--experiment", required = true, paramLabel = "DIR",
            description = "The experiment directory (or its results.json).")
    Path experiment;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path out;

    @Option(names = "--budget", paramLabel = "B",
            description = "The budget whose margins and example applicants are shown (default: 4 when present).")
    Double budget;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        org.cfq.io.files.FileChecks.output(out, "--out", org.cfq.io.files.FileChecks.OutputKind.HTML, common.force,
                experiment, experiment.resolve("results.json"));
        long t0 = System.nanoTime();
        ExperimentResults results = ResultsReader.read(experiment);
        if (budget != null && !results.budgets().contains(budget)) {
            throw new InvalidInputException("--budget " + budget, "the results hold budgets " + results.budgets(),
                    "Pick one of them, or leave --budget out");
        }
        Path written = HtmlReport.write(results, new HtmlReport.Options(budget == null ? OptionalDouble.empty()
                : OptionalDouble.of(budget), "cfq " + String.join(" ", spec.commandLine().getParseResult()
                .originalArgs())), out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode o = JsonOutput.object().put("report", out.toAbsolutePath().toString())
                .put("plots_directory", written.toString()).put("cells", results.cells().size()).put("seconds", seconds);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, o, () -> CommandText.report(out, written, seconds));
        return CliErrors.OK;
    }
}
