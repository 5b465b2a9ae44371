package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
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
        Path written = write(results, out, budget == null ? OptionalDouble.empty() : OptionalDouble.of(budget),
                "cfq " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            ObjectNode o = JsonOutput.object();
            o.put("report", out.toAbsolutePath().toString());
            o.put("plots_directory", written.toString());
            o.put("cells", results.cells().size());
            o.put("seconds", seconds);
            JsonOutput.print(pw, o);
        } else {
            pw.printf(Locale.ROOT, "report written to %s (plots in %s; %.1f s)%n", out.toAbsolutePath(), written, seconds);
            pw.flush();
        }
        return CliErrors.OK;
    }

    /** Renders and writes a report; {@return the plots directory}. */
    static Path write(ExperimentResults results, Path out, OptionalDouble budget, String command) throws IOException {
        HtmlReport.Rendered r = HtmlReport.render(results, new HtmlReport.Options(budget, command));
        return HtmlReport.write(r, out);
    }
}
