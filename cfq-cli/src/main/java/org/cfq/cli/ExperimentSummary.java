package org.cfq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cfq.report.MarkdownTable;

/**
 * The Markdown summary of an experiment: per dataset and margin, mean and standard
 * deviation over seeds of each method at each budget, then the accuracy-matched comparison
 * (baselines whose mean accuracy is within {@value #MATCH_POINTS} point of CFQ's at the
 * same budget). It only aggregates rows the runner measured.
 */
final class ExperimentSummary {
    /** Accuracy window of the matched comparison, in percentage points. */
    static final double MATCH_POINTS = 1.0;
    static final String CFQ = "cfq";

    /** The metrics of the main table: row key, column title, shown as a percentage. */
    private static final String[][] METRICS = {
        {"student_accuracy", "acc %", "p"},
        {"fidelity", "fidelity %", "p"},
        {"leniency", "leniency %", "p"},
        {"teacher_feasible", "T feas %", "p"},
        {"student_feasible", "S feas %", "p"},
        {"vd", "VD %", "p"},
        {"crg_ratio_of_means", "CRG ratio %", "p"},
        {"crg_median", "CRG median %", "p"},
        {"direction_cosine", "cosine", "n"},
        {"action_overlap", "overlap", "n"},
        {"teacher_margin_median", "T margin med", "n"},
        {"certified_fraction", "certified % (sound, 1-step neighbourhood)", "p"},
        {"transfer_certified_fraction", "transfer % (sound)", "p"},
        {"published_diagnostic_fraction_not_sound", "diag % (NOT sound)", "p"},
    };

    private ExperimentSummary() {
    }

    static String render(ExperimentPlan plan, List<ObjectNode> rows, Map<String, StudentMethods.StudentMethod> reg,
                         double seconds, boolean complete) {
        StringBuilder sb = new StringBuilder();
        sb.append("# cfq experiment summary\n\n");
        if (!complete) {
            sb.append("**Partial**: the run was still going when this was written.\n\n");
        }
        sb.append("- datasets ").append(plan.datasets()).append(", budgets ").append(plan.budgets())
                .append(", methods ").append(plan.methods()).append(", seeds ").append(plan.seeds())
                .append(", margins ").append(plan.margins()).append('\n');
        sb.append("- recourse: ").append(plan.recourse().id()).append(' ').append(plan.recourse().settings())
                .append("; factuals: ").append(plan.factuals().id())
                .append(plan.maxFactuals() > 0 ? " (first " + plan.maxFactuals() + ")" : " (all)")
                .append("; actions: ").append(plan.actions()).append('\n');
        sb.append(String.format(Locale.ROOT, "- wall-clock: %.1f s (this run; cells reused from an earlier run are "
                + "not re-timed; the machine is shared, so timings are indicative)%n", seconds));
        sb.append("- cells: ").append(count(rows, "ok")).append(" measured, ").append(count(rows, "unavailable"))
                .append(" unavailable, ").append(count(rows, "failed")).append(" failed\n");
        sb.append("- uniform methods use the largest whole width <= B; values are mean ± sample std over seeds "
                + "(n = seeds measured)\n\n");

        Map<String, String> unavailable = new LinkedHashMap<>();
        for (String m : plan.methods()) {
            reg.get(m).unavailableReason().ifPresent(r -> unavailable.put(m, r));
        }
        if (!unavailable.isEmpty()) {
            sb.append("## Unavailable methods (reported, not faked)\n\n");
            unavailable.forEach((m, r) -> sb.append("- `").append(m).append("`: ").append(r).append('\n'));
            sb.append('\n');
        }
        List<ObjectNode> failed = rows.stream().filter(r -> "failed".equals(r.path("status").asText())).toList();
        if (!failed.isEmpty()) {
            sb.append("## Failed cells\n\n");
            for (ObjectNode r : failed) {
                sb.append("- ").append(r.path("dataset").asText()).append(' ').append(r.path("method").asText())
                        .append(" B=").append(ExperimentPlan.plain(r.path("budget").asDouble())).append(" seed=")
                        .append(r.path("seed").asLong()).append(": ").append(r.path("reason").asText()).append('\n');
            }
            sb.append('\n');
        }

        for (String dataset : plan.datasets()) {
            for (double margin : plan.margins()) {
                sb.append("## ").append(dataset).append(", recourse margin ").append(ExperimentPlan.plain(margin))
                        .append("\n\n");
                List<ObjectNode> teachers = teacherRows(rows, dataset, margin);
                if (!teachers.isEmpty()) {
                    sb.append("Teacher (one per seed): accuracy ").append(stat(teachers, "teacher_accuracy", true))
                            .append(" %, factuals ").append(stat(teachers, "factuals", false))
                            .append(", teacher margin at x'_T: median ").append(stat(teachers, "teacher_margin_median",
                                    false)).append(", 10th percentile ")
                            .append(stat(teachers, "teacher_margin_p10", false)).append(".\n\n");
                }
                List<String> header = new ArrayList<>(List.of(">B", "method", ">bits", ">n"));
                for (String[] m : METRICS) {
                    header.add(">" + m[1]);
                }
                MarkdownTable t = new MarkdownTable(header);
                for (double budget : plan.budgets()) {
                    for (String method : plan.methods()) {
                        List<ObjectNode> cell = select(rows, dataset, method, budget, margin);
                        if (cell.isEmpty()) {
                            continue;
                        }
                        List<String> line = new ArrayList<>(List.of(ExperimentPlan.plain(budget), method,
                                fmt(mean(cell, "student_avg_bits"), 2), Integer.toString(cell.size())));
                        for (String[] m : METRICS) {
                            line.add(stat(cell, m[0], "p".equals(m[2])));
                        }
                        t.row(line);
                    }
                }
                if (t.rowCount() == 0) {
                    sb.append("No measured cells.\n\n");
                } else {
                    sb.append(t.render()).append('\n');
                    overBudget(sb, rows, dataset, margin);
                }
                matched(sb, plan, rows, dataset, margin, unavailable);
            }
        }
        return sb.toString();
    }

