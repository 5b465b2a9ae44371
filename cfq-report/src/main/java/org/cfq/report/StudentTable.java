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
            + "teacher; leniency: teacher rejections the student accepts. Certified: teacher recourse proven (sound "
            + "bound) to stay valid on the student for every point within one step of each changed feature. "
            + "Transfer: the paper's transfer condition made sound (teacher margin > 2 x a bound on |z_S - z_T|). "
            + "Weight box: proven for every network within the per-layer quantization error (near 0 on trained "
            + "networks; kept for comparison).";

    private StudentTable() {
    }

    /**
     * {@return one row per cell: method, budget, bits, accuracy, fidelity, leniency, VD, CRG, and the three
     * sound certificates (neighbourhood, transfer, weight box)}
     */
    public static String render(List<CellResult> cells) {
        MarkdownTable t = new MarkdownTable(List.of("method", ">budget", ">bits", ">accuracy", ">fidelity",
                ">leniency", ">VD", ">CRG", ">certified", ">transfer", ">weight box"));
        for (CellResult r : cells) {
            String budget = String.format(Locale.ROOT, "%.1f", r.cell().budget());
            if (r.status() != CellResult.Status.OK) {
                t.row(List.of(r.cell().method(), budget, "-", "-", "-", "-", "-", "-", "-", "-",
                        r.status().id() + ": " + r.reason().orElse("")));
                continue;
            }
            CellMetrics m = r.metrics();
            t.row(List.of(r.cell().method(), budget, num(m.studentAverageBits(), "%.2f"),
                    num(m.studentAccuracy(), "%.3f"), pct(m.fidelity()), pct(m.leniency()), pct(m.validityDrop()),
                    pct(m.recourseGapRatioOfMeans()), pct(m.certifiedFraction()),
                    pct(m.transferCertifiedFraction()), pct(m.weightBoxCertifiedFraction())));
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
