package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cfq.experiment.RecourseRun;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.io.files.FileChecks;
import org.cfq.experiment.RecourseMethod;
import org.cfq.experiment.RecourseMethods;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseRequest;
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

    @Option(names = "--cost", defaultValue = "l1", paramLabel = "KIND",
            description = "l1 (1/std), mad (1/MAD), l0 or l2 (default: ${DEFAULT-VALUE}).")
    String cost;

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
        boolean certifiedMethod = CERTIFIED.equalsIgnoreCase(method.trim());
        String id = certifiedMethod ? CERTIFIED : RecourseMethods.builtIn().get(method).id();
        if (!(maxLof >= 0) || Double.isInfinite(maxLof)) {
            throw new InvalidInputException("--max-lof " + maxLof, "must be a finite number >= 0",
                    "Give an LOF threshold such as 1.5, or 0 to keep every counterfactual");
        }
        if (limit < 0) {
            throw new InvalidInputException("--limit " + limit, "must be >= 0", "Give a count, or 0 for all instances");
        }
        RecourseRequest req = recourse.request(data.dataset, seed.seed).withCost(parseCost(cost))
                .withThreshold(threshold);
        int k = req.sparsity();
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.RECOURSE_CSV, common.force,
                QuantizeCommand.inputs(model, data));
        Dataset d = data.load();
        SavedModel saved = ModelFile.read(model, d.schema());
        PrintWriter err = spec.commandLine().getErr();
        RecourseRun run = new RecourseRun(saved.encoder(), saved.model(), d, req, limit);
        err.printf("cfq recourse: %s on %d unfavorable test instances of %s (actions %s, sparsity %d)%n", id,
                run.rows(), data.describe(), data.actions, k);
        if (!run.space().anyMutable()) {
            err.printf("cfq recourse: no actionable feature: every feature of %s is immutable under --actions %s, "
                    + "so no counterfactual is advised (0 found, reason no_actionable_features)%n",
                    data.describe(), data.actions);
        }
        err.flush();
        if (certifiedMethod) {
            if (checkSamples < 0) {
                throw new InvalidInputException("--check-samples " + checkSamples, "must be >= 0",
                        "Give a count of random points per neighbourhood, or 0");
            }
            run.runCertified(deployment.read(model, saved.model(), d.schema()), deployment.neighbourhood(run.encoder()),
                    saved.model(), req, checkSamples, deployment.holdout(d.schema(), saved.model().inputDim()));
        } else {
            if (deployment.given()) {
                throw new InvalidInputException("--deployed", "only --method certified uses a deployment set",
                        "Add --method certified, or leave --deployed out");
            }
            run.run(RecourseMethods.builtIn().get(method), saved.model(), req, !noPlausibility, maxLof);
        }
        if (out != null) {
            run.writeCsv(out);
        }
        ObjectNode o = JsonOutput.object();
        o.put("command", "recourse");
        o.put("method", id);
        o.put("dataset", data.describe());
        o.put("actions", data.actions);
        o.put("model", model.toString());
        o.put("margin", req.margin());
        o.put("threshold", req.threshold());
        o.put("cost", req.cost().name().toLowerCase(java.util.Locale.ROOT));
        o.put("sparsity", k);
        o.put("seed", seed.seed);
        run.summarize(o);
        if (out != null) {
            o.put("out", out.toString());
        }
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            JsonOutput.print(pw, o);
        } else {
            RecourseRun.Certified c = run.certified();
            if (c != null) {
                pw.printf(java.util.Locale.ROOT, "certified for %d models %s: %d of %d rows with pgd recourse "
                                + "(%.1f%%), mean cost %.4f vs pgd %.4f on the same rows (premium %.1f%%), "
                                + "search %.2f s, verifier %.2f s%n", c.set().size(),
                        c.set().models().stream().map(org.cfq.bounds.DeployedModel::label).toList(),
                        c.certifiedOfPgd(), c.pgdFound(), 100.0 * c.certifiedOfPgd() / Math.max(1, c.pgdFound()),
                        c.meanCostCertified(), c.meanCostPgd(), 100 * c.pricePremium(), c.batch().searchSeconds(),
                        c.batch().verifySeconds());
            }
            if (!run.space().anyMutable()) {
                pw.printf("%s: no actionable feature under --actions %s: found 0 of %d (reason: no actionable "
                        + "feature)%n", id, data.actions, run.rows());
            }
            pw.printf("%s: found %d of %d (%.1f%%), mean cost %.4f, mean changed features %.2f, "
                            + "constraint violations %d, median margin %.4f, mean yNN %.3f, mean LOF %.3f, "
                            + "%.2f s (%.0f instances/s)%n",
                    id, run.batch().foundCount(), run.rows(), 100 * run.batch().foundRate(), run.batch().meanCost(),
                    run.batch().meanChangedFeatures(), run.report().violations().size(), run.batch().medianMargin(),
                    run.plausibility()[0], run.plausibility()[1], run.seconds(),
                    run.seconds() > 0 ? run.rows() / run.seconds() : 0);
            if (!run.report().violations().isEmpty()) {
                run.report().violations().stream().limit(5).forEach(v -> pw.printf("  violation: row %d %s %s: %s%n",
                        v.row(), v.feature(), v.rule(), v.detail()));
            }
            pw.flush();
        }
        return run.report().violations().isEmpty() && run.report().invalid() == 0 ? CliErrors.OK : CliErrors.FAILURE;
    }

    /** The method name of certified recourse, which needs the deployment set (not in the registry). */
    static final String CERTIFIED = "certified";

    static CostKind parseCost(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "l1" -> CostKind.L1;
            case "mad", "l1-mad" -> CostKind.L1_MAD;
            case "l0" -> CostKind.L0;
            case "l2" -> CostKind.L2;
            default -> throw new InvalidInputException("--cost '" + text + "'", "not a cost kind",
                    "Use l1, mad, l0 or l2");
        };
    }
}
