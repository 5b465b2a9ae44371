package org.cfq.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.experiment.RecourseRun;
import org.cfq.experiment.Teachers;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqEpoch;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
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
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;

/**
 * The speed suites of {@code cfq bench} (docs/benchmarks.md): {@code kernels} (GFLOP/s of the
 * dense kernels, one thread, at the dataset's shapes), {@code train} (teacher and CFQ training,
 * seconds per epoch), {@code quantize} (a PTQ and an LSQ student), {@code recourse} (the
 * published pgd over every rejected test row, rows/s) and {@code inference} (float,
 * fake-quantized and integer models at batch 4096 on every processor, rows/s, with the integer
 * engine's decisions checked against the fake-quantized model's on every test row). Each
 * figure is the median of {@code rounds} runs, recorded with all runs; each suite writes its
 * figures into its own object of the result and a line per figure to {@code note}.
 */
public final class BenchSuites {
    /** The suites, in the order they run. */
    public static final List<String> NAMES = List.of("kernels", "train", "quantize", "recourse", "inference");

    private final int rounds;
    private final Consumer<String> note;
    private final Dataset data;
    private final Path model;
    private final RecourseRequest request;
    private Encoder encoder;
    private EncodedSplits splits;
    private Mlp teacher;

    /**
     * @param data    the dataset the suites (but kernels) run on; null runs only kernels, at Adult's width
     * @param model   a teacher model file for quantize, recourse and inference; null trains one (seed 42)
     * @param request the recourse request of the CFQ teacher search and the recourse suite
     * @param note    receives one progress line per figure
     */
    public BenchSuites(int rounds, Dataset data, Path model, RecourseRequest request, Consumer<String> note) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        this.rounds = rounds;
        this.data = data;
        this.model = model;
        this.request = request;
        this.note = note;
        if (data != null) {
            encoder = Encoder.fit(data.train(), Scaling.STANDARD);
            splits = EncodedSplits.of(encoder, data);
        }
    }

    /**
     * {@return the suites a user names, in the order named (every suite when none is)}
     *
     * @throws org.cfq.InvalidInputException naming {@code --suite} when a name is not a suite
     */
    public static Set<String> choose(List<String> names) {
        Set<String> chosen = new java.util.LinkedHashSet<>(names == null || names.isEmpty() ? NAMES : names);
        for (String s : chosen) {
            org.cfq.InvalidInputException.require(NAMES.contains(s), "--suite " + s, "unknown suite",
                    "Use one or more of " + NAMES);
        }
        return chosen;
    }

    /**
     * {@return the head of a run's JSON: the dataset, the rounds and the machine (processors, vector API,
     * Java version, load average at the start)}
     */
    public static ObjectNode head(String dataset, int rounds) {
        ObjectNode root = org.cfq.io.json.Json.mapper().createObjectNode();
        return root.put("dataset", dataset).put("rounds", rounds)
                .put("processors", Runtime.getRuntime().availableProcessors())
                .put("vector_api", org.cfq.math.Dense.vectorized()).put("java", System.getProperty("java.version"))
                .put("load_average_start", Timing.loadAverage());
    }

    /** Runs the chosen suites (names from {@link #NAMES}) in the order of {@link #NAMES}, each into {@code root.<name>}. */
    public void run(Set<String> chosen, ObjectNode root) throws Exception {
        for (String s : chosen) {
            if (!NAMES.contains(s)) {
                throw new IllegalArgumentException("unknown suite " + s + "; the suites are " + NAMES);
            }
        }
        if (chosen.contains("kernels")) {
            kernels(root.putObject("kernels"), data == null ? 108 : encoder.width());
        }
        if (chosen.contains("train")) {
            train(root.putObject("train"));
        }
        if (chosen.contains("quantize")) {
            quantize(root.putObject("quantize"));
        }
        if (chosen.contains("recourse")) {
            recourse(root.putObject("recourse"));
        }
        if (chosen.contains("inference")) {
            inference(root.putObject("inference"));
        }
    }

    private Mlp teacher() throws IOException {
        if (teacher == null) {
            if (model != null && Files.exists(model)) {
                teacher = ModelFile.read(model, data.schema()).model();
            } else {
                note("training the default teacher (seed 42) for the other suites");
                teacher = trainTeacher().model();
            }
        }
        return teacher;
    }

    private TrainingResult trainTeacher() {
        return new MlpTrainer(TrainingConfig.defaults()).train(splits.trainX(), splits.trainY(), splits.validationX(),
                splits.validationY());
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
            kernel(list, shape, "affineTransposed (forward)", flops,
                    () -> Dense.affineTransposed(x, rows, in, wt, b, out, y, one));
            kernel(list, shape, "affineInputGrad (dx = dy W)", flops,
                    () -> Dense.affineInputGrad(dy, rows, out, w, in, dx, one));
            kernel(list, shape, "affineWeightGrad (dW += dy^T x)", flops,
                    () -> Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, one));
        }
        if (Dense.vectorized() && LaneCeiling.supported()) {
            // How fast each exact integer-product lane type can go at all (why W8A8 cannot beat float32).
            LaneCeiling lanes = new LaneCeiling(11);
            lanes.verify();
            String shape = LaneCeiling.ROWS + "x" + LaneCeiling.IN + "->" + LaneCeiling.OUT;
            double flops = 2 * LaneCeiling.macs();
            kernel(list, shape, "exact lanes: float32 fma, 8-bit", flops, lanes::float32);
            kernel(list, shape, "exact lanes: int32 mul+add, 8-bit", flops, lanes::int32);
            kernel(list, shape, "exact lanes: int16 mul+add, 4-bit", flops, lanes::int16);
        }
    }

    /** GFLOP/s of one kernel call: 50 warm-up calls, then each round calls it for 0.3 s. */
    private void kernel(ArrayNode list, String shape, String kernel, double flops, Runnable call) {
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        for (int i = 0; i < 50; i++) {
            call.run();
        }
        for (int r = 0; r < rounds; r++) {
            long budget = 300_000_000L;
            long t0 = System.nanoTime();
            long c0 = Timing.threadCpu();
            long calls = 0;
            do {
                call.run();
                calls++;
            } while (System.nanoTime() - t0 < budget);
            wall[r] = flops * calls / (System.nanoTime() - t0);
            cpu[r] = flops * calls / Math.max(1, Timing.threadCpu() - c0);
        }
        ObjectNode k = list.addObject();
        k.put("shape", shape);
        k.put("kernel", kernel);
        k.put("gflops_median", Timing.median(wall));
        k.put("gflops_per_cpu_second_median", Timing.median(cpu));
        k.set("gflops_runs", array(k, wall));
        note(String.format(Locale.ROOT, "kernels %-16s %-32s %6.1f GFLOP/s (per CPU-second %6.1f), runs %s", shape,
                kernel, Timing.median(wall), Timing.median(cpu), Timing.runs(wall, "%.1f")));
    }

    private void train(ObjectNode o) throws IOException {
        double[] teacherEpoch = new double[rounds];
        double[] teacherTotal = new double[rounds];
        Mlp trained = null;
        for (int r = 0; r < rounds; r++) {
            TrainingResult t = trainTeacher();
            teacherTotal[r] = t.seconds();
            teacherEpoch[r] = t.seconds() / t.epochsRun();
            trained = t.model();
            note(String.format(Locale.ROOT, "train teacher round %d: %.3f s, %d epochs, %.3f s/epoch", r + 1,
                    t.seconds(), t.epochsRun(), teacherEpoch[r]));
        }
        if (teacher == null && model == null) {
            teacher = trained;
        }
        ObjectNode t = o.putObject("teacher");
        t.put("seconds_median", Timing.median(teacherTotal));
        t.put("seconds_per_epoch_median", Timing.median(teacherEpoch));
        t.set("seconds_per_epoch_runs", array(t, teacherEpoch));
        Mlp te = teacher();
        ActionSpace space = Teachers.actionSpace(encoder, data);
        double[] epoch = new double[rounds];
        double[] withSearch = new double[rounds];
        double[] search = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            CfqResult c = new CfqTrainer(CfqConfig.defaults(4)).train(te, space, request, splits,
                    new SplittableRandom(42));
            List<CfqEpoch> h = c.history();
            // Epoch 1 carries the JIT's warm-up in a fresh process: the median is over the rest.
            double[] secs = h.stream().skip(h.size() > 1 ? 1 : 0).mapToDouble(CfqEpoch::seconds).toArray();
            double sum = h.stream().mapToDouble(CfqEpoch::seconds).sum();
            epoch[r] = Timing.median(secs);
            search[r] = c.teacherSearchSeconds();
            withSearch[r] = (sum + c.teacherSearchSeconds()) / h.size();
            note(String.format(Locale.ROOT, "train cfq (B=4) round %d: %d epochs, median %.3f s/epoch (epochs 2..), "
                    + "teacher search %.3f s, all epochs + search %.3f s/epoch", r + 1, h.size(), epoch[r],
                    search[r], withSearch[r]));
        }
        ObjectNode c = o.putObject("cfq");
        c.put("seconds_per_epoch_median", Timing.median(epoch));
        c.set("seconds_per_epoch_runs", array(c, epoch));
        c.put("teacher_search_seconds_median", Timing.median(search));
        c.put("seconds_per_epoch_with_search_and_first_epoch_median", Timing.median(withSearch));
    }

    private void quantize(ObjectNode o) throws IOException {
        Mlp te = teacher();
        for (QuantMethod m : List.of(QuantMethod.PTQ, QuantMethod.LSQ)) {
            double[] secs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Quantization.run(te, QuantizeRequest.of(m, 4), splits, new SplittableRandom(42),
                        (e, n, l, a, sec) -> { });
                secs[r] = (System.nanoTime() - t0) / 1e9;
            }
            ObjectNode q = o.putObject(m.id() + "_4bit");
            q.put("seconds_median", Timing.median(secs));
            q.set("seconds_runs", array(q, secs));
            note(String.format(Locale.ROOT, "quantize %s 4 bit: median %.3f s, runs %s", m.id(), Timing.median(secs),
                    Timing.runs(secs, "%.3f")));
        }
    }

    private void recourse(ObjectNode o) throws IOException {
        Mlp te = teacher();
        RecourseRun run = new RecourseRun(encoder, te, data, request, 0);
        int rows = run.rows();
        double[] rate = new double[rounds];
        RecourseBatch batch = null;
        for (int r = 0; r < rounds; r++) {
            PgdGenerator g = new PgdGenerator(run.space(), PgdConfig.published(), Parallelism.defaults());
            long t0 = System.nanoTime();
            batch = g.generate(te, run.factuals(), rows, request);
            double sec = (System.nanoTime() - t0) / 1e9;
            rate[r] = rows / sec;
            note(String.format(Locale.ROOT, "recourse published pgd round %d: %d rows in %.3f s = %.0f rows/s, "
                    + "%.1f GFLOP/s", r + 1, rows, sec, rate[r], g.lastFlops() / 1e9 / sec));
        }
        o.put("method", "pgd (published)");
        o.put("rows", rows);
        o.put("found_rate", batch.foundRate());
        o.put("rows_per_second_median", Timing.median(rate));
        o.set("rows_per_second_runs", array(o, rate));
    }

    private void inference(ObjectNode o) throws Exception {
        Mlp te = teacher();
        int threads = Runtime.getRuntime().availableProcessors();
        int batch = 4096;
        int w = encoder.width();
        float[] x = splits.testX();
        int rows = splits.testRows();
        // Every thread scores whole batches of `batch` rows: a test split smaller than threads x batch
        // (German's 300 rows, COMPAS's 1,852) is repeated to fill them, so the figures are at the batch
        // printed, not at the split's size. The decision check below runs on the test rows themselves.
        int timed = Math.max(rows, threads * batch);
        float[] xt = timed == rows ? x : repeatRows(x, rows, w, timed);
        o.put("batch", batch);
        o.put("threads", threads);
        o.put("rows", rows);
        o.put("rows_timed", timed);
        // Two float32 paths: Mlp.forward (dense, what Classifier.logits runs) and FrozenMlp (skips the
        // zero inputs and activations, what the recourse search runs); same logits bit for bit.
        List<String> names = new java.util.ArrayList<>(List.of("float32 teacher", "float32 frozen"));
        List<InferenceEngines.Engine> engines = new java.util.ArrayList<>(List.of(InferenceEngines.of(te, xt, w),
                InferenceEngines.frozen(te, xt, w)));
        ArrayNode checks = o.putArray("integer_vs_fake_quant");
        for (int[] wa : new int[][] {{8, 8}, {4, 4}}) {
            String tag = "W" + wa[0] + "A" + wa[1];
            QuantizedMlp q = PostTrainingQuantizer.quantize(te, wa[0], PtqConfig.defaults().withActivationBits(wa[1]),
                    splits.trainX(), splits.trainRows(), new SplittableRandom(42));
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
            engines.add(InferenceEngines.of(q, xt, w));
            names.add("integer " + tag);
            engines.add(InferenceEngines.of(im, xt, w));
        }
        ArrayNode list = o.putArray("engines");
        for (int e = 0; e < engines.size(); e++) {
            double[] rate = new double[rounds];
            double[] perCpu = new double[rounds];
            InferenceEngines.Scorer[] scorers = InferenceEngines.scorers(engines.get(e), batch, threads);
            InferenceEngines.rowsPerSecond(scorers, batch, timed, 0.4); // warm-up
            for (int r = 0; r < rounds; r++) {
                InferenceEngines.Rate m = InferenceEngines.rowsPerSecond(scorers, batch, timed, 0.5);
                rate[r] = m.rowsPerSecond();
                perCpu[r] = m.rowsPerCpuSecond();
            }
            ObjectNode n = list.addObject();
            n.put("engine", names.get(e));
            n.put("rows_per_second_median", Timing.median(rate));
            n.set("rows_per_second_runs", array(n, rate));
            n.put("rows_per_cpu_second_median", Timing.median(perCpu));
            note(String.format(Locale.ROOT, "inference %-20s batch %d, %d threads: median %,.0f rows/s (%,.0f rows per "
                    + "CPU-second), runs %s", names.get(e), batch, threads, Timing.median(rate),
                    Timing.median(perCpu), Timing.runs(rate, "%.0f")));
        }
    }

    /** The first {@code n} rows of {@code x} repeated in order to make {@code timed} rows. */
    private static float[] repeatRows(float[] x, int n, int width, int timed) {
        float[] out = new float[timed * width];
        for (int r = 0; r < timed; r += n) {
            System.arraycopy(x, 0, out, r * width, Math.min(n, timed - r) * width);
        }
        return out;
    }

    private static ArrayNode array(ObjectNode owner, double[] v) {
        ArrayNode a = owner.arrayNode();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private void note(String s) {
        note.accept(s);
    }
}
