package org.cfq.cli;

import static org.cfq.InvalidInputException.require;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cfq.bench.RecourseBench;
import org.cfq.data.Dataset;
import org.cfq.experiment.RecourseRun;
import org.cfq.experiment.Teachers;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.model.SavedModel;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq bench-recourse} (hidden): times pgd and wachter on every unfavorable test instance
 * of a dataset, batched, and one instance at a time on a subset (extrapolated), and reports the
 * model's GFLOP/s. Trains the default teacher when the {@code --model} file is absent (and saves it there).
 */
@Command(name = "bench-recourse", hidden = true, mixinStandardHelpOptions = true,
        description = "Benchmark batched recourse (pgd, wachter) against one-instance-at-a-time.")
final class BenchRecourseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Option(names = "--model", paramLabel = "FILE", description = "Teacher model file; trained (and saved) when absent.")
    Path model;

    @Option(names = "--hidden", defaultValue = "128,64", split = ",", paramLabel = "W,...",
            description = "Hidden widths of the teacher to train when the model file is absent (0: logistic,"
                    + " at the logistic learning rate 0.01).")
    List<Integer> hidden;

    @Option(names = "--single", defaultValue = "100", paramLabel = "N",
            description = "Instances timed one at a time, evenly spaced over all (extrapolated to all).")
    int single;

    @Option(names = "--repeat", defaultValue = "2", paramLabel = "R", description = "Batched runs per method; best time kept.")
    int repeat;

    @Option(names = "--sparsity", paramLabel = "K", description = "Sparsity limit (default: the dataset's published one).")
    Integer sparsity;

    @Option(names = "--published", description = "Time pgd as exactly the published loop (every step, no "
            + "early exit, no escalation) instead of cfq's default.")
    boolean published;

    @Option(names = "--threads", paramLabel = "T", description = "Threads one search may use (default: all "
            + "processors); results are the same for every count.")
    Integer threads;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        require(threads == null || threads >= 1, "--threads", "must be at least 1, got " + threads,
                "Pass a positive thread count, or leave it out to use every processor.");
        Parallelism par = threads == null ? Parallelism.defaults() : Parallelism.of(threads);
        Dataset d = data.load();
        TrainingConfig cfg = TrainingConfig.defaults().withBackbone(hidden == null ? List.of()
                : hidden.stream().filter(h -> h > 0).toList());
        // The teacher file is reused when present, else the teacher is trained and saved there.
        SavedModel saved = Teachers.cached(model, d, cfg, "bench-recourse teacher " + cfg.hidden(), e -> { },
                line -> err.printf("bench-recourse: teacher %s on %s: %s%n", cfg.hidden(), data.describe(), line));
        Mlp m = saved.model();
        int k = sparsity != null ? sparsity : DatasetRegistry.builtIn().publishedSparsity(data.dataset);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(k);
        RecourseRun run = new RecourseRun(saved.encoder(), m, d, req, 0);
        RecourseBench bench = new RecourseBench(published, par, single, repeat, s -> {
            err.println("bench-recourse: " + s);
            err.flush();
        });
        JsonOutput.print(spec.commandLine().getOut(), bench.json(m, run, req, data.describe(), data.actions));
        return CliErrors.OK;
    }
}
