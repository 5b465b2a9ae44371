package org.cfq.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cfq.experiment.CellResult;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentSummary;
import org.cfq.experiment.ExperimentSummary.Line;
import org.cfq.experiment.ExperimentSummary.MatchedLine;
import org.cfq.experiment.ExperimentSummary.Metric;
import org.cfq.experiment.ExperimentSummary.OverBudget;
import org.cfq.experiment.ExperimentSummary.Section;
import org.cfq.experiment.ExperimentSummary.TeacherStats;
import org.cfq.experiment.Stat;

/** Renders an {@link ExperimentSummary} as the Markdown page {@code summary.md}. */
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    /** {@return the summary page} */
    public static String render(ExperimentSummary s) {
        ExperimentPlan plan = s.plan();
        StringBuilder sb = new StringBuilder();
        sb.append("# cfq experiment summary\n\n");
        if (!s.complete()) {
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
                + "not re-timed; the machine is shared, so timings are indicative)%n", s.seconds()));
        sb.append("- cells: ").append(s.measured()).append(" measured, ").append(s.unavailableCells())
                .append(" unavailable, ").append(s.failed().size()).append(" failed\n");
        sb.append("- uniform methods use the largest whole width <= B; values are mean ± sample std over seeds "
                + "(n = seeds measured)\n\n");
        if (!s.unavailable().isEmpty()) {
            sb.append("## Unavailable methods (reported, not faked)\n\n");
            s.unavailable().forEach((m, r) -> sb.append("- `").append(m).append("`: ").append(r).append('\n'));
            sb.append('\n');
        }
        if (!s.failed().isEmpty()) {
            sb.append("## Failed cells\n\n");
            for (CellResult r : s.failed()) {
                sb.append("- ").append(r.cell().dataset()).append(' ').append(r.cell().method()).append(" B=")
                        .append(ExperimentPlan.plain(r.cell().budget())).append(" seed=").append(r.cell().seed())
                        .append(": ").append(r.reason().orElse("")).append('\n');
            }
            sb.append('\n');
        }
        for (Section sec : s.sections()) {
            section(sb, sec);
            for (ExperimentSummary.EvaluationTable t : s.evaluations()) {
                if (t.dataset().equals(sec.dataset()) && t.margin() == sec.margin()) {
                    evaluation(sb, t);
                }
            }
        }
        return sb.toString();
    }

    /** One evaluation table (columns already in their units: "%" columns are percentages). */
    private static void evaluation(StringBuilder sb, ExperimentSummary.EvaluationTable t) {
        sb.append("### ").append(t.title()).append("\n\n");
        List<String> header = new ArrayList<>(List.of(">B", "method", "line", ">n"));
        boolean partial = false;
        t.columns().forEach(c -> header.add(">" + c));
        MarkdownTable m = new MarkdownTable(header);
        for (ExperimentSummary.EvaluationLine l : t.lines()) {
            List<String> row = new ArrayList<>(List.of(ExperimentPlan.plain(l.budget()), l.method(), l.label(),
                    Integer.toString(l.n())));
            for (int i = 0; i < t.columns().size(); i++) {
                row.add(stat(l.stats().get(i), false, t.columns().get(i).contains("%") || t.columns().get(i)
                        .contains("(pts)") ? 1 : 3) + partial(l.stats().get(i), l.n()));
                partial |= l.stats().get(i).n() > 0 && l.stats().get(i).n() < l.n();
            }
            m.row(row);
        }
        sb.append(m.rowCount() == 0 ? "No measured cells.\n" : m.render()).append('\n');
        if (partial) {
            sb.append(PARTIAL_NOTE).append("\n\n");
        }
    }

    private static String stat(Stat s, boolean percent, int digits) {
        double k = percent ? 100 : 1;
        if (Double.isNaN(s.mean())) {
            return "n/a";
        }
        return Double.isNaN(s.std()) ? fmt(s.mean() * k, digits)
                : fmt(s.mean() * k, digits) + " ± " + fmt(s.std() * k, digits);
    }

    /** What the {@code [k/n]} marker means, under every table that has one. */
    static final String PARTIAL_NOTE = "`[k/n]`: mean over the k of n seeds where the value is defined; the undefined "
            + "ones (empty in results.csv, null in results.json) are left out, never counted as 0.";

    /** {@return " [k/n]" when the statistic is defined in only k (>= 1) of the n cells, else ""} */
    private static String partial(Stat s, int cells) {
        return s.n() > 0 && s.n() < cells ? " [" + s.n() + "/" + cells + "]" : "";
    }

    /** {@link #stat(Stat, boolean)} with the {@code [k/n]} marker when some of the n cells leave it undefined. */
    private static String marked(Stat s, boolean percent, int cells) {
        return stat(s, percent) + partial(s, cells);
    }

    private static void section(StringBuilder sb, Section sec) {
        sb.append("## ").append(sec.dataset()).append(", recourse margin ").append(ExperimentPlan.plain(sec.margin()))
                .append("\n\n");
        if (sec.teacher().isPresent()) {
            TeacherStats t = sec.teacher().get();
            int seeds = t.accuracy().n();
            sb.append("Teacher (one per seed): accuracy ").append(stat(t.accuracy(), true))
                    .append(" %, factuals ").append(stat(t.factuals(), false))
                    .append(", teacher margin at x'_T: median ").append(marked(t.marginMedian(), false, seeds))
                    .append(", 10th percentile ").append(marked(t.marginP10(), false, seeds))
                    .append("; plausibility of x'_T: yNN ").append(marked(t.ynn(), false, seeds)).append(", LOF ")
                    .append(marked(t.lof(), false, seeds)).append(".\n\n");
        }
        List<String> header = new ArrayList<>(List.of(">B", "method", ">bits", ">n"));
        for (Metric m : Metric.values()) {
            header.add(">" + m.title());
        }
        MarkdownTable t = new MarkdownTable(header);
        boolean partial = false;
        for (Line l : sec.lines()) {
            List<String> line = new ArrayList<>(List.of(ExperimentPlan.plain(l.budget()), l.method(),
                    fmt(l.meanBits(), 2), Integer.toString(l.n())));
            for (Metric m : Metric.values()) {
                Stat st = l.stats().get(m);
                line.add(marked(st, m.share(), l.n()));
                partial |= st.n() > 0 && st.n() < l.n();
            }
            t.row(line);
        }
        if (t.rowCount() == 0) {
            sb.append("No measured cells.\n\n");
        } else {
            sb.append(t.render()).append('\n');
            if (!sec.overBudget().isEmpty()) {
                List<String> over = new ArrayList<>();
                for (OverBudget o : sec.overBudget()) {
                    over.add(String.format(Locale.ROOT, "%s at B=%s seed %d (%.2f bits)", o.method(),
                            ExperimentPlan.plain(o.budget()), o.seed(), o.bits()));
                }
                sb.append("**Over budget** (average weight bits above B): ").append(String.join("; ", over))
                        .append(".\n\n");
            }
            undefined(sb, sec, partial);
        }
        sb.append("### Accuracy-matched comparison (baselines within ")
                .append(ExperimentPlan.plain(ExperimentSummary.MATCH_POINTS)).append(" point of CFQ's accuracy)\n\n");
        if (sec.matched().notComputed().isPresent()) {
            sb.append(sec.matched().notComputed().get()).append("\n\n");
            return;
        }
        MarkdownTable m = new MarkdownTable(List.of(">B", "method", ">acc %", ">VD %", ">fidelity %", ">leniency %",
                ">CRG ratio %", ">certified %"));
        for (MatchedLine l : sec.matched().lines()) {
            int cells = l.accuracy().n();
            m.row(List.of(ExperimentPlan.plain(l.budget()), l.method(), stat(l.accuracy(), true),
                    marked(l.vd(), true, cells), stat(l.fidelity(), true), stat(l.leniency(), true),
                    marked(l.crgRatio(), true, cells), marked(l.certified(), true, cells)));
        }
        sb.append(m.rowCount() == 0 ? "No CFQ cells measured.\n" : m.render()).append('\n');
    }

    /**
     * The footnote of a section's table: what {@code [k/n]} means, and each cell with no recourse to
     * audit, named with why (its VD and CRG are undefined, not 0).
     */
    private static void undefined(StringBuilder sb, Section sec, boolean partial) {
        if (!partial && sec.noRecourse().isEmpty()) {
            return;
        }
        sb.append("**Undefined values**: ").append(PARTIAL_NOTE);
        if (!sec.noRecourse().isEmpty()) {
            List<String> cells = new ArrayList<>();
            for (ExperimentSummary.NoRecourse c : sec.noRecourse()) {
                String model = "teacher".equals(c.reference()) ? "the teacher" : "its own float reference model";
                cells.add(String.format(Locale.ROOT, "%s at B=%s seed %d (%s)", c.method(),
                        ExperimentPlan.plain(c.budget()), c.seed(), c.factuals() == 0
                                ? "0 factuals: " + model + " rejects no test row"
                                : "no counterfactual on " + model + " for any of its " + c.factuals() + " factuals"));
            }
            sb.append(" No recourse to audit in ").append(String.join("; ", cells)).append(": VD, CRG, feasibility, "
                    + "cosine, overlap, the margins at x'_T and the certificates are undefined there.");
        }
        sb.append("\n\n");
    }

    /** "mean ± std" (percent when asked), "mean" for one value, "n/a" for none. */
    public static String stat(Stat s, boolean percent) {
        double k = percent ? 100 : 1;
        int digits = percent ? 1 : 3;
        if (Double.isNaN(s.mean())) {
            return "n/a";
        }
        return Double.isNaN(s.std()) ? fmt(s.mean() * k, digits)
                : fmt(s.mean() * k, digits) + " ± " + fmt(s.std() * k, digits);
    }

    /** {@return the value with that many decimals, "n/a" when it is not finite} */
    public static String fmt(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "n/a";
    }
}
