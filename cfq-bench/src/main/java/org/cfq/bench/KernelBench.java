package org.cfq.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;

/**
 * Prints the GFLOP/s of each {@link Dense} kernel at the shapes cfq runs, on one thread
 * and on all processors, next to the first plain-loop kernels ("before", one thread;
 * the W-form baseline for affineTransposed too). A quick probe; {@link KernelBenchmark}
 * under JMH gives the careful end-to-end numbers.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp cfq-bench/target/benchmarks.jar
 * org.cfq.bench.KernelBench [secondsPerCase]}. With {@code train} as the argument it instead
 * times {@code MlpTrainer} with the teacher defaults (108-128-64-2, batch 256, 30 epochs,
 * early stopping off) on seeded synthetic data the size of Adult's training split, and a
 * recourse-sized pass: forward plus input gradient of that network over 11,700 rows.
 */
public final class KernelBench {
    private static final int[][] SHAPES = {
        {11_700, 108, 128}, {11_700, 128, 64}, {11_700, 64, 2},
        {256, 108, 128}, {256, 128, 64}, {256, 64, 2},
    };

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private KernelBench() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("train")) {
            train();
            return;
        }
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.6;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "Dense kernels, GFLOP/s (2 flops per multiply-add); vector API: %s; %d processors%n",
                Dense.vectorized(), cores);
        System.out.printf(Locale.ROOT, "%-20s %-18s %8s %8s %8s %8s %8s%n", "", "", "wall:", "", "", "CPU-time:", "");
        System.out.printf(Locale.ROOT, "%-20s %-18s %8s %8s %8s %8s %8s%n", "rows x in -> out", "kernel", "before",
                "1 thr", cores + " thr", "before", "1 thr");
        SplittableRandom rng = new SplittableRandom(20_260_101L);
        for (int[] s : SHAPES) {
            int rows = s[0];
            int in = s[1];
            int out = s[2];
            float[] x = random(rng, rows * in);
            float[] w = random(rng, out * in);
            float[] wt = new float[in * out];
            Dense.transpose(w, out, in, wt);
            float[] b = random(rng, out);
            float[] y = new float[rows * out];
            float[] dy = random(rng, rows * out);
            float[] dx = new float[rows * in];
            float[] dw = new float[out * in];
            float[] db = new float[out];
            double flops = 2.0 * rows * in * out;
            String shape = String.format(Locale.ROOT, "%d x %d -> %d", rows, in, out);
            double[] before = rates(p -> BaselineDense.affine(x, rows, in, w, b, out, y), null, flops, seconds);
            report(shape, "affine (W)", before, flops, seconds, p -> Dense.affine(x, rows, in, w, b, out, y, p));
            report(shape, "affineTransposed", before, flops, seconds,
                    p -> Dense.affineTransposed(x, rows, in, wt, b, out, y, p));
            before = rates(p -> BaselineDense.affineInputGrad(dy, rows, out, w, in, dx), null, flops, seconds);
            report(shape, "affineInputGrad", before, flops, seconds,
                    p -> Dense.affineInputGrad(dy, rows, out, w, in, dx, p));
            before = rates(p -> BaselineDense.affineWeightGrad(dy, x, rows, in, out, dw, db), null, flops, seconds);
            report(shape, "affineWeightGrad", before, flops, seconds,
                    p -> Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, p));
        }
    }

    private static void train() {
        int rows = 26_048;
        int width = 108;
        SplittableRandom rng = new SplittableRandom(99);
        float[] x = random(rng, rows * width);
        float[] direction = random(rng, width);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < width; i++) {
                s += x[r * width + i] * direction[i];
            }
            y[r] = s + 0.3 * (rng.nextDouble() - 0.5) > 0 ? 1 : 0;
        }
        float[] xVal = random(rng, 1_000 * width);
        int[] yVal = new int[1_000];
        TrainingConfig config = TrainingConfig.defaults().withPatience(TrainingConfig.DEFAULT_MAX_EPOCHS);
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        TrainingResult result = new MlpTrainer(config).train(x, y, xVal, yVal);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double trainCpu = (processCpuNanos() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "training %d x %d, batch %d, %d epochs: %.2f s wall, %.2f s CPU (all threads)%n",
                rows, width, config.batchSize(), result.epochsRun(), trainSeconds, trainCpu);
        Mlp net = Mlp.initialize(width, new int[] {128, 64}, new SplittableRandom(1));
        int batch = 11_700;
        float[] xb = random(rng, batch * width);
        float[] dLogits = random(rng, batch * Mlp.OUTPUTS);
        float[] dx = new float[batch * width];
        Mlp.Workspace ws = net.workspace(batch);
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int rep = 0; rep < 40; rep++) {
            long s0 = System.nanoTime();
            long p0 = processCpuNanos();
            net.forward(xb, batch, ws);
            net.backward(xb, batch, ws, dLogits, null, dx);
            best = Math.min(best, (System.nanoTime() - s0) / 1e6);
            bestCpu = Math.min(bestCpu, (processCpuNanos() - p0) / 1e6);
        }
        double flops = 2.0 * 2 * batch * (108 * 128 + 128 * 64 + 64 * 2);
        System.out.printf(Locale.ROOT, "recourse step (Mlp forward + input gradient, %d rows): %.1f ms = %.1f GFLOP/s;"
                + " 240 steps (80 x 3 restarts): %.1f s%n", batch, best, flops / best / 1e6, 240 * best / 1e3);
        System.out.printf(Locale.ROOT, "  (CPU time of one step, all threads: %.1f ms)%n", bestCpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private interface Kernel {
        void run(Parallelism p);
    }

    private static void report(String shape, String name, double[] before, double flops, double seconds, Kernel k) {
        double[] one = rates(k, Parallelism.single(), flops, seconds);
        double[] all = rates(k, Parallelism.defaults(), flops, seconds);
        System.out.printf(Locale.ROOT, "%-20s %-18s %8.1f %8.1f %8.1f %8.1f %8.1f%n", shape, name, before[0], one[0],
                all[0], before[1], one[1]);
    }

    /**
     * Best of five timed rounds after a warm-up round: {wall-clock GFLOP/s, GFLOP per
     * second of this thread's CPU time}. The second ignores time the thread spent waiting
     * for a core, which matters on a shared machine; for split calls it counts only the
     * caller's share and is not reported.
     */
    private static double[] rates(Kernel k, Parallelism p, double flops, double seconds) {
        long round = (long) (seconds / 5 * 1e9);
        double bestWall = 0;
        double bestCpu = 0;
        for (int rep = 0; rep < 6; rep++) {
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long n = 0;
            long t;
            do {
                k.run(p);
                n++;
                t = System.nanoTime() - t0;
            } while (t < round);
            long c = THREADS.getCurrentThreadCpuTime() - c0;
            if (rep > 0) {
                bestWall = Math.max(bestWall, flops * n / t);
                bestCpu = Math.max(bestCpu, flops * n / Math.max(1, c));
            }
        }
        return new double[] {bestWall, bestCpu};
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }
}
