package org.cfq.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cfq.math.Dense;
import org.cfq.math.Parallelism;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link Dense} kernels at the shapes cfq runs, chained the way {@code Mlp} chains them:
 *
 * <ul>
 *   <li>{@code recourseStep}: a 108-128-64-2 MLP, forward then input gradient, over 11,700
 *       rows (the batched recourse search; 1.06 GFLOP per call);</li>
 *   <li>{@code trainingStep}: the same MLP, forward then weight and input gradients, over a
 *       batch of 256 rows (one Adam step without the update; 34.8 MFLOP per call).</li>
 * </ul>
 * {@code threads} is the {@link Parallelism} passed to every kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {
    private static final int[] WIDTHS = {108, 128, 64, 2};
    private static final int RECOURSE_ROWS = 11_700;
    private static final int TRAIN_ROWS = 256;

    @Param({"1", "2"})
    public int threads;

    private Parallelism par;
    private float[][] w;
    private float[][] wt;
    private float[][] b;
    private float[][] act;
    private float[][] delta;
    private float[][] dw;
    private float[][] db;
    private float[] x;
    private float[] dx;
    private float[] dLogits;

    @Setup
    public void setUp() {
        par = new Parallelism(threads, Parallelism.DEFAULT_MIN_WORK);
        SplittableRandom rng = new SplittableRandom(2026);
        int layers = WIDTHS.length - 1;
        w = new float[layers][];
        wt = new float[layers][];
        b = new float[layers][];
        act = new float[layers][];
        delta = new float[layers][];
        dw = new float[layers][];
        db = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = WIDTHS[l];
            int out = WIDTHS[l + 1];
            w[l] = random(rng, out * in, Math.sqrt(6.0 / in));
            wt[l] = new float[in * out];
            b[l] = random(rng, out, 0.1);
            act[l] = new float[RECOURSE_ROWS * out];
            delta[l] = new float[RECOURSE_ROWS * out];
            dw[l] = new float[out * in];
            db[l] = new float[out];
        }
        x = random(rng, RECOURSE_ROWS * WIDTHS[0], 1);
        dx = new float[RECOURSE_ROWS * WIDTHS[0]];
        dLogits = random(rng, RECOURSE_ROWS * 2, 1);
    }

    @Benchmark
    public float recourseStep() {
        forward(RECOURSE_ROWS);
        backward(RECOURSE_ROWS, false);
        return dx[0];
    }

    @Benchmark
    public float trainingStep() {
        forward(TRAIN_ROWS);
        backward(TRAIN_ROWS, true);
        return dw[0][0];
    }

    private void forward(int rows) {
        float[] input = x;
        for (int l = 0; l < w.length; l++) {
            int in = WIDTHS[l];
            int out = WIDTHS[l + 1];
            Dense.transpose(w[l], out, in, wt[l]);
            Dense.affineTransposed(input, rows, in, wt[l], b[l], out, act[l], par);
            if (l < w.length - 1) {
                Dense.relu(act[l], rows * out);
            }
            input = act[l];
        }
    }

    private void backward(int rows, boolean weights) {
        int last = w.length - 1;
        System.arraycopy(dLogits, 0, delta[last], 0, rows * 2);
        for (int l = last; l >= 0; l--) {
            int in = WIDTHS[l];
            int out = WIDTHS[l + 1];
            if (weights) {
                Dense.affineWeightGrad(delta[l], l == 0 ? x : act[l - 1], rows, in, out, dw[l], db[l], par);
            }
            if (l > 0) {
                Dense.affineInputGrad(delta[l], rows, out, w[l], in, delta[l - 1], par);
                Dense.reluGrad(act[l - 1], delta[l - 1], rows * in);
            } else {
                Dense.affineInputGrad(delta[l], rows, out, w[l], in, dx, par);
            }
        }
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
