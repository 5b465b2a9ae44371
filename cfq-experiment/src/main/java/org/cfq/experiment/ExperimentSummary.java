package org.cfq.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The summary statistics of an experiment, typed: per dataset and margin, the mean and sample
 * standard deviation over seeds of each method at each budget, the cells over budget, then the
 * accuracy-matched comparison (baselines whose mean accuracy is within {@value #MATCH_POINTS}
 * point of CFQ's at the same budget). It only aggregates cells the runner measured; cfq-report
 * renders it.
 *
 * @param plan        what was run
 * @param seconds     wall-clock seconds of this run
 * @param complete    false while the run is still going
 * @param measured    cells measured (now or earlier)
 * @param unavailable methods of the plan that cannot run in this build, with the reason
 * @param failed      the cells that failed, in plan order
 * @param sections    one per dataset and margin, in plan order
 * @param evaluations the tables of the plan's {@link Evaluations} (subgroups, shift, ...), per dataset and
 *                    margin, in plan order; empty when the plan has none
 */
public record ExperimentSummary(ExperimentPlan plan, double seconds, boolean complete, long measured,
                                Map<String, String> unavailable, long unavailableCells, List<CellResult> failed,
                                List<Section> sections, List<EvaluationTable> evaluations) {
    /** Accuracy window of the matched comparison, in percentage points. */
    public static final double MATCH_POINTS = 1.0;
    /** The method the matched comparison centres on. */
    public static final String CFQ = "cfq";

    /** A metric of the main table: its column title, whether it is a share (shown in percent) and its value. */
    public enum Metric {
        ACCURACY("acc %", true, CellMetrics::studentAccuracy),
        FIDELITY("fidelity %", true, CellMetrics::fidelity),
        LENIENCY("leniency %", true, CellMetrics::leniency),
        TEACHER_FEASIBLE("T feas %", true, CellMetrics::teacherFeasible),
        STUDENT_FEASIBLE("S feas %", true, CellMetrics::studentFeasible),
        VD("VD %", true, CellMetrics::validityDrop),
        CRG_RATIO("CRG ratio %", true, CellMetrics::recourseGapRatioOfMeans),
        CRG_MEDIAN("CRG median %", true, CellMetrics::recourseGapMedian),
        COSINE("cosine", false, CellMetrics::directionCosine),
        OVERLAP("overlap", false, CellMetrics::actionOverlap),
        TEACHER_MARGIN("T margin med", false, CellMetrics::teacherMarginMedian),
        CERTIFIED("certified % (sound, 1-step neighbourhood)", true, CellMetrics::certifiedFraction),
        TRANSFER("transfer % (sound)", true, CellMetrics::transferCertifiedFraction),
        DIAGNOSTIC("diag % (NOT sound)", true, CellMetrics::publishedDiagnosticFraction),
        STUDENT_YNN("S yNN", false, CellMetrics::studentYnn),
        STUDENT_LOF("S LOF", false, CellMetrics::studentLof);

        private final String title;
        private final boolean share;
        private final ToDoubleFunction<CellMetrics> value;

        Metric(String title, boolean share, ToDoubleFunction<CellMetrics> value) {
            this.title = title;
            this.share = share;
            this.value = value;
        }

        public String title() {
            return title;
        }

        public boolean share() {
            return share;
        }

        public ToDoubleFunction<CellMetrics> value() {
            return value;
        }
    }

    /** The teacher line of a section: one measured cell per seed. */
    public record TeacherStats(Stat accuracy, Stat factuals, Stat marginMedian, Stat marginP10, Stat ynn, Stat lof) {
    }

    /** One method at one budget: its mean bits, seeds measured, and one statistic per {@link Metric}. */
    public record Line(double budget, String method, double meanBits, int n, Map<Metric, Stat> stats) {
        public Line {
            stats = Map.copyOf(stats);
        }
    }

    /** A measured cell whose student uses more average weight bits than the budget. */
    public record OverBudget(String method, double budget, long seed, double bits) {
    }

    /** One row of the accuracy-matched comparison. */
    public record MatchedLine(double budget, String method, Stat accuracy, Stat vd, Stat fidelity, Stat leniency,
                              Stat crgRatio, Stat certified) {
    }

    /**
     * The accuracy-matched comparison of a section.
     *
     * @param notComputed why it was not computed (CFQ not in the plan, or unavailable), or empty
     * @param lines       CFQ's line and each baseline within the window, per budget
     */
    public record Matched(Optional<String> notComputed, List<MatchedLine> lines) {
    }

    /**
     * A measured cell with no recourse to audit: no factual has a counterfactual on the reference
     * model (the teacher, or the method's own float model), so VD, CRG and every metric at the
     * counterfactuals are undefined there (null in the rows) and left out of the means, never
     * counted as 0.
     *
     * @param factuals the cell's factuals (0: the reference model rejects no test row)
     * @param reference what the reference model was ("teacher", or the method's note)
     */
    public record NoRecourse(String method, double budget, long seed, int factuals, String reference) {
    }

    /**
     * One dataset at one recourse margin.
     *
     * @param noRecourse the measured cells without any reference counterfactual, in run order
     */
    public record Section(String dataset, double margin, Optional<TeacherStats> teacher, List<Line> lines,
                          List<OverBudget> overBudget, Matched matched, List<NoRecourse> noRecourse) {
        public Section {
            noRecourse = List.copyOf(noRecourse);
        }
    }

    /**
     * One evaluation's table for a dataset and margin: per budget, method and line (a subgroup,
     * a shifted set, a tightened setting), the mean and standard deviation over seeds of each column.
     */
    public record EvaluationTable(String dataset, double margin, String title, List<String> columns,
                                  List<EvaluationLine> lines) {
        public EvaluationTable {
            columns = List.copyOf(columns);
            lines = List.copyOf(lines);
        }
    }

    /** One line of an {@link EvaluationTable}: one statistic per column. */
    public record EvaluationLine(double budget, String method, String label, int n, List<Stat> stats) {
        public EvaluationLine {
            stats = List.copyOf(stats);
        }
    }

    /** {@return the summary of the results of a run of {@code plan}} */
    public static ExperimentSummary of(ExperimentPlan plan, List<CellResult> results, StudentMethods methods,
                                       double seconds, boolean complete) {
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (String m : plan.methods()) {
            methods.find(m).flatMap(StudentMethods.StudentMethod::unavailableReason)
                    .ifPresent(r -> unavailable.put(m, r));
        }
        List<CellResult> failed = results.stream().filter(r -> r.status() == CellResult.Status.FAILED).toList();
        List<Section> sections = new ArrayList<>();
        for (String dataset : plan.datasets()) {
            for (double margin : plan.margins()) {
                sections.add(section(plan, results, dataset, margin, unavailable));
            }
        }
        List<EvaluationTable> tables = new ArrayList<>();
        if (!plan.evaluations().isEmpty()) {
            for (String dataset : plan.datasets()) {
                for (double margin : plan.margins()) {
                    tables.addAll(evaluationTables(plan, results, dataset, margin));
                }
            }
        }
        // the runtime-vs-K and teacher-quality tables, when the plan holds their methods
        for (String dataset : plan.datasets()) {
            for (double margin : plan.margins()) {
                tables.addAll(FamilyTables.of(plan, results, dataset, margin));
            }
        }
        return new ExperimentSummary(plan, seconds, complete, count(results, CellResult.Status.OK),
                unavailable, count(results, CellResult.Status.UNAVAILABLE), failed, sections, tables);
    }

    private static List<EvaluationTable> evaluationTables(ExperimentPlan plan, List<CellResult> results,
                                                          String dataset, double margin) {
        // Titles, lines and columns in the order the cells first list them.
        Map<String, Map<String, java.util.LinkedHashSet<String>>> shape = new LinkedHashMap<>();
        for (CellResult r : results) {
            if (r.status() != CellResult.Status.OK || !dataset.equals(r.cell().dataset())
                    || r.cell().margin() != margin) {
                continue;
            }
            var m = r.row().path(Evaluations.METRICS_KEY);
            m.fieldNames().forEachRemaining(t -> m.get(t).fieldNames().forEachRemaining(l -> {
                var cols = shape.computeIfAbsent(t, k -> new LinkedHashMap<>())
                        .computeIfAbsent(l, k -> new java.util.LinkedHashSet<>());
                m.get(t).get(l).fieldNames().forEachRemaining(cols::add);
            }));
        }
        List<EvaluationTable> out = new ArrayList<>();
        for (var t : shape.entrySet()) {
            java.util.LinkedHashSet<String> columns = new java.util.LinkedHashSet<>();
            t.getValue().values().forEach(columns::addAll);
            List<EvaluationLine> lines = new ArrayList<>();
            for (double budget : plan.budgets()) {
                for (String method : plan.methods()) {
                    List<CellResult> cells = select(results, dataset, method, budget, margin);
                    for (String label : t.getValue().keySet()) {
                        List<Stat> stats = new ArrayList<>();
                        int n = 0;
                        for (String c : columns) {
                            double[] v = new double[cells.size()];
                            for (int i = 0; i < v.length; i++) {
                                var node = cells.get(i).row().path(Evaluations.METRICS_KEY).path(t.getKey())
                                        .path(label).path(c);
                                v[i] = node.isNumber() ? node.asDouble() : Double.NaN;
                            }
                            Stat st = Stat.ofValues(v);
                            n = Math.max(n, st.n());
                            stats.add(st);
                        }
                        if (n > 0) {
                            lines.add(new EvaluationLine(budget, method, label, n, stats));
                        }
                    }
                }
            }
            out.add(new EvaluationTable(dataset, margin, t.getKey(), List.copyOf(columns), lines));
        }
        return out;
    }

    private static Section section(ExperimentPlan plan, List<CellResult> results, String dataset, double margin,
                                   Map<String, String> unavailable) {
        List<CellResult> teachers = teacherCells(results, dataset, margin);
        Optional<TeacherStats> teacher = teachers.isEmpty() ? Optional.empty()
                : Optional.of(new TeacherStats(Stat.of(teachers, CellMetrics::teacherAccuracy),
                Stat.of(teachers, CellMetrics::factuals), Stat.of(teachers, CellMetrics::teacherMarginMedian),
                Stat.of(teachers, CellMetrics::teacherMarginP10), Stat.of(teachers, CellMetrics::teacherYnn),
                Stat.of(teachers, CellMetrics::teacherLof)));
        List<Line> lines = new ArrayList<>();
        for (double budget : plan.budgets()) {
            for (String method : plan.methods()) {
                List<CellResult> cell = select(results, dataset, method, budget, margin);
                if (cell.isEmpty()) {
                    continue;
                }
                Map<Metric, Stat> stats = new LinkedHashMap<>();
                for (Metric m : Metric.values()) {
                    stats.put(m, Stat.of(cell, m.value()));
                }
                lines.add(new Line(budget, method, Stat.of(cell, CellMetrics::studentAverageBits).mean(),
                        cell.size(), stats));
            }
        }
        List<OverBudget> over = new ArrayList<>();
        for (CellResult r : results) {
            double bits = r.metrics().studentAverageBits();
            if (r.status() == CellResult.Status.OK && dataset.equals(r.cell().dataset())
                    && r.cell().margin() == margin && Double.isFinite(bits) && bits > r.cell().budget() + 1e-9) {
                over.add(new OverBudget(r.cell().method(), r.cell().budget(), r.cell().seed(), bits));
            }
        }
        List<NoRecourse> none = new ArrayList<>();
        for (CellResult r : results) {
            if (r.status() == CellResult.Status.OK && dataset.equals(r.cell().dataset())
                    && r.cell().margin() == margin && plan.methods().contains(r.cell().method())
                    && plan.budgets().contains(r.cell().budget()) && r.row().has("teacher_found")
                    && r.row().get("teacher_found").asInt() == 0) {
                none.add(new NoRecourse(r.cell().method(), r.cell().budget(), r.cell().seed(),
                        r.row().path("factuals").asInt(0), r.row().path("reference_model").asText("teacher")));
            }
        }
        return new Section(dataset, margin, teacher, lines, over, matched(plan, results, dataset, margin,
                unavailable), none);
    }

    private static Matched matched(ExperimentPlan plan, List<CellResult> results, String dataset, double margin,
                                   Map<String, String> unavailable) {
        if (!plan.methods().contains(CFQ)) {
            return new Matched(Optional.of("CFQ was not among the methods of this run."), List.of());
        }
        if (unavailable.containsKey(CFQ)) {
            return new Matched(Optional.of("Not computed: CFQ is unavailable in this build ("
                    + unavailable.get(CFQ) + ")."), List.of());
        }
        List<MatchedLine> lines = new ArrayList<>();
        for (double budget : plan.budgets()) {
            List<CellResult> cfq = select(results, dataset, CFQ, budget, margin);
            if (cfq.isEmpty()) {
                continue;
            }
            double acc = Stat.of(cfq, CellMetrics::studentAccuracy).mean();
            lines.add(matchedLine(budget, CFQ, cfq));
            for (String method : plan.methods()) {
                if (method.equals(CFQ)) {
                    continue;
                }
                List<CellResult> b = select(results, dataset, method, budget, margin);
                if (!b.isEmpty()
                        && Math.abs(Stat.of(b, CellMetrics::studentAccuracy).mean() - acc) * 100 <= MATCH_POINTS) {
                    lines.add(matchedLine(budget, method, b));
                }
            }
        }
        return new Matched(Optional.empty(), lines);
    }

    private static MatchedLine matchedLine(double budget, String method, List<CellResult> cell) {
        return new MatchedLine(budget, method, Stat.of(cell, CellMetrics::studentAccuracy),
                Stat.of(cell, CellMetrics::validityDrop), Stat.of(cell, CellMetrics::fidelity),
                Stat.of(cell, CellMetrics::leniency), Stat.of(cell, CellMetrics::recourseGapRatioOfMeans),
                Stat.of(cell, CellMetrics::certifiedFraction));
    }

    /** One measured cell per seed of a dataset and margin (the teacher's numbers are the same in each). */
    private static List<CellResult> teacherCells(List<CellResult> results, String dataset, double margin) {
        Map<Long, CellResult> bySeed = new LinkedHashMap<>();
        for (CellResult r : results) {
            if (r.status() == CellResult.Status.OK && dataset.equals(r.cell().dataset())
                    && r.cell().margin() == margin) {
                bySeed.putIfAbsent(r.cell().seed(), r);
            }
        }
        return new ArrayList<>(bySeed.values());
    }

    /** {@return the measured cells of one method, budget, dataset and margin, one per seed, in run order} */
    public static List<CellResult> select(List<CellResult> results, String dataset, String method, double budget,
                                          double margin) {
        return results.stream().filter(r -> r.status() == CellResult.Status.OK
                && dataset.equals(r.cell().dataset()) && method.equals(r.cell().method())
                && r.cell().budget() == budget && r.cell().margin() == margin).toList();
    }

    private static long count(List<CellResult> results, CellResult.Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }
}
