package org.cfq.experiment;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cfq.audit.FactualSelection;
import org.cfq.quant.QuantSpec;
import org.cfq.train.TrainingConfig;

/**
 * What an experiment runs: every dataset x method x budget x seed x margin cell.
 *
 * @param datasets    built-in dataset names
 * @param budgets     average weight-bit budgets, each in [2, 8]
 * @param methods     quantization method names (see {@link StudentMethods})
 * @param seeds       teacher, quantization and recourse seeds
 * @param recourse    the recourse generator of the audits (see {@link RecourseMethods#published()})
 * @param margins     recourse margins, each &gt;= 0
 * @param factuals    factual selection
 * @param maxFactuals at most this many factuals per audit, 0 for all
 * @param out         output directory (cells, teachers, results, summary)
 * @param dataDir     dataset directory, or null for the default resolution
 * @param actions     actionability preset or rules file
 * @param teacher     how teachers are trained (its seed is replaced by each run seed)
 * @param splitSeed   the split seed of every dataset ({@link org.cfq.data.Splits#DEFAULT_SEED} by default)
 * @param splitPerSeed re-draw each dataset's split per run seed (split seed = run seed), as the
 *                    paper's authors do; {@code splitSeed} is then unused
 * @param evaluations the audit evaluations each cell adds to its row ({@link Evaluations#IDS}), in order
 */
public record ExperimentPlan(List<String> datasets, List<Double> budgets, List<String> methods, List<Long> seeds,
                      RecourseMethod recourse, List<Double> margins, FactualSelection factuals, int maxFactuals,
                      Path out, Path dataDir, String actions, TrainingConfig teacher, long splitSeed,
                      boolean splitPerSeed, List<String> evaluations) {
    /** A plan on the default split with no further evaluations. */
    public ExperimentPlan(List<String> datasets, List<Double> budgets, List<String> methods, List<Long> seeds,
                          RecourseMethod recourse, List<Double> margins, FactualSelection factuals, int maxFactuals,
                          Path out, Path dataDir, String actions, TrainingConfig teacher) {
        this(datasets, budgets, methods, seeds, recourse, margins, factuals, maxFactuals, out, dataDir, actions,
                teacher, org.cfq.data.Splits.DEFAULT_SEED, false, List.of());
    }

    /** {@return this plan with another split: a fixed seed, or one per run seed} */
    public ExperimentPlan withSplit(long seed, boolean perRunSeed) {
        return new ExperimentPlan(datasets, budgets, methods, seeds, recourse, margins, factuals, maxFactuals, out,
                dataDir, actions, teacher, seed, perRunSeed, evaluations);
    }

    /** {@return this plan with these audit evaluations added to every cell} */
    public ExperimentPlan withEvaluations(List<String> ids) {
        return new ExperimentPlan(datasets, budgets, methods, seeds, recourse, margins, factuals, maxFactuals, out,
                dataDir, actions, teacher, splitSeed, splitPerSeed, ids);
    }

    /** {@return the split seed a dataset is loaded with for a run seed} */
    public long splitSeedFor(long runSeed) {
        return splitPerSeed ? runSeed : splitSeed;
    }

    public ExperimentPlan {
        evaluations = List.copyOf(evaluations);
        for (String e : evaluations) {
            if (!Evaluations.IDS.contains(e)) {
                throw new IllegalArgumentException("unknown evaluation '" + e + "'; use some of " + Evaluations.IDS);
            }
        }
        datasets = List.copyOf(datasets);
        budgets = List.copyOf(budgets);
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
        margins = List.copyOf(margins);
        Objects.requireNonNull(recourse, "recourse");
        Objects.requireNonNull(factuals, "factuals");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(teacher, "teacher");
        if (datasets.isEmpty() || budgets.isEmpty() || methods.isEmpty() || seeds.isEmpty() || margins.isEmpty()) {
            throw new IllegalArgumentException("every list of the plan needs at least one value");
        }
        for (double b : budgets) {
            if (!(b >= QuantSpec.MIN_BITS && b <= QuantSpec.MAX_BITS)) {
                throw new IllegalArgumentException("budgets must be in [2, 8] bits, got " + b);
            }
        }
        for (double m : margins) {
            if (!(m >= 0 && m < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("margins must be finite and >= 0, got " + m);
            }
        }
        if (maxFactuals < 0) {
            throw new IllegalArgumentException("maxFactuals must be >= 0, got " + maxFactuals);
        }
    }

    /** {@return the number of cells} */
    public int cells() {
        return datasets.size() * budgets.size() * methods.size() * seeds.size() * margins.size();
    }

    /** The file-name key of one cell: every setting that changes its result. */
    public String cellKey(String dataset, String method, double budget, long seed, double margin) {
        return dataset + "_" + method + "_b" + plain(budget) + "_s" + seed + "_m" + plain(margin) + "_"
                + recourse.id() + "_" + factuals.id() + "_n" + maxFactuals
                + ("paper".equals(actions) ? "" : "_a-" + actions.replaceAll("[^A-Za-z0-9.-]", "-"))
                + (defaultTeacher() ? "" : "_t-" + teacherTag()) + splitTag()
                + (evaluations.isEmpty() ? "" : "_e-" + String.join("+", evaluations));
    }

    /** "" on the default split; "_sp" when the split follows the run seed; "_ssS" for another fixed seed. */
    private String splitTag() {
        return splitPerSeed ? "_sp" : splitSeed == org.cfq.data.Splits.DEFAULT_SEED ? "" : "_ss" + splitSeed;
    }

    /** The cached teacher's file name for a dataset and seed. */
    public String teacherFile(String dataset, long seed) {
        return dataset + "-seed" + seed + (defaultTeacher() ? "" : "-" + teacherTag()) + splitTag() + ".json";
    }

    private boolean defaultTeacher() {
        return teacher.withSeed(0).equals(TrainingConfig.defaults());
    }

    private String teacherTag() {
        StringBuilder sb = new StringBuilder("h");
        for (int i = 0; i < teacher.hidden().size(); i++) {
            sb.append(i == 0 ? "" : "x").append(teacher.hidden().get(i));
        }
        sb.append("-e").append(teacher.maxEpochs());
        // the logistic backbone's own rate: its teachers and cells must not be mistaken for those
        // trained at the default rate (as every logistic teacher was before it had its own)
        if (teacher.learningRate() != TrainingConfig.DEFAULT_LEARNING_RATE) {
            sb.append("-lr").append(plain(teacher.learningRate()));
        }
        return sb.toString();
    }

    /** A number without trailing zeros: 3.0 gives "3", 2.5 gives "2.5". */
    public static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
