package org.cfq.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.integer.IntegerMlp;

/**
 * Rows per second of the deployed forms of one network: the float teacher, the fake-quantized
 * model and the integer engine ({@link IntegerMlp}), at batch 1 and batch 4096, on one thread
 * and on several.
 *
 * <p>The network has the Adult teacher's shape (108 -> 128 -> 64 -> 2, He-initialised, seed
 * fixed) and is quantized by PTQ (MSE weights, percentile activations calibrated on 2048 of the
 * rows). Inputs are standard-normal model-space rows. Each thread owns one workspace per
 * engine and scores its own share of the rows, one row per call (batch 1) or 4096 per call
 * ({@link InferenceEngines}, which {@code cfq bench --suite inference} uses too);
 * a figure is the best of five timed rounds after a warm-up round.
 *
 * <p>Run with the JVM told it has one processor, so the float kernels' own fork-join
 * splitting stays off and every engine runs single-threaded per call; the threads here are
 * the only parallelism:
 * {@code java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=1 -cp
 * cfq-bench/target/benchmarks.jar org.cfq.bench.InferenceBench THREADS [secondsPerRound]}.
 */
public final class InferenceBench {
    private static final int IN = 108;
    private static final int[] HIDDEN = {128, 64};
    private static final int ROWS = 16_384;
    private static final int BIG_BATCH = 4096;

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        SplittableRandom rng = new SplittableRandom(20_261_126L);
        Mlp teacher = Mlp.initialize(IN, HIDDEN, rng.split());
        float[] x = new float[ROWS * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        List<String> names = new ArrayList<>();
        List<InferenceEngines.Engine> engines = new ArrayList<>();
        List<String> fallbackLines = new ArrayList<>();
        names.add("float teacher");
        engines.add(InferenceEngines.of(teacher, x, IN));
        for (int[] wa : new int[][] {{8, 8}, {4, 4}, {4, 0}}) {
            PtqConfig cfg = PtqConfig.defaults().withActivationBits(wa[1]);
            QuantizedMlp q = PostTrainingQuantizer.quantize(teacher, wa[0], cfg, x, ROWS, rng.split());
            IntegerMlp im = IntegerMlp.of(q);
            String tag = "W" + wa[0] + (wa[1] == 0 ? " (float act.)" : "A" + wa[1]);
            IntegerMlp.Workspace probe = im.workspace(ROWS);
            im.forward(x, ROWS, probe, new float[ROWS * 2]);
            fallbackLines.add(String.format(Locale.ROOT, "integer %s: %d fallbacks to the float32 sum over %d rows"
                    + " (%.3f%% of the %d requantized values and margins)", tag, probe.fallbacks(), ROWS,
                    100.0 * probe.fallbacks() / ((long) ROWS * (wa[1] == 0 ? 1 : HIDDEN[0] + HIDDEN[1] + 1)),
                    (long) ROWS * (wa[1] == 0 ? 0 : HIDDEN[0] + HIDDEN[1] + 1)));
            names.add("fake-quant " + tag);
            engines.add(InferenceEngines.of(q, x, IN));
            names.add("integer " + tag);
            engines.add(InferenceEngines.of(im, x, IN));
        }
        System.out.printf(Locale.ROOT, "Inference, rows/s; %d x %d -> %s -> 2; vector API %s; %d thread(s); JVM sees %d"
                + " processor(s)%n", ROWS, IN, java.util.Arrays.toString(HIDDEN), Dense.vectorized(), threads,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-28s %14s %14s%n", "engine", "batch 1", "batch " + BIG_BATCH);
        for (int e = 0; e < engines.size(); e++) {
            double one = bestOfFive(engines.get(e), 1, threads, seconds);
            double big = bestOfFive(engines.get(e), BIG_BATCH, threads, seconds);
            System.out.printf(Locale.ROOT, "%-28s %14.0f %14.0f%n", names.get(e), one, big);
        }
        fallbackLines.forEach(System.out::println);
    }

    /** Best of five rounds after a warm-up round. */
    private static double bestOfFive(InferenceEngines.Engine engine, int batch, int threads, double seconds)
            throws Exception {
        double best = 0;
        for (int round = 0; round < 6; round++) {
            double rate = InferenceEngines.rowsPerSecond(engine, batch, threads, ROWS, seconds).rowsPerSecond();
            if (round > 0) {
                best = Math.max(best, rate);
            }
        }
        return best;
    }
}
