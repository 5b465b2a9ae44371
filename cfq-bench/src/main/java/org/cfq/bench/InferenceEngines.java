package org.cfq.bench;

import java.util.concurrent.CyclicBarrier;
import org.cfq.math.Parallelism;
import org.cfq.model.FrozenMlp;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;

/**
 * The deployed forms of one network (float, fake-quantized, integer) as engines that score
 * shared model-space rows, and the threaded rows/s measurement that {@code cfq bench --suite
 * inference} and {@link InferenceBench} both use.
 *
 * <p>Each thread owns one scorer (its own workspace and buffers) and scores its share of the
 * rows, {@code batch} rows per call, again and again until the time is up. The float model
 * runs its kernels on the calling thread only ({@link Parallelism#single()}), so the threads
 * here are the only parallelism.
 */
public final class InferenceEngines {
    private InferenceEngines() {
    }

    /** One thread's scorer of rows {@code [from, from + n)} of the shared rows. */
    public interface Scorer {
        void score(int from, int n);
    }

    /** Makes a thread-owned scorer for a batch size. */
    public interface Engine {
        Scorer forThread(int batch);
    }

    /** Rows per second over the wall clock and per CPU-second summed over the threads. */
    public record Rate(double rowsPerSecond, double rowsPerCpuSecond) {
    }

    /** The float network; {@code x} holds rows of width {@code w}. */
    public static Engine of(Mlp m, float[] x, int w) {
        return b -> {
            Mlp.Workspace ws = m.workspace(b);
            float[] buf = new float[b * w];
            return (from, n) -> {
                System.arraycopy(x, from * w, buf, 0, n * w);
                m.forward(buf, n, ws, Parallelism.single());
            };
        };
    }

    /**
     * The float network as {@link FrozenMlp}: weights transposed once, zero inputs and activations
     * skipped ({@code Dense.sparseRows}); the same logits as {@link Mlp#forward}, bit for bit.
     */
    public static Engine frozen(Mlp m, float[] x, int w) {
        FrozenMlp f = new FrozenMlp(m, null);
        return b -> {
            FrozenMlp.Workspace ws = f.workspace(b);
            float[] buf = new float[b * w];
            return (from, n) -> {
                System.arraycopy(x, from * w, buf, 0, n * w);
                f.forward(buf, n, ws);
            };
        };
    }

    /** The fake-quantized network. */
    public static Engine of(QuantizedMlp q, float[] x, int w) {
        return b -> {
            QuantizedMlp.Workspace ws = q.workspace(b);
            float[] buf = new float[b * w];
            return (from, n) -> {
                System.arraycopy(x, from * w, buf, 0, n * w);
                q.forward(buf, n, ws);
            };
        };
    }

    /** The integer engine. */
    public static Engine of(IntegerMlp im, float[] x, int w) {
        return b -> {
            IntegerMlp.Workspace ws = im.workspace(b);
            float[] buf = new float[b * w];
            float[] out = new float[b * 2];
            return (from, n) -> {
                System.arraycopy(x, from * w, buf, 0, n * w);
                im.forward(buf, n, ws, out);
            };
        };
    }

    /**
     * Every thread scores its share ({@code rows / threads}) of the rows in batches, again and
     * again, for {@code seconds}.
     */
    public static Rate rowsPerSecond(Engine engine, int batch, int threads, int rows, double seconds)
            throws Exception {
        return rowsPerSecond(scorers(engine, batch, threads), batch, rows, seconds);
    }

    /** One scorer per thread, each with its own workspace. */
    public static Scorer[] scorers(Engine engine, int batch, int threads) {
        Scorer[] s = new Scorer[threads];
        for (int t = 0; t < threads; t++) {
            s[t] = engine.forThread(batch);
        }
        return s;
    }

    /**
     * {@link #rowsPerSecond(Engine, int, int, int, double)} on scorers made once: rounds that reuse
     * them time the scoring alone, not the making of workspaces (whose code the JIT would otherwise
     * compile on the other core during the next round).
     */
    public static Rate rowsPerSecond(Scorer[] scorers, int batch, int rows, double seconds) throws Exception {
        int threads = scorers.length;
        int share = rows / threads;
        long budget = (long) (seconds * 1e9);
        long[] done = new long[threads];
        long[] cpu = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Scorer sc = scorers[t];
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
                long t0 = System.nanoTime();
                long c0 = Timing.threadCpu();
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
                cpu[id] = Timing.threadCpu() - c0;
            });
            ts[t].start();
        }
        long t0 = System.nanoTime();
        start.await();
        for (Thread t : ts) {
            t.join();
        }
        long elapsed = System.nanoTime() - t0;
        long all = 0;
        long cpuAll = 0;
        for (int t = 0; t < threads; t++) {
            all += done[t];
            cpuAll += cpu[t];
        }
        return new Rate(all / (elapsed / 1e9), all / (Math.max(1, cpuAll) / 1e9));
    }
}
