package org.cfq.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cfq.experiment.QuantTable;
import org.cfq.experiment.QuantTable.Cell;
import org.cfq.io.csv.CsvWriter;
import org.cfq.quant.method.QuantMethod;

/** Renders the quantization benchmark ({@link QuantTable}) as Markdown and CSV. */
public final class QuantTableMarkdown {
    private QuantTableMarkdown() {
    }

    /**
     * {@return the benchmark page}
     *
     * @param methods      the methods' names as the user gave them (for the regenerate line)
     * @param out          the page's path (for the regenerate line)
     * @param totalSeconds wall-clock seconds of the run
     * @param writtenAt    when the page is written ({@code Provenance.now()}: fixed by SOURCE_DATE_EPOCH)
     */
    public static String render(QuantTable table, List<Cell> cells, List<String> methods, Path out,
                                double totalSeconds, Instant writtenAt) {
        List<String> datasets = table.datasets();
        List<QuantMethod> ms = table.methods();
        List<Integer> bits = table.bits();
        List<Long> seeds = table.seeds();
        Integer epochs = table.epochs();
        StringBuilder sb = new StringBuilder();
        sb.append("# Quantization benchmark\n\n");
        sb.append("Test accuracy and decision agreement with the float teacher, in percent, mean over seeds ")
                .append(seeds).append(" (each seed trains its own default teacher: MLP [128, 64], AdamW; and seeds ")
                .append("the quantization). Weights only; activations stay in float except for PACT, whose hidden ")
                .append("activations are quantized at the weight width. Mixed: the column is the average-bits budget ")
                .append("over candidates 2, 3, 4, 8; the exact allocation is listed below. Fine-tuning: ")
                .append(epochs == null ? 8 : epochs).append(" epochs of at least 100 AdamW steps (batch 256, lr ")
                .append("5e-4); lsq, pact and mixed learn from the teacher by distillation (weight 1, temperature 2) ")
                .append("and keep the epoch closest to it on the validation rows (lowest distillation loss; epoch 0, ")
                .append("the starting quantization, included); qat learns from the labels (task loss) and keeps the ")
                .append("most accurate validation epoch; see quantization-engine.md for why. The test split is used ")
                .append("only for this table.\n\n");
        sb.append("Regenerate with:\n\n```\nCFQ_DATA_DIR=../shared/datasets ./cfq quant-table --datasets ")
                .append(String.join(",", datasets)).append(" --methods ").append(String.join(",", methods))
                .append(" --bits ").append(join(bits)).append(" --seeds ").append(join(seeds))
                .append(epochs == null ? "" : " --epochs " + epochs).append(" --out ").append(out).append("\n```\n\n");
        sb.append(String.format(Locale.ROOT, "Run time: %.0f s on %d cores (%s, Java %s), %s.%n%n", totalSeconds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"), writtenAt));
        for (String ds : datasets) {
            double teacherAcc = mean(cells, c -> c.dataset().equals(ds), Cell::teacherAccuracy);
            sb.append("## ").append(ds).append("\n\n");
            sb.append(String.format(Locale.ROOT, "Teacher test accuracy: %.2f%%.%n%n", 100 * teacherAcc));
            List<String> header = new ArrayList<>();
            header.add("method");
            for (int b : bits) {
                header.add(">" + b + " bits: acc / agree");
            }
            MarkdownTable t = new MarkdownTable(header);
            for (QuantMethod m : ms) {
                List<String> row = new ArrayList<>();
                row.add(m.id());
                for (int b : bits) {
                    double a = mean(cells, c -> c.dataset().equals(ds) && c.method().equals(m.id()) && c.bits() == b,
                            Cell::accuracy);
                    double g = mean(cells, c -> c.dataset().equals(ds) && c.method().equals(m.id()) && c.bits() == b,
                            Cell::agreement);
                    row.add(String.format(Locale.ROOT, "%.2f / %.2f", 100 * a, 100 * g));
                }
                t.row(row);
            }
            sb.append(t.render()).append('\n');
            if (ms.contains(QuantMethod.MIXED)) {
                sb.append("Mixed allocations (bits per layer, seed: allocation):\n\n");
                for (int b : bits) {
                    sb.append("- budget ").append(b).append(": ");
                    List<String> parts = new ArrayList<>();
                    for (Cell c : cells) {
                        if (c.dataset().equals(ds) && c.method().equals("mixed") && c.bits() == b) {
                            parts.add(c.seed() + ": " + c.bitsPerLayer()
                                    + String.format(Locale.ROOT, " (avg %.3f)", c.averageBits()));
                        }
                    }
                    sb.append(String.join("; ", parts)).append('\n');
                }
                sb.append('\n');
            }
        }
        sb.append("## Bar checks\n\n");
        sb.append(bars(table, cells));
        sb.append("\n## LSQ fine-tuning time\n\n");
        for (String ds : datasets) {
            for (int b : bits) {
                double s = mean(cells, c -> c.dataset().equals(ds) && c.method().equals("lsq") && c.bits() == b,
                        Cell::secondsPerEpoch);
                if (!Double.isNaN(s)) {
                    sb.append(String.format(Locale.ROOT, "- %s, %d bits: %.3f s per epoch (mean over seeds)%n", ds, b, s));
                }
            }
        }
        return sb.toString();
    }

    private static String bars(QuantTable table, List<Cell> cells) {
        List<String> datasets = table.datasets();
        StringBuilder sb = new StringBuilder();
        for (String ds : datasets) {
            double teacher = mean(cells, c -> c.dataset().equals(ds), Cell::teacherAccuracy);
            sb.append(check(cells, ds, "ptq", 8, teacher, 0.5));
            sb.append(check(cells, ds, "lsq", 4, teacher, 1.0));
            if (!ds.equals("german")) {
                sb.append(check(cells, ds, "lsq", 3, teacher, 2.0));
            }
            double mixed = mean(cells, c -> c.dataset().equals(ds) && c.method().equals("mixed") && c.bits() == 3,
                    Cell::accuracy);
            double lsq = mean(cells, c -> c.dataset().equals(ds) && c.method().equals("lsq") && c.bits() == 3,
                    Cell::accuracy);
            if (!Double.isNaN(mixed) && !Double.isNaN(lsq)) {
                sb.append(String.format(Locale.ROOT, "- %s: mixed at 3 bits %.2f%% vs uniform 3-bit LSQ %.2f%%: %s%n",
                        ds, 100 * mixed, 100 * lsq, mixed >= lsq ? "mixed >= LSQ" : "mixed < LSQ"));
            }
        }
        return sb.toString();
    }

    /** {@return the bar line of one method and width: the drop from the teacher against the allowed points} */
    public static String check(List<Cell> cells, String ds, String method, int b, double teacher, double points) {
        double acc = QuantTable.accuracy(cells, ds, method, b);
        if (Double.isNaN(acc)) {
            return "";
        }
        double drop = 100 * (teacher - acc);
        return String.format(Locale.ROOT, "- %s: %d-bit %s %.2f%% vs teacher %.2f%%: drop %.2f points (bar %.1f): %s%n",
                ds, b, method.toUpperCase(Locale.ROOT), 100 * acc, 100 * teacher, drop, points,
                QuantTable.met(drop, points) ? "met" : "NOT met");
    }

    private static double mean(List<Cell> cells, java.util.function.Predicate<Cell> p,
                               java.util.function.ToDoubleFunction<Cell> f) {
        return QuantTable.mean(cells, p, f);
    }

    private static String join(List<?> l) {
        return String.join(",", l.stream().map(String::valueOf).toList());
    }

    /** {@return one CSV line per dataset, seed, method and width (io's CSV writer)} */
    public static String csv(List<Cell> cells) {
        List<List<String>> lines = new ArrayList<>();
        for (Cell c : cells) {
            lines.add(List.of(c.dataset(), Long.toString(c.seed()), c.method(), Integer.toString(c.bits()),
                    f("%.6f", c.teacherAccuracy()), f("%.6f", c.accuracy()), f("%.6f", c.agreement()),
                    f("%.4f", c.averageBits()), c.bitsPerLayer(), f("%.4f", c.secondsPerEpoch()),
                    f("%.3f", c.seconds())));
        }
        return CsvWriter.write(List.of("dataset", "seed", "method", "bits", "teacher_accuracy", "test_accuracy",
                "agreement_with_teacher", "average_bits", "bits_per_layer", "seconds_per_epoch", "seconds"), lines);
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
