package org.cfq.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cfq.io.files.FileChecks;
import org.cfq.experiment.ExperimentJob;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentRunner;
import org.cfq.experiment.Suites;
import org.cfq.report.CommandText;
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
                    + "baselines, ptq, runtime, quality, backbones (backbones-logistic and backbones-deep), or all; "
                    + "the families of one run share teachers (DIR/teachers), teacher recourse and identical cells. "
                    + "Datasets default to adult,german,compas,bank.")
    String suite;

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "30",
            description = "Maximum training epochs of the teachers (default: ${DEFAULT-VALUE}).")
    int teacherEpochs;

    @Option(names = "--teacher-backbone", paramLabel = "mlp|logistic|deep",
            description = "Teacher shape instead of --teacher-hidden: mlp (128, 64), logistic (no hidden layer, "
                    + "learning rate 0.01) or deep (256, 128, 64, 32), the paper's backbones.")
    String teacherBackbone;

    @Option(names = "--cost", defaultValue = "l1", paramLabel = "KIND",
            description = "Recourse cost of the audits and of CFQ's teacher search: l1, mad, l0, l2 or mixed "
                    + "(0.5 l1 + 0.5 l2) (default: ${DEFAULT-VALUE}).")
    String cost;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var parsed = spec.commandLine().getParseResult();
        ExperimentPlan plan = ExperimentJob.plan(datasets, budgets, methods, seeds, recourse, margins, factuals,
                maxFactuals, out, dataDir.dir, actions, TrainingConfig.defaults()
                        .withBackbone(ExperimentJob.backbone(teacherBackbone, teacherHidden)).withMaxEpochs(teacherEpochs));
        FileChecks.outputDirectory(out, "--out");
        ExperimentJob job = ExperimentJob.of(plan.withSplit(splitSeed, splitPerSeed), evaluations, suite,
                parsed.hasMatchedOption("--datasets"), cost, "cfq " + String.join(" ", parsed.originalArgs()));
        ExperimentRunner.Outcome o = ExperimentRunner.Outcome.NONE;
        for (Suites.Family f : job.families()) {
            try (Progress bar = Progress.start(spec.commandLine().getErr(), f.id(), f.plan().cells(), "cell")) {
                o = o.plus(job.run(f, FailedCellTraces.of(bar.grid("cfq experiment: "), common.verbose,
                        spec.commandLine().getErr(), "cfq experiment: "), SummaryMarkdown::render));
            }
        }
        ExperimentRunner.Outcome done = o;
        JsonOutput.emit(spec.commandLine().getOut(), common.json, job.json(o), () -> CommandText.experiment(job, done));
        return o.failed() > 0 ? CliErrors.FAILURE : CliErrors.OK;
    }
}
