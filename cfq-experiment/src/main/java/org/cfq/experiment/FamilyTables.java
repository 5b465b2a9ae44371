package org.cfq.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.cfq.experiment.ExperimentSummary.EvaluationLine;
import org.cfq.experiment.ExperimentSummary.EvaluationTable;

/**
 * Summary tables of two families that compare methods with each other rather than report one
 * method's numbers (issue 14): the runtime of CFQ against its teacher-search depth K, and the
 * teacher-quality grid (K crossed with the direction noise). Pure functions of the measured
 * cells; {@link ExperimentSummary#of} adds them to a dataset's section when the plan holds their
 * methods.
 */
public final class FamilyTables {
    /** The method the runtime is measured against. */
    public static final String BASE = "mixedprec";
    /** The depths of the runtime family. */
    public static final List<Integer> RUNTIME_DEPTHS = List.of(1, 2, 3);
    static final String RUNTIME_TITLE = "Runtime vs teacher-search depth K: CFQ's quantize seconds / mixedprec's "
            + "(ratio per seed, then mean ± sd over seeds)";
    static final String QUALITY_TITLE = "Teacher quality: Gaussian noise sigma on the teacher's directions in "
            + "training, by depth K (mean ± sd over seeds)";

    private FamilyTables() {
    }

    /** {@return both tables of a dataset and margin, those the plan has methods for} */
    public static List<EvaluationTable> of(ExperimentPlan plan, List<CellResult> results, String dataset,
                                           double margin) {
        List<EvaluationTable> out = new ArrayList<>();
        runtime(plan, results, dataset, margin).ifPresent(out::add);
        quality(plan, results, dataset, margin).ifPresent(out::add);
        return out;
    }

    /**
     * The runtime table: per budget and K = 1, 2, 3, the quantize seconds of {@code cfq-kK} (searched
     * per batch, published) and {@code cfq-kK-once} (searched once, ours) divided by those of
     * {@code mixedprec} of the same seed, mean and sd of the ratios over the seeds with both cells;
     * and the mean seconds themselves. Empty unless the plan holds mixedprec and some depth variant.
     */
    public static Optional<EvaluationTable> runtime(ExperimentPlan plan, List<CellResult> results, String dataset,
                                                    double margin) {
        if (!plan.methods().contains(BASE)) {
            return Optional.empty();
        }
        List<EvaluationLine> lines = new ArrayList<>();
        for (double budget : plan.budgets()) {
            List<CellResult> base = ExperimentSummary.select(results, dataset, BASE, budget, margin);
            for (int k : RUNTIME_DEPTHS) {
                String perBatch = "cfq-k" + k;
                String once = perBatch + "-once";
                if (!plan.methods().contains(perBatch) && !plan.methods().contains(once)) {
                    continue;
                }
                List<CellResult> pb = ExperimentSummary.select(results, dataset, perBatch, budget, margin);
                List<CellResult> on = ExperimentSummary.select(results, dataset, once, budget, margin);
                Stat rPb = ratios(pb, base);
                Stat rOn = ratios(on, base);
                int n = Math.max(rPb.n(), rOn.n());
                if (n == 0) {
                    continue;
                }
                lines.add(new EvaluationLine(budget, perBatch + " | " + once, "K = " + k, n, List.of(rPb, rOn,
                        Stat.of(pb, CellMetrics::quantizeSeconds), Stat.of(on, CellMetrics::quantizeSeconds),
                        Stat.of(base, CellMetrics::quantizeSeconds))));
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EvaluationTable(dataset, margin, RUNTIME_TITLE, List.of("per batch (published) / "
                + BASE, "once (ours) / " + BASE, "per batch s", "once s", BASE + " s"), lines));
    }

    /** Per seed present in both lists, {@code seconds(cell) / seconds(base)}; their mean and sd. */
    static Stat ratios(List<CellResult> cells, List<CellResult> base) {
        double[] v = new double[cells.size()];
        for (int i = 0; i < v.length; i++) {
            CellResult c = cells.get(i);
            v[i] = Double.NaN;
            for (CellResult b : base) {
                double d = b.metrics().quantizeSeconds();
                if (b.cell().seed() == c.cell().seed() && d > 0) {
                    v[i] = c.metrics().quantizeSeconds() / d;
                }
            }
        }
        return Stat.ofValues(v);
    }

    /**
     * The teacher-quality table: per budget, depth K and noise sigma, the cells of
     * {@code cfq-kK-nS} (sigma 0: {@code cfq-kK-n0}, else {@code cfq-kK}, whichever the plan holds).
     * Empty unless the plan holds a noisy variant.
     */
    public static Optional<EvaluationTable> quality(ExperimentPlan plan, List<CellResult> results, String dataset,
                                                    double margin) {
        boolean any = plan.methods().stream().anyMatch(m -> CfqAblations.DEPTHS.stream().anyMatch(k ->
                CfqAblations.NOISE.stream().anyMatch(s -> s > 0 && m.equals(CfqAblations.qualityId(k, s)))));
        if (!any) {
            return Optional.empty();
        }
        List<ToDoubleFunction<CellMetrics>> metrics = List.of(CellMetrics::studentAccuracy, CellMetrics::fidelity,
                CellMetrics::leniency, CellMetrics::validityDrop, CellMetrics::recourseGapRatioOfMeans);
        List<EvaluationLine> lines = new ArrayList<>();
        for (double budget : plan.budgets()) {
            for (int k : CfqAblations.DEPTHS) {
                for (double sigma : CfqAblations.NOISE) {
                    String id = CfqAblations.qualityId(k, sigma);
                    if (sigma == 0 && !plan.methods().contains(id)) {
                        id = "cfq-k" + k;
                    }
                    if (!plan.methods().contains(id)) {
                        continue;
                    }
                    List<CellResult> cells = ExperimentSummary.select(results, dataset, id, budget, margin);
                    if (cells.isEmpty()) {
                        continue;
                    }
                    List<Stat> stats = new ArrayList<>();
                    for (ToDoubleFunction<CellMetrics> m : metrics) {
                        Stat s = Stat.of(cells, m);
                        stats.add(new Stat(s.mean() * 100, s.std() * 100, s.n()));
                    }
                    lines.add(new EvaluationLine(budget, id, "K = " + k + ", sigma = " + ExperimentPlan.plain(sigma),
                            cells.size(), stats));
                }
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EvaluationTable(dataset, margin, QUALITY_TITLE, List.of("acc %", "fidelity %",
                "leniency %", "VD %", "CRG ratio %"), lines));
    }
}
