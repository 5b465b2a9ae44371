package org.cfq.report;

import java.util.List;
import java.util.Locale;
import org.cfq.experiment.CellMetrics;
import org.cfq.experiment.CellResult;

/** Renders experiment cells as a short table for a person (what {@code cfq demo} prints), with a legend. */
public final class StudentTable {
    /** What the columns mean. */
    public static final String LEGEND = "VD: share of the teacher's recourse the student no longer honours. CRG: how "
            + "much more the student's own recourse costs (ratio of means - 1). Fidelity: decisions shared with the "
            + "teacher; leniency: teacher rejections the student accepts. Certified: teacher recourse proven to "
            + "survive any weights within the quantization error (sound bound).";

    private StudentTable() {
    }

    /** {@return one row per cell: method, budget, bits, accuracy, fidelity, leniency, VD, CRG, certified} */
    public static String render(List<CellResult> cells) {
        MarkdownTable t = new MarkdownTable(List.of("method", ">budget", ">bits", ">accuracy", ">fidelity",
                ">leniency", ">VD", ">CRG", ">certified"));
        for (CellResult r : cells) {
            String budget = String.format(Locale.ROOT, "%.1f", r.cell().budget());
            if (r.status() != CellResult.Status.OK) {
                t.row(List.of(r.cell().method(), budget, "-", "-", "-", "-", "-", "-",
                        r.status().id() + ": " + r.reason().orElse("")));
                continue;
            }
            CellMetrics m = r.metrics();
            t.row(List.of(r.cell().method(), budget, num(m.studentAverageBits(), "%.2f"),
                    num(m.studentAccuracy(), "%.3f"), pct(m.fidelity()), pct(m.leniency()), pct(m.validityDrop()),
                    pct(m.recourseGapRatioOfMeans()), pct(m.certifiedFraction())));
        }
        return t.render();
    }

    private static String num(double v, String fmt) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : "-";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
    }
}
