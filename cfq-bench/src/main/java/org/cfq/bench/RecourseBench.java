package org.cfq.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.cfq.experiment.RecourseRun;
import org.cfq.io.json.Json;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;

/**
 * Batched recourse against one instance at a time ({@code cfq bench-recourse}): pgd and wachter
 * on every unfavorable test instance, batched (best of {@code repeat} runs), and one instance at
 * a time on {@code single} evenly spaced instances (extrapolated to all), in wall and process
 * CPU time, with the model's GFLOP/s.
 */
public final class RecourseBench {
    private final PgdConfig pgd;
    private final Parallelism par;
    private final int single;
    private final int repeat;
    private final Consumer<String> note;
    private long lastFlops;

    /**
     * @param published time pgd as exactly the published loop instead of cfq's default
     * @param par       the threads one search may use (results are the same for every count)
     * @param single    instances timed one at a time
     * @param repeat    batched runs per method (the best time is kept), at least 1 is run
     */
    public RecourseBench(boolean published, Parallelism par, int single, int repeat, Consumer<String> note) {
        this.pgd = published ? PgdConfig.published() : PgdConfig.defaults();
        this.par = par;
        this.single = single;
        this.repeat = repeat;
        this.note = note;
    }

    /** {@return the pgd settings timed} */
    public PgdConfig pgd() {
        return pgd;
    }

    /**
     * {@return the benchmark as JSON: the dataset, the model's widths, the instances, the settings,
     * the cores and threads, then {@link #run(Mlp, RecourseRun, RecourseRequest, ArrayNode) each method}}
     */
    public ObjectNode json(Mlp m, RecourseRun run, RecourseRequest req, String dataset, String actions) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("dataset", dataset);
        root.put("actions", actions);
        root.put("hidden", Arrays.toString(m.hiddenSizes()));
        root.put("instances", run.rows());
        root.put("sparsity", req.sparsity());
        root.put("pgd_config", pgd.toString());
        root.put("cores", Runtime.getRuntime().availableProcessors());
        root.put("threads", par.threads());
        run(m, run, req, root.putArray("methods"));
        return root;
    }

    /** Times both methods on the run's factuals, one object per method appended to {@code list}. */
    public void run(Mlp m, RecourseRun run, RecourseRequest req, ArrayNode list) {
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
                note.accept(String.format("%s batched run %d: %.3f s wall, %.3f s cpu", name, r + 1, s, cpu));
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
            note.accept(String.format("%s one-at-a-time on %d instances: %.3f s (extrapolated %.1f s for %d)",
                    name, n, s1, extrapolated, run.rows()));
        }
    }

    /** CPU time of the whole process (all threads), nanoseconds; fair on a shared machine. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private RecourseBatch generate(String name, RecourseRun run, Mlp m, float[] x, int rows, RecourseRequest req) {
        if (name.equals("pgd")) {
            PgdGenerator g = new PgdGenerator(run.space(), pgd, par);
            RecourseBatch b = g.generate(m, x, rows, req);
            lastFlops = g.lastFlops();
            return b;
        }
        WachterGenerator g = new WachterGenerator(run.space(), WachterConfig.defaults(), par);
        RecourseBatch b = g.generate(m, x, rows, req);
        lastFlops = g.lastFlops();
        return b;
    }
}
