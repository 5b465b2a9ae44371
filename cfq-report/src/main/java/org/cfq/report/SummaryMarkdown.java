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
        t.columns().forEach(c -> header.add(">" + c));
        MarkdownTable m = new MarkdownTable(header);
        for (ExperimentSummary.EvaluationLine l : t.lines()) {
            List<String> row = new ArrayList<>(List.of(ExperimentPlan.plain(l.budget()), l.method(), l.label(),
                    Integer.toString(l.n())));
            for (int i = 0; i < t.columns().size(); i++) {
                row.add(stat(l.stats().get(i), false, t.columns().get(i).contains("%") || t.columns().get(i)
                        .contains("(pts)") ? 1 : 3));
            }
            m.row(row);
        }
        sb.append(m.rowCount() == 0 ? "No measured cells.\n" : m.render()).append('\n');
    }

    private static String stat(Stat s, boolean percent, int digits) {
        double k = percent ? 100 : 1;
        if (Double.isNaN(s.mean())) {
            return "n/a";
        }
        return Double.isNaN(s.std()) ? fmt(s.mean() * k, digits)
                : fmt(s.mean() * k, digits) + " ± " + fmt(s.std() * k, digits);
    }

    private static void section(StringBuilder sb, Section sec) {
        sb.append("## ").append(sec.dataset()).append(", recourse margin ").append(ExperimentPlan.plain(sec.margin()))
                .append("\n\n");
        if (sec.teacher().isPresent()) {
            TeacherStats t = sec.teacher().get();
            sb.append("Teacher (one per seed): accuracy ").append(stat(t.accuracy(), true))
                    .append(" %, factuals ").append(stat(t.factuals(), false))
                    .append(", teacher margin at x'_T: median ").append(stat(t.marginMedian(), false))
                    .append(", 10th percentile ").append(stat(t.marginP10(), false))
                    .append("; plausibility of x'_T: yNN ").append(stat(t.ynn(), false)).append(", LOF ")
                    .append(stat(t.lof(), false)).append(".\n\n");
        }
        List<String> header = new ArrayList<>(List.of(">B", "method", ">bits", ">n"));
        for (Metric m : Metric.values()) {
            header.add(">" + m.title());
        }
        MarkdownTable t = new MarkdownTable(header);
        for (Line l : sec.lines()) {
            List<String> line = new ArrayList<>(List.of(ExperimentPlan.plain(l.budget()), l.method(),
                    fmt(l.meanBits(), 2), Integer.toString(l.n())));
            for (Metric m : Metric.values()) {
                line.add(stat(l.stats().get(m), m.share()));
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
            m.row(List.of(ExperimentPlan.plain(l.budget()), l.method(), stat(l.accuracy(), true), stat(l.vd(), true),
                    stat(l.fidelity(), true), stat(l.leniency(), true), stat(l.crgRatio(), true),
                    stat(l.certified(), true)));
        }
        sb.append(m.rowCount() == 0 ? "No CFQ cells measured.\n" : m.render()).append('\n');
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
