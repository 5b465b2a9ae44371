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

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (from cfq train).")
    Path model;

    @Option(names = "--method", defaultValue = "pgd", paramLabel = "METHOD",
            description = "pgd, wachter, growing-spheres, linear-exact or diverse (default: ${DEFAULT-VALUE}).")
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

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RecourseMethod m = RecourseMethods.builtIn().get(method);
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
        err.printf("cfq recourse: %s on %d unfavorable test instances of %s (actions %s, sparsity %d)%n", m.id(),
                run.rows(), data.describe(), data.actions, k);
        err.flush();
        run.run(m, saved.model(), req);
        if (out != null) {
            run.writeCsv(out);
        }
        ObjectNode o = JsonOutput.object();
        o.put("command", "recourse");
        o.put("method", m.id());
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
            pw.printf("%s: found %d of %d (%.1f%%), mean cost %.4f, mean changed features %.2f, "
                            + "constraint violations %d, median margin %.4f, %.2f s (%.0f instances/s)%n",
                    m.id(), run.batch().foundCount(), run.rows(), 100 * run.batch().foundRate(), run.batch().meanCost(),
                    run.batch().meanChangedFeatures(), run.report().violations().size(), run.batch().medianMargin(),
                    run.seconds(), run.seconds() > 0 ? run.rows() / run.seconds() : 0);
            pw.flush();
        }
        return run.report().violations().isEmpty() && run.report().invalid() == 0 ? CliErrors.OK : CliErrors.FAILURE;
    }

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
