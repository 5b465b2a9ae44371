package org.cfq.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;

/**
 * Prints the GFLOP/s of each {@link Dense} kernel at the shapes cfq runs, on one thread
 * and on all processors, next to the first plain-loop kernels ("before", one thread;
 * the W-form baseline for affineTransposed too). A quick probe; {@link KernelBenchmark}
 * under JMH gives the careful end-to-end numbers.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp cfq-bench/target/benchmarks.jar
 * org.cfq.bench.KernelBench [secondsPerCase]}.
 */
public final class KernelBench {
    private static final int[][] SHAPES = {
        {11_700, 108, 128}, {11_700, 128, 64}, {11_700, 64, 2},
        {256, 108, 128}, {256, 128, 64}, {256, 64, 2},
    };

    private KernelBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.6;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "Dense kernels, GFLOP/s (2 flops per multiply-add); vector API: %s; %d processors%n",
                Dense.vectorized(), cores);
        System.out.printf(Locale.ROOT, "%-20s %-18s %9s %9s %9s%n", "rows x in -> out", "kernel", "before",
                "1 thread", cores + " threads");
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
            double before = gflops(p -> BaselineDense.affine(x, rows, in, w, b, out, y), null, flops, seconds);
            report(shape, "affine (W)", before, flops, seconds, p -> Dense.affine(x, rows, in, w, b, out, y, p));
            report(shape, "affineTransposed", before, flops, seconds,
                    p -> Dense.affineTransposed(x, rows, in, wt, b, out, y, p));
            before = gflops(p -> BaselineDense.affineInputGrad(dy, rows, out, w, in, dx), null, flops, seconds);
            report(shape, "affineInputGrad", before, flops, seconds,
                    p -> Dense.affineInputGrad(dy, rows, out, w, in, dx, p));
            before = gflops(p -> BaselineDense.affineWeightGrad(dy, x, rows, in, out, dw, db), null, flops, seconds);
            report(shape, "affineWeightGrad", before, flops, seconds,
                    p -> Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, p));
        }
    }

    private interface Kernel {
        void run(Parallelism p);
    }

    private static void report(String shape, String name, double before, double flops, double seconds, Kernel k) {
        double one = gflops(k, Parallelism.single(), flops, seconds);
        double all = gflops(k, Parallelism.defaults(), flops, seconds);
        System.out.printf(Locale.ROOT, "%-20s %-18s %9.1f %9.1f %9.1f%n", shape, name, before, one, all);
    }

    /** Best of five timed rounds after a warm-up round. */
    private static double gflops(Kernel k, Parallelism p, double flops, double seconds) {
        long round = (long) (seconds / 5 * 1e9);
        double best = 0;
        for (int rep = 0; rep < 6; rep++) {
            long t0 = System.nanoTime();
            long n = 0;
            long t;
            do {
                k.run(p);
                n++;
                t = System.nanoTime() - t0;
            } while (t < round);
            if (rep > 0) {
                best = Math.max(best, flops * n / t);
            }
        }
        return best;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }
}
