package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.io.files.FileChecks;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.StudentMethods;
import org.cfq.experiment.Suites;
import org.cfq.report.SummaryMarkdown;
import org.cfq.report.progress.Progress;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cfq experiment}: the paper's experiment grid, resumable, with CSV, JSON and Markdown outputs. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Train (or reuse) teachers, quantize them with every method and budget, audit each student, "
                + "and write one row per dataset x method x budget x seed x margin to DIR/results.csv and "
                + "DIR/results.json, and a Markdown summary to DIR/summary.md. Progress goes to stderr. A killed run "
                + "started again with the same arguments reuses every finished cell (DIR/cells/).")
final class ExperimentCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--datasets", split = ",", paramLabel = "NAMES", defaultValue = "adult,german,compas",
            description = "Built-in datasets (default: ${DEFAULT-VALUE}).")
    List<String> datasets;

    @Option(names = "--budgets", split = ",", paramLabel = "BITS", defaultValue = "2.5,3,4,5,6",
            description = "Average weight-bit budgets in [2, 8]; uniform methods use the largest width <= B "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Double> budgets;

    @Option(names = "--methods", split = ",", paramLabel = "NAMES", defaultValue = "ptq,qat,lsq,pact,mixed,cfq",
            description = "Quantization methods (default: ${DEFAULT-VALUE}); methods not in this build are "
                    + "reported as unavailable.")
    List<String> methods;

    @Option(names = "--seeds", split = ",", paramLabel = "SEEDS", defaultValue = "42,123,2024",
            description = "Seeds of teacher training, quantization and recourse (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--recourse", paramLabel = "pgd|wachter", defaultValue = "pgd",
            description = "Recourse generator with its published defaults (default: ${DEFAULT-VALUE}); wachter "
                    + "gives boundary-hugging counterfactuals.")
    String recourse;

    @Option(names = "--margins", split = ",", paramLabel = "M", defaultValue = "0",
            description = "Recourse margins to sweep (default: ${DEFAULT-VALUE}).")
    List<Double> margins;

    @Option(names = "--factuals", paramLabel = "negatives|paper", defaultValue = "negatives",
            description = "Factual selection (default: ${DEFAULT-VALUE}).")
    String factuals;

    @Option(names = "--max-factuals", paramLabel = "N", defaultValue = "512",
            description = "Audit at most the first N selected factuals per cell, 0 for all (default: "
                    + "${DEFAULT-VALUE}, the published code's count).")
    int maxFactuals;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--actions", paramLabel = "paper|realistic|FILE", defaultValue = "paper",
            description = "Actionability preset or rules file (default: ${DEFAULT-VALUE}).")
    String actions;

    @Option(names = "--teacher-hidden", split = ",", paramLabel = "WIDTHS", defaultValue = "128,64",
            description = "Hidden widths of the teachers (default: ${DEFAULT-VALUE}, the published teacher).")
    List<Integer> teacherHidden;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every dataset's stratified split (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--split-per-seed", description = "Re-draw each dataset's split per run seed (split seed = run "
            + "seed), as the paper's authors do; adult keeps its test file and re-draws only validation.")
    boolean splitPerSeed;

    @Option(names = "--evaluations", split = ",", paramLabel = "IDS",
            description = "Audit evaluations each cell adds: subgroups, shift, tightness, theory, robust (default: none).")
    List<String> evaluations = List.of();

    @Option(names = "--suite", paramLabel = "NAME",
            description = "Run a family of the paper with its published budgets, methods, evaluations and a fresh split "
                    + "per seed, into DIR/NAME (its own summary.md): main, budget, stress, subgroups, theory, ablations, "
                    + "baselines, ptq, runtime, or all. "
                    + "Datasets default to adult,german,compas,bank.")
    String suite;

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "30",
            description = "Maximum training epochs of the teachers (default: ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(names = "--teacher-backbone", paramLabel = "mlp|logistic|deep",
            description = "Teacher shape instead of --teacher-hidden: mlp (128, 64), logistic (no hidden layer) or "
                    + "deep (256, 128, 64, 32), the paper's backbones.")
    String teacherBackbone;

    @Option(names = "--cost", defaultValue = "l1", paramLabel = "KIND",
            description = "Recourse cost of the audits and of CFQ's teacher search: l1, mad, l0, l2 or mixed "
                    + "(0.5 l1 + 0.5 l2) (default: ${DEFAULT-VALUE}).")
    String cost;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        for (String name : datasets) {
            if (org.cfq.io.datasets.DatasetRegistry.builtIn().find(name).isEmpty()) {
                throw new InvalidInputException("--datasets " + String.join(",", datasets), "'" + name
                        + "' is not a built-in dataset", "Use some of " + org.cfq.io.datasets.DatasetRegistry
                        .builtIn().names() + " (experiment runs the built-in datasets only)");
            }
        }
        FileChecks.outputDirectory(out, "--out");
        org.cfq.recourse.CostKind costKind = RecourseOptions.parseCost(cost);
        List<Integer> hidden = teacherBackbone == null ? teacherHidden : switch (teacherBackbone) {
            case "mlp" -> List.of(128, 64);
            case "logistic" -> List.<Integer>of();
            case "deep" -> List.of(256, 128, 64, 32);
            default -> throw new InvalidInputException("--teacher-backbone " + teacherBackbone, "not a backbone",
                    "Use mlp, logistic or deep");
        };
        ExperimentPlan plan;
        try {
            plan = new ExperimentPlan(datasets, budgets, methods, seeds, RecourseMethods.published().get(recourse), margins,
                    AuditCommand.parseSelection(factuals), maxFactuals, out, dataDir.dir, actions,
                    TrainingConfig.defaults().withHidden(hidden).withMaxEpochs(teacherEpochs))
                    .withSplit(splitSeed, splitPerSeed);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("experiment options", e.getMessage(),
                    "Check --budgets (in [2, 8]), --margins (>= 0), --max-factuals (>= 0) and the teacher options");
        }
        String command = "cfq " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        List<Suites.Family> families;
        try {
            families = Suites.builtIn().families(plan.withEvaluations(evaluations), suite,
                    spec.commandLine().getParseResult().hasMatchedOption("--datasets"), command);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(suite == null ? "--evaluations" : "--suite " + suite, e.getMessage(),
                    "Choose from the names listed");
        }
        ExperimentRunner.Outcome o = null;
        int cells = 0;
        for (Suites.Family f : families) {
            cells += f.plan().cells();
            try (Progress bar = Progress.start(spec.commandLine().getErr(), f.id(), f.plan().cells(), "cell")) {
                ExperimentRunner.Outcome one = new ExperimentRunner(f.plan(), StudentMethods.builtIn(),
                        bar.grid("cfq experiment: "), s -> f.header() + SummaryMarkdown.render(s)).withCost(costKind)
                        .withCommand(command)
                        .run();
                o = o == null ? one : o.plus(one);
            }
        }
        ExperimentRunner.Outcome done = o;
        Path summary = suite == null ? out.resolve("summary.md") : out.resolve("<family>").resolve("summary.md");
        ObjectNode root = JsonOutput.object().put("command", "experiment").put("out", out.toString())
                .put("cells", cells).put("computed", o.computed()).put("reused", o.reused())
                .put("unavailable", o.unavailable()).put("failed", o.failed()).put("seconds", o.seconds())
                .put("summary", summary.toString());
        if (suite != null) {
            root.put("suite", suite);
            families.forEach(f -> root.withArray("summaries").add(f.plan().out().resolve("summary.md").toString()));
        } else {
            root.put("results_csv", out.resolve("results.csv").toString())
                    .put("results_json", out.resolve("results.json").toString());
        }
        int total = cells;
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> String.format(Locale.ROOT,
                "%d cells: %d computed, %d reused, %d unavailable, %d failed in %.1f s; summary in %s%n", total,
                done.computed(), done.reused(), done.unavailable(), done.failed(), done.seconds(), summary));
        return o.failed() > 0 ? CliErrors.FAILURE : CliErrors.OK;
    }
}