    /** Lists the cells whose student uses more average weight bits than the budget allows. */
    private static void overBudget(StringBuilder sb, List<ObjectNode> rows, String dataset, double margin) {
        List<String> over = new ArrayList<>();
        for (ObjectNode r : rows) {
            JsonNode bits = r.get("student_avg_bits");
            if ("ok".equals(r.path("status").asText()) && dataset.equals(r.path("dataset").asText())
                    && r.path("margin").asDouble() == margin && bits != null && bits.isNumber()
                    && bits.asDouble() > r.path("budget").asDouble() + 1e-9) {
                over.add(String.format(Locale.ROOT, "%s at B=%s seed %d (%.2f bits)", r.path("method").asText(),
                        ExperimentPlan.plain(r.path("budget").asDouble()), r.path("seed").asLong(), bits.asDouble()));
            }
        }
        if (!over.isEmpty()) {
            sb.append("**Over budget** (average weight bits above B): ").append(String.join("; ", over))
                    .append(".\n\n");
        }
    }

    private static void matched(StringBuilder sb, ExperimentPlan plan, List<ObjectNode> rows, String dataset,
                                double margin, Map<String, String> unavailable) {
        sb.append("### Accuracy-matched comparison (baselines within ").append(ExperimentPlan.plain(MATCH_POINTS))
                .append(" point of CFQ's accuracy)\n\n");
        if (!plan.methods().contains(CFQ)) {
            sb.append("CFQ was not among the methods of this run.\n\n");
            return;
        }
        if (unavailable.containsKey(CFQ)) {
            sb.append("Not computed: CFQ is unavailable in this build (").append(unavailable.get(CFQ))
                    .append(").\n\n");
            return;
        }
        MarkdownTable t = new MarkdownTable(List.of(">B", "method", ">acc %", ">VD %", ">fidelity %", ">leniency %",
                ">CRG ratio %", ">certified %"));
        for (double budget : plan.budgets()) {
            List<ObjectNode> cfq = select(rows, dataset, CFQ, budget, margin);
            if (cfq.isEmpty()) {
                continue;
            }
            double acc = mean(cfq, "student_accuracy");
            addMatched(t, budget, CFQ, cfq);
            for (String method : plan.methods()) {
                if (method.equals(CFQ)) {
                    continue;
                }
                List<ObjectNode> b = select(rows, dataset, method, budget, margin);
                if (!b.isEmpty() && Math.abs(mean(b, "student_accuracy") - acc) * 100 <= MATCH_POINTS) {
                    addMatched(t, budget, method, b);
                }
            }
        }
        sb.append(t.rowCount() == 0 ? "No CFQ cells measured.\n" : t.render()).append('\n');
    }

