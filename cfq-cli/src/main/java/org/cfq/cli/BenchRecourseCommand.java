package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.cfq.experiment.RecourseRun;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq bench-recourse} (hidden): times pgd and wachter on every unfavorable test instance
 * of a dataset, batched, and one instance at a time on a subset (extrapolated), and reports the
 * model's GFLOP/s. Trains the default teacher when no {@code --model} is given (and can save it).
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
            description = "Hidden widths of the teacher to train when the model file is absent (empty: logistic).")
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

    private Parallelism par = Parallelism.defaults();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (threads != null) {
            if (threads < 1) {
                throw new InvalidInputException("--threads", "must be at least 1, got " + threads,
                        "Pass a positive thread count, or leave it out to use every processor.");
            }
            par = Parallelism.of(threads);
        }
        Dataset d = data.load();
        SavedModel saved = teacher(d, err);
        Mlp m = saved.model();
        int k = sparsity != null ? sparsity : DatasetRegistry.builtIn().publishedSparsity(data.dataset);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(k);
        RecourseRun run = new RecourseRun(saved.encoder(), m, d, req, 0);
        ObjectNode root = JsonOutput.object();
        root.put("dataset", data.describe());
        root.put("actions", data.actions);
        root.put("hidden", Arrays.toString(m.hiddenSizes()));
        root.put("instances", run.rows());
        root.put("sparsity", k);
        root.put("pgd_config", (published ? PgdConfig.published() : PgdConfig.defaults()).toString());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("threads", par.threads());
        ArrayNode list = root.putArray("methods");
        for (String name : List.of("pgd", "wachter")) {
            ObjectNode o = list.addObject();
            o.put("method", name);
            double best = Double.POSITIVE_INFINITY;
            double bestCpu = Double.POSITIVE_INFINITY;
            long flops = 0;
            RecourseBatch batch = null;
            for (int r = 0; r < Math.max(1, repeat); r++) {
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                batch = generate(name, run, m, run.factuals(), run.rows(), req);
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuNanos() - c0) / 1e9;
                flops = lastFlops;
                best = Math.min(best, s);
                bestCpu = Math.min(bestCpu, cpu);
                err.printf("bench-recourse: %s batched run %d: %.3f s wall, %.3f s cpu%n", name, r + 1, s, cpu);
                err.flush();
            }
            o.put("batched_seconds", best);
            o.put("batched_cpu_seconds", bestCpu);
            o.put("found_rate", batch.foundRate());
            o.put("mean_cost", batch.meanCost());
            o.put("gflop", flops / 1e9);
            o.put("gflops_per_second", flops / 1e9 / best);
            int n = Math.min(single, run.rows());
            int w = run.encoder().width();
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            long singleFlops = 0;
            for (int q = 0; q < n; q++) {
                // evenly spaced instances, so the sample is as hard as the whole set
                int i = (int) ((long) q * run.rows() / n);
                generate(name, run, m, Arrays.copyOfRange(run.factuals(), i * w, i * w + w), 1, req);
                singleFlops += lastFlops;
            }
            double s1 = (System.nanoTime() - t0) / 1e9;
            double cpu1 = (cpuNanos() - c0) / 1e9;
            double extrapolated = n == 0 ? 0 : s1 / n * run.rows();
            double extrapolatedCpu = n == 0 ? 0 : cpu1 / n * run.rows();
            o.put("single_cpu_seconds_extrapolated", extrapolatedCpu);
            o.put("speedup_cpu", extrapolatedCpu / bestCpu);
            o.put("gflops_per_cpu_second", flops / 1e9 / bestCpu);
            o.put("single_instances_timed", n);
            o.put("single_gflop_extrapolated", n == 0 ? 0 : singleFlops / 1e9 / n * run.rows());
            o.put("single_seconds_measured", s1);
            o.put("single_seconds_extrapolated", extrapolated);
            o.put("speedup", extrapolated / best);
            err.printf("bench-recourse: %s one-at-a-time on %d instances: %.3f s (extrapolated %.1f s for %d)%n",
                    name, n, s1, extrapolated, run.rows());
            err.flush();
        }
        JsonOutput.print(spec.commandLine().getOut(), root);
        return CliErrors.OK;
    }

    private long lastFlops;

    /** CPU time of the whole process (all threads), nanoseconds; fair on a shared machine. */
    private static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private RecourseBatch generate(String name, RecourseRun run, Mlp m, float[] x, int rows, RecourseRequest req) {
        if (name.equals("pgd")) {
            PgdGenerator g = new PgdGenerator(run.space(), published ? PgdConfig.published() : PgdConfig.defaults(), par);
            RecourseBatch b = g.generate(m, x, rows, req);
            lastFlops = g.lastFlops();
            return b;
        }
        WachterGenerator g = new WachterGenerator(run.space(), WachterConfig.defaults(), par);
        RecourseBatch b = g.generate(m, x, rows, req);
        lastFlops = g.lastFlops();
        return b;
    }

    private SavedModel teacher(Dataset d, PrintWriter err) throws Exception {
        if (model != null && Files.exists(model)) {
            return ModelFile.read(model, d.schema());
        }
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(hidden == null ? List.of()
                : hidden.stream().filter(h -> h > 0).toList());
        err.printf("bench-recourse: training a %s teacher on %s%n", cfg.hidden(), data.describe());
        err.flush();
        var res = new MlpTrainer(cfg).train(enc.encode(d.train()), d.train().labels(), enc.encode(d.validation()),
                d.validation().labels());
        SavedModel s = new SavedModel(res.model(), enc, cfg, Provenance.of(cfg.seed(), "bench-recourse teacher "
                + cfg.hidden(), DatasetFingerprint.of(d.train()), Provenance.now()));
        if (model != null) {
            ModelFile.write(model, s);
            err.printf("bench-recourse: saved the teacher to %s%n", model);
        }
        return s;
    }
}
