package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.cfq.InvalidInputException;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqEpoch;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.experiment.RecourseRun;
import org.cfq.experiment.Teachers;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.model.ModelFile;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.integer.IntegerMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq bench}: the speed figures of docs/benchmarks.md, rerunnable by anyone. Suites:
 * {@code kernels} (GFLOP/s of the dense kernels, one thread, at the dataset's shapes),
 * {@code train} (teacher and CFQ training, seconds per epoch), {@code quantize} (a PTQ and an LSQ
 * student), {@code recourse} (the published pgd over every rejected test row, rows/s) and
 * {@code inference} (float, fake-quantized and integer models at batch 4096 on every processor,
 * rows/s, with the integer engine's decisions checked against the fake-quantized model's on
 * every test row). Each figure is the median of {@code --rounds} runs, printed with all runs and
 * the machine's load average, so a reader can judge the noise.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark suites (kernels, train, quantize, recourse, inference): GFLOP/s, seconds "
                + "per epoch, rows/s; medians of --rounds runs with the load average.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> SUITES = List.of("kernels", "train", "quantize", "recourse", "inference");

    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Option(names = "--suite", split = ",", paramLabel = "NAME,...",
            description = "Suites to run: kernels, train, quantize, recourse, inference (default: all).")
    List<String> suites;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Runs per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Teacher model file for quantize, recourse and inference (default: train one with seed 42).")
    Path model;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        if (rounds < 1) {
            throw new InvalidInputException("--rounds", "must be at least 1, got " + rounds,
                    "Pass a positive number of runs (3 or more gives a meaningful median)");
        }
        Set<String> chosen = new LinkedHashSet<>(suites == null || suites.isEmpty() ? SUITES : suites);
        for (String s : chosen) {
            if (!SUITES.contains(s)) {
                throw new InvalidInputException("--suite " + s, "unknown suite", "Use one or more of " + SUITES);
            }
        }
        if (data.dataset == null && data.csv == null) {
            data.dataset = "adult";
        }
        ObjectNode root = JsonOutput.object();
        root.put("dataset", data.describe());
        root.put("rounds", rounds);
        root.put("processors", Runtime.getRuntime().availableProcessors());
        root.put("vector_api", Dense.vectorized());
        root.put("java", System.getProperty("java.version"));
        root.put("load_average_start", load());
        Dataset d = chosen.equals(Set.of("kernels")) ? null : data.load();
        Setup setup = d == null ? null : new Setup(d);
        if (chosen.contains("kernels")) {
            kernels(root.putObject("kernels"), d == null ? 108 : setup.width);
        }
        if (chosen.contains("train")) {
            train(root.putObject("train"), setup);
        }
        if (chosen.contains("quantize")) {
            quantize(root.putObject("quantize"), setup);
        }
        if (chosen.contains("recourse")) {
            recourse(root.putObject("recourse"), setup);
        }
        if (chosen.contains("inference")) {
            inference(root.putObject("inference"), setup);
        }
        root.put("load_average_end", load());
        JsonOutput.print(spec.commandLine().getOut(), root);
        return CliErrors.OK;
    }

    /** The encoded splits and the teacher, made once for every suite. */
    private final class Setup {
        final Dataset data;
        final Encoder encoder;
        final float[] trainX;
        final int[] trainY;
        final float[] valX;
        final int[] valY;
        final float[] testX;
        final int testRows;
        final int width;
        final EncodedSplits splits;
        private Mlp teacher;

        Setup(Dataset d) {
            this.data = d;
            this.encoder = Encoder.fit(d.train(), Scaling.STANDARD);
            this.trainX = encoder.encode(d.train());
            this.trainY = d.train().labels();
            this.valX = encoder.encode(d.validation());
            this.valY = d.validation().labels();
            this.testX = encoder.encode(d.test());
            this.testRows = d.test().rows();
            this.width = encoder.width();
            this.splits = new EncodedSplits(trainX, trainY, valX, valY, testX, d.test().labels(), width);
        }

        Mlp teacher() throws Exception {
            if (teacher == null) {
                if (model != null && Files.exists(model)) {
                    teacher = ModelFile.read(model, data.schema()).model();
                } else {
                    note("training the default teacher (seed 42) for the other suites");
                    teacher = new MlpTrainer(TrainingConfig.defaults()).train(trainX, trainY, valX, valY).model();
                }
            }
            return teacher;
        }
    }

    private void kernels(ObjectNode o, int width) {
        int[][] shapes = {{256, width, 128}, {256, 128, 64}, {512, width, 128}, {11_700, width, 128}};
        ArrayNode list = o.putArray("single_thread");
        SplittableRandom rng = new SplittableRandom(7);
        for (int[] s : shapes) {
            int rows = s[0];
            int in = s[1];
            int out = s[2];
            float[] x = random(rng, rows * in);
            float[] wt = random(rng, in * out);
            float[] w = random(rng, in * out);
            float[] b = random(rng, out);
            float[] y = new float[rows * out];
            float[] dy = random(rng, rows * out);
            float[] dw = new float[out * in];
            float[] db = new float[out];
            float[] dx = new float[rows * in];
            double flops = 2.0 * rows * in * out;
            Parallelism one = Parallelism.single();
            String shape = rows + "x" + in + "->" + out;
            put(list, shape, "affineTransposed (forward)", flops,
                    () -> Dense.affineTransposed(x, rows, in, wt, b, out, y, one));
            put(list, shape, "affineInputGrad (dx = dy W)", flops,
                    () -> Dense.affineInputGrad(dy, rows, out, w, in, dx, one));
            put(list, shape, "affineWeightGrad (dW += dy^T x)", flops,
                    () -> Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, one));
        }
    }

    private void put(ArrayNode list, String shape, String kernel, double flops, Runnable call) {
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < 50; i++) {
            call.run();
        }
        for (int r = 0; r < rounds; r++) {
            long budget = 300_000_000L;
            long t0 = System.nanoTime();
            long c0 = threadCpu();
            long calls = 0;
            do {
                call.run();
                calls++;
            } while (System.nanoTime() - t0 < budget);
            wall[r] = flops * calls / (System.nanoTime() - t0);
            cpu[r] = flops * calls / Math.max(1, threadCpu() - c0);
        }
        ObjectNode k = list.addObject();
        k.put("shape", shape);
        k.put("kernel", kernel);
        k.put("gflops_median", median(wall));
        k.put("gflops_per_cpu_second_median", median(cpu));
        k.set("gflops_runs", array(wall));
        note(String.format(Locale.ROOT, "kernels %-16s %-32s %6.1f GFLOP/s (per CPU-second %6.1f), runs %s", shape,
                kernel, median(wall), median(cpu), fmt(wall, "%.1f")));
    }

    private void train(ObjectNode o, Setup s) throws Exception {
        double[] teacherEpoch = new double[rounds];
        double[] teacherTotal = new double[rounds];
        Mlp teacher = null;
        for (int r = 0; r < rounds; r++) {
            TrainingResult t = new MlpTrainer(TrainingConfig.defaults()).train(s.trainX, s.trainY, s.valX, s.valY);
            teacherTotal[r] = t.seconds();
            teacherEpoch[r] = t.seconds() / t.epochsRun();
            teacher = t.model();
            note(String.format(Locale.ROOT, "train teacher round %d: %.3f s, %d epochs, %.3f s/epoch", r + 1,
                    t.seconds(), t.epochsRun(), teacherEpoch[r]));
        }
        if (s.teacher == null && model == null) {
            s.teacher = teacher;
        }
        ObjectNode t = o.putObject("teacher");
        t.put("seconds_median", median(teacherTotal));
        t.put("seconds_per_epoch_median", median(teacherEpoch));
        t.set("seconds_per_epoch_runs", array(teacherEpoch));
        Mlp te = s.teacher();
        RecourseRequest req = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity(data.dataset));
        var space = Teachers.actionSpace(s.encoder, s.data);
        double[] epoch = new double[rounds];
        double[] withSearch = new double[rounds];
        double[] search = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            CfqResult c = new CfqTrainer(CfqConfig.defaults(4)).train(te, space, req, s.splits,
                    new SplittableRandom(42));
            List<CfqEpoch> h = c.history();
            // Epoch 1 carries the JIT's warm-up in a fresh process: the median is over the rest.
            double[] secs = h.stream().skip(h.size() > 1 ? 1 : 0).mapToDouble(CfqEpoch::seconds).toArray();
            double sum = h.stream().mapToDouble(CfqEpoch::seconds).sum();
            epoch[r] = median(secs);
            search[r] = c.teacherSearchSeconds();
            withSearch[r] = (sum + c.teacherSearchSeconds()) / h.size();
            note(String.format(Locale.ROOT, "train cfq (B=4) round %d: %d epochs, median %.3f s/epoch (epochs 2..), "
                    + "teacher search %.3f s, all epochs + search %.3f s/epoch", r + 1, h.size(), epoch[r],
                    search[r], withSearch[r]));
        }
        ObjectNode c = o.putObject("cfq");
        c.put("seconds_per_epoch_median", median(epoch));
        c.set("seconds_per_epoch_runs", array(epoch));
        c.put("teacher_search_seconds_median", median(search));
        c.put("seconds_per_epoch_with_search_and_first_epoch_median", median(withSearch));
    }

    private void quantize(ObjectNode o, Setup s) throws Exception {
        Mlp te = s.teacher();
        for (QuantMethod m : List.of(QuantMethod.PTQ, QuantMethod.LSQ)) {
            double[] secs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Quantization.run(te, QuantizeRequest.of(m, 4), s.splits, new SplittableRandom(42), (e, n, l, a, sec) -> { });
                secs[r] = (System.nanoTime() - t0) / 1e9;
            }
            ObjectNode q = o.putObject(m.id() + "_4bit");
            q.put("seconds_median", median(secs));
            q.set("seconds_runs", array(secs));
            note(String.format(Locale.ROOT, "quantize %s 4 bit: median %.3f s, runs %s", m.id(), median(secs),
                    fmt(secs, "%.3f")));
        }
    }

    private void recourse(ObjectNode o, Setup s) throws Exception {
        Mlp te = s.teacher();
        RecourseRequest req = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity(data.dataset));
        RecourseRun run = new RecourseRun(s.encoder, te, s.data, req, 0);
        double[] rate = new double[rounds];
        RecourseBatch batch = null;
        for (int r = 0; r < rounds; r++) {
            PgdGenerator g = new PgdGenerator(run.space(), PgdConfig.published(), Parallelism.defaults());
            long t0 = System.nanoTime();
            batch = g.generate(te, run.factuals(), run.rows(), req);
            double sec = (System.nanoTime() - t0) / 1e9;
            rate[r] = run.rows() / sec;
            note(String.format(Locale.ROOT, "recourse published pgd round %d: %d rows in %.3f s = %.0f rows/s, "
                    + "%.1f GFLOP/s", r + 1, run.rows(), sec, rate[r], g.lastFlops() / 1e9 / sec));
        }
        o.put("method", "pgd (published)");
        o.put("rows", run.rows());
        o.put("found_rate", batch.foundRate());
        o.put("rows_per_second_median", median(rate));
        o.set("rows_per_second_runs", array(rate));
    }

    /** One engine scoring rows {@code [from, from + n)} of the test rows, with its own buffers. */
    private interface Scorer {
        void score(int from, int n);
    }

    private interface Engine {
        Scorer forThread(int batch);
    }

    private void inference(ObjectNode o, Setup s) throws Exception {
        Mlp te = s.teacher();
        int threads = Runtime.getRuntime().availableProcessors();
        int batch = 4096;
        int w = s.width;
        float[] x = s.testX;
        int rows = s.testRows;
        o.put("batch", batch);
        o.put("threads", threads);
        o.put("rows", rows);
        List<String> names = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        names.add("float32 teacher");
        engines.add(b -> {
            Mlp.Workspace ws = te.workspace(b);
            float[] buf = new float[b * w];
            return (from, n) -> {
                System.arraycopy(x, from * w, buf, 0, n * w);
                te.forward(buf, n, ws, Parallelism.single());
            };
        });
        ArrayNode checks = o.putArray("integer_vs_fake_quant");
        for (int[] wa : new int[][] {{8, 8}, {4, 4}}) {
            String tag = "W" + wa[0] + "A" + wa[1];
            QuantizedMlp q = PostTrainingQuantizer.quantize(te, wa[0], PtqConfig.defaults().withActivationBits(wa[1]),
                    s.trainX, s.trainY.length, new SplittableRandom(42));
            IntegerMlp im = IntegerMlp.of(q);
            IntegerMlp.Workspace probe = im.workspace(rows);
            float[] li = new float[rows * 2];
            im.forward(x, rows, probe, li);
            float[] lf = new float[rows * 2];
            q.logits(x, rows, lf);
            int differ = 0;
            for (int r = 0; r < rows; r++) {
                if ((li[2 * r + 1] - li[2 * r] > 0) != (lf[2 * r + 1] - lf[2 * r] > 0)) {
                    differ++;
                }
            }
            ObjectNode c = checks.addObject();
            c.put("model", tag);
            c.put("rows", rows);
            c.put("decisions_differing", differ);
            c.put("fallbacks", probe.fallbacks());
            note(String.format(Locale.ROOT, "inference %s: integer vs fake-quant decisions differ on %d of %d test rows;"
                    + " %d fallbacks to the float32 sum", tag, differ, rows, probe.fallbacks()));
            names.add("fake-quant " + tag);
            engines.add(b -> {
                QuantizedMlp.Workspace ws = q.workspace(b);
                float[] buf = new float[b * w];
                return (from, n) -> {
                    System.arraycopy(x, from * w, buf, 0, n * w);
                    q.forward(buf, n, ws);
                };
            });
            names.add("integer " + tag);
            engines.add(b -> {
                IntegerMlp.Workspace ws = im.workspace(b);
                float[] buf = new float[b * w];
                float[] out = new float[b * 2];
                return (from, n) -> {
                    System.arraycopy(x, from * w, buf, 0, n * w);
                    im.forward(buf, n, ws, out);
                };
            });
        }
        ArrayNode list = o.putArray("engines");
        for (int e = 0; e < engines.size(); e++) {
            double[] rate = new double[rounds];
            double[] perCpu = new double[rounds];
            rowsPerSecond(engines.get(e), batch, threads, rows, 0.4, new double[1]); // warm-up
            for (int r = 0; r < rounds; r++) {
                double[] cpu = new double[1];
                rate[r] = rowsPerSecond(engines.get(e), batch, threads, rows, 0.5, cpu);
                perCpu[r] = cpu[0];
            }
            ObjectNode n = list.addObject();
            n.put("engine", names.get(e));
            n.put("rows_per_second_median", median(rate));
            n.set("rows_per_second_runs", array(rate));
            n.put("rows_per_cpu_second_median", median(perCpu));
            note(String.format(Locale.ROOT, "inference %-20s batch %d, %d threads: median %,.0f rows/s (%,.0f rows per "
                    + "CPU-second), runs %s", names.get(e), batch, threads, median(rate), median(perCpu),
                    fmt(rate, "%.0f")));
        }
    }

    /** Every thread scores its share of the rows in batches, again and again, for {@code seconds}. */
    private static double rowsPerSecond(Engine engine, int batch, int threads, int rows, double seconds,
                                        double[] perCpuSecond) throws Exception {
        int share = rows / threads;
        long budget = (long) (seconds * 1e9);
        long[] done = new long[threads];
        long[] cpu = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Scorer sc = engine.forThread(batch);
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                long t0 = System.nanoTime();
                long c0 = threadCpu();
                long n = 0;
                int from = id * share;
                do {
                    for (int r = 0; r < share; r += batch) {
                        int k = Math.min(batch, share - r);
                        sc.score(from + r, k);
                        n += k;
                    }
                } while (System.nanoTime() - t0 < budget);
                done[id] = n;
                cpu[id] = threadCpu() - c0;
            });
            ts[t].start();
        }
        long t0 = System.nanoTime();
        start.await();
        for (Thread t : ts) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        perCpuSecond[0] = Arrays.stream(done).sum() / (Math.max(1, Arrays.stream(cpu).sum()) / 1e9);
        return Arrays.stream(done).sum() / (elapsed / 1e9);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long threadCpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static ArrayNode array(double[] v) {
        ArrayNode a = JsonOutput.object().arrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private static String fmt(double[] v, String f) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, f, v[i]));
        }
        return b.append(']').toString();
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private void note(String s) {
        err.println("bench: " + s);
        err.flush();
    }
}
