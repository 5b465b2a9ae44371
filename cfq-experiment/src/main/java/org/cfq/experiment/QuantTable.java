package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.io.json.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.io.model.SavedModel;
import org.cfq.model.Scores;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;

/**
 * The quantization benchmark suite: for each dataset and seed, the default teacher (trained or
 * reused), quantized with every method at every width and scored on the test split (accuracy,
 * agreement with the teacher). Unlike the experiment grid it audits no recourse, so it is fast;
 * cfq-report renders it ({@code QuantTableMarkdown}).
 *
 * @param datasets built-in dataset names
 * @param methods  quantization methods
 * @param bits     weight widths (for mixed, the average budget)
 * @param seeds    seeds of the teachers and the quantizations
 * @param epochs   fine-tuning epochs, or null for each method's default
 * @param teachers directory of cached teacher files {@code <dataset>-seed<seed>.json}, or null
 * @param dataDir  dataset directory, or null for the default resolution
 */
public record QuantTable(List<String> datasets, List<QuantMethod> methods, List<Integer> bits, List<Long> seeds,
                         Integer epochs, Path teachers, Path dataDir) {
    /** One quantized model's scores. */
    public record Cell(String dataset, long seed, String method, int bits, double teacherAccuracy, double accuracy,
                       double agreement, double averageBits, String bitsPerLayer, double secondsPerEpoch,
                       double seconds) {
    }

    /**
     * Accuracies are means of row counts over seeds; float rounding can put a drop of exactly
     * the bar (German: 9 of 900 test rows = 1.00 point) a hair above it. One test row moves a
     * mean over three seeds by 100 / (3 * test rows) points, thousands of times this tolerance.
     */
    public static final double BAR_TOLERANCE_POINTS = 1e-9;

    public QuantTable {
        datasets = List.copyOf(datasets);
        methods = List.copyOf(methods);
        bits = List.copyOf(bits);
        seeds = List.copyOf(seeds);
    }

    /**
     * {@return the methods a user names}
     *
     * @throws org.cfq.InvalidInputException naming {@code --methods} when one is unknown
     */
    public static List<QuantMethod> methods(List<String> names) {
        List<QuantMethod> ms = new ArrayList<>();
        for (String m : names) {
            try {
                ms.add(QuantMethod.parse(m));
            } catch (IllegalArgumentException e) {
                throw new org.cfq.InvalidInputException("--methods " + names, e.getMessage(),
                        "Use ptq, qat, lsq, pact, mixed");
            }
        }
        return ms;
    }

    /** {@return how many models {@link #run} quantizes} */
    public long models() {
        return (long) datasets.size() * seeds.size() * methods.size() * bits.size();
    }

    /** {@return a run as JSON: the Markdown file written, the seconds and one row per cell} */
    public static ObjectNode json(List<Cell> cells, Path out, double seconds) {
        ObjectNode root = Json.mapper().createObjectNode().put("out", out.toString()).put("seconds", seconds);
        ArrayNode rows = root.putArray("rows");
        cells.forEach(rows::addPOJO);
        return root;
    }

    /**
     * Runs every dataset, seed, method and width.
     *
     * @param log sees one line per teacher and per quantized model
     */
    public List<Cell> run(Consumer<String> log) throws IOException {
        List<Cell> cells = new ArrayList<>();
        for (String name : datasets) {
            Dataset d = new DatasetSource(name, null, null, null, dataDir).load();
            for (long seed : seeds) {
                TrainingConfig tc = TrainingConfig.defaults().withSeed(seed);
                Path file = teachers == null ? null : teachers.resolve(d.name() + "-seed" + seed + ".json");
                SavedModel teacher = Teachers.cached(file, d, tc, tc.summary(), MlpTrainer.ProgressListener.none(),
                        line -> log.accept("teacher " + d.name() + " seed " + seed + ": " + line));
                EncodedSplits split = EncodedSplits.of(teacher.encoder(), d);
                double teacherAcc = Scores.accuracy(teacher.model(), split.testX(), split.testY());
                for (QuantMethod m : methods) {
                    for (int b : bits) {
                        QuantizeRequest r = QuantizeRequest.of(m, b);
                        if (epochs != null) {
                            r = r.withTraining(r.training().withEpochs(epochs));
                        }
                        QuantizationOutcome o = Quantization.run(teacher.model(), r, split, new SplittableRandom(seed),
                                (e, n, l, a, s) -> { });
                        QuantizedMlp q = o.model();
                        Cell c = new Cell(name, seed, m.id(), b, teacherAcc,
                                Scores.accuracy(q, split.testX(), split.testY()),
                                Scores.agreement(teacher.model(), q, split.testX(), split.testRows()),
                                q.averageBits(), Arrays.toString(q.bitsPerLayer()), o.secondsPerEpoch(), o.seconds());
                        cells.add(c);
                        log.accept(String.format(java.util.Locale.ROOT, "%s seed %d %s %d bits: accuracy %.4f "
                                        + "(teacher %.4f) agreement %.4f bits %s %.1fs", name, seed, m.id(), b,
                                c.accuracy(), teacherAcc, c.agreement(), c.bitsPerLayer(), c.seconds()));
                    }
                }
            }
        }
        return cells;
    }

    /** {@return the mean of {@code f} over the cells {@code p} selects, NaN for none} */
    public static double mean(List<Cell> cells, Predicate<Cell> p, ToDoubleFunction<Cell> f) {
        Objects.requireNonNull(p, "p");
        return cells.stream().filter(p).mapToDouble(f).average().orElse(Double.NaN);
    }

    /** {@return the mean test accuracy of one dataset, method and width over seeds, NaN for none} */
    public static double accuracy(List<Cell> cells, String ds, String method, int b) {
        return mean(cells, c -> c.dataset().equals(ds) && c.method().equals(method) && c.bits() == b, Cell::accuracy);
    }

    /** {@return whether the drop from the teacher, in points, is within the allowed points} */
    public static boolean met(double dropPoints, double allowedPoints) {
        return dropPoints <= allowedPoints + BAR_TOLERANCE_POINTS;
    }
}
