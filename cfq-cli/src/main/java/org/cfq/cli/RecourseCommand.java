package org.cfq.cli;

import static org.cfq.InvalidInputException.require;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cfq.experiment.RecourseRun;
import org.cfq.data.Dataset;
import org.cfq.io.files.FileChecks;
import org.cfq.experiment.RecourseMethods;
import org.cfq.io.model.ModelFile;
import org.cfq.recourse.RecourseRequest;
import org.cfq.report.RecourseText;
import org.cfq.report.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq recourse}: recourse for the test instances a model scores unfavorably. */
@Command(name = "recourse", mixinStandardHelpOptions = true,
        description = "Compute recourse for every test instance the model scores unfavorably, check each "
                + "counterfactual with the independent validator, and summarize (optionally a CSV per instance).")
final class RecourseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Mixin
    SeedOption seed;

    @Mixin
    RecourseOptions recourse;

    @Mixin
    DeploymentOptions deployment;

    @Option(names = "--check-samples", defaultValue = "0", paramLabel = "N",
            description = "With --method certified: sample every certified neighbourhood densely (corners, the "
                    + "step grid and N random points) and score the samples on every deployed runtime "
                    + "(default: ${DEFAULT-VALUE}: no sampling).")
    int checkSamples;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (from cfq train).")
    Path model;

    @Option(names = "--method", defaultValue = "pgd", paramLabel = "METHOD",
            description = "pgd, wachter, growing-spheres, linear-exact, diverse or certified (recourse proven valid on "
                    + "the teacher and every --deployed model over the --tolerance neighbourhood) "
                    + "(default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--threshold", defaultValue = "0", paramLabel = "T",
            description = "Decision threshold on the favorable margin (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Use only the first N unfavorable test instances (0 = all).")
    int limit;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Write one CSV row per instance (atomically).")
    Path out;

    @Option(names = "--no-plausibility", description = "Skip the plausibility scores (mean yNN and LOF, k = 5).")
    boolean noPlausibility;

    @Option(names = "--max-lof", defaultValue = "0", paramLabel = "T",
            description = "Require plausibility: reject counterfactuals whose LOF against the favorable training "
                    + "rows exceeds T (reason not_plausible); 0 keeps all (default: ${DEFAULT-VALUE}).")
    double maxLof;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String id = RecourseMethods.builtIn().idOrCertified(method);
        RecourseRun.checkOptions(maxLof, limit);
        RecourseRequest req = recourse.request(data.dataset, seed.seed).withThreshold(threshold);
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.RECOURSE_CSV, common.force,
                data.files(model));
        Dataset d = data.load();
        var saved = ModelFile.read(model, d.schema());
        PrintWriter err = spec.commandLine().getErr();
        var run = new RecourseRun(saved.encoder(), saved.model(), d, req, limit);
        err.print(RecourseText.start(run, id, data.describe(), data.actions, req.sparsity()));
        err.flush();
        if (RecourseMethods.isCertified(id)) {
            require(checkSamples >= 0, "--check-samples " + checkSamples, "must be >= 0",
                    "Give a count of random points per neighbourhood, or 0");
            run.runCertified(deployment.read(model, saved.model(), d.schema()), deployment.neighbourhood(run.encoder()),
                    saved.model(), req, checkSamples, deployment.holdout(d.schema(), saved.model().inputDim()));
        } else {
            require(!deployment.given(), "--deployed", "only --method certified uses a deployment set",
                    "Add --method certified, or leave --deployed out");
            try (Progress p = Progress.start(err, "recourse", -1, "step")) {
                run.run(RecourseMethods.builtIn().get(method), saved.model(), req, !noPlausibility, maxLof,
                        p.search("cfq recourse: " + id + " search"));
            }
        }
        if (out != null) {
            run.writeCsv(out);
        }
        ObjectNode o = run.json(id, data.describe(), data.actions, model, req, seed.seed, out);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, o, () -> RecourseText.render(run, id, data.actions));
        return run.report().violations().isEmpty() && run.report().invalid() == 0 ? CliErrors.OK : CliErrors.FAILURE;
    }
}