    private static void addMatched(MarkdownTable t, double budget, String method, List<ObjectNode> cell) {
        t.row(List.of(ExperimentPlan.plain(budget), method, stat(cell, "student_accuracy", true),
                stat(cell, "vd", true), stat(cell, "fidelity", true), stat(cell, "leniency", true),
                stat(cell, "crg_ratio_of_means", true), stat(cell, "certified_fraction", true)));
    }

    /** One measured row per seed of a dataset and margin (the teacher's numbers are the same in each). */
    private static List<ObjectNode> teacherRows(List<ObjectNode> rows, String dataset, double margin) {
        Map<Long, ObjectNode> bySeed = new LinkedHashMap<>();
        for (ObjectNode r : rows) {
            if ("ok".equals(r.path("status").asText()) && dataset.equals(r.path("dataset").asText())
                    && r.path("margin").asDouble() == margin) {
                bySeed.putIfAbsent(r.path("seed").asLong(), r);
            }
        }
        return new ArrayList<>(bySeed.values());
    }

    static List<ObjectNode> select(List<ObjectNode> rows, String dataset, String method, double budget,
                                   double margin) {
        return rows.stream().filter(r -> "ok".equals(r.path("status").asText())
                && dataset.equals(r.path("dataset").asText()) && method.equals(r.path("method").asText())
                && r.path("budget").asDouble() == budget && r.path("margin").asDouble() == margin).toList();
    }

    /** Mean over the rows where the value is defined; NaN when none is. */
    static double mean(List<ObjectNode> rows, String key) {
        double s = 0;
        int n = 0;
        for (ObjectNode r : rows) {
            JsonNode v = r.get(key);
            if (v != null && v.isNumber()) {
                s += v.asDouble();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sample standard deviation (n - 1) over the defined values; NaN below two. */
    static double std(List<ObjectNode> rows, String key) {
        double m = mean(rows, key);
        double s = 0;
        int n = 0;
        for (ObjectNode r : rows) {
            JsonNode v = r.get(key);
            if (v != null && v.isNumber()) {
                s += (v.asDouble() - m) * (v.asDouble() - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(s / (n - 1));
    }

    /** "mean ± std" (percent when asked), "mean" for one value, "n/a" for none. */
    static String stat(List<ObjectNode> rows, String key, boolean percent) {
        double k = percent ? 100 : 1;
        int digits = percent ? 1 : 3;
        double m = mean(rows, key);
        double s = std(rows, key);
        if (Double.isNaN(m)) {
            return "n/a";
        }
        return Double.isNaN(s) ? fmt(m * k, digits) : fmt(m * k, digits) + " ± " + fmt(s * k, digits);
    }

    private static String fmt(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "n/a";
    }

    private static long count(List<ObjectNode> rows, String status) {
        return rows.stream().filter(r -> status.equals(r.path("status").asText())).count();
    }
}
