package org.cfq.report;

import java.util.Locale;
import org.cfq.audit.AuditReport;

/** Renders an {@link AuditReport} as indented plain-text lines for a terminal. */
public final class AuditText {
    private AuditText() {
    }

    /** {@return one line per measure (factuals, accuracy, fidelity, VD, CRG, direction, margins, certificate)} */
    public static String render(AuditReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "  factuals: %d (%s), test rows: %d; recourse: %s, margin %s, sparsity %d%n",
                r.factuals(), r.selection().id(), r.testRows(), r.generator(), fmt(r.request().margin()),
                r.request().sparsity()));
        sb.append(String.format(Locale.ROOT, "  accuracy      teacher %s   student %s%n", pct(r.teacherAccuracy()),
                pct(r.studentAccuracy())));
        sb.append(String.format(Locale.ROOT, "  fidelity      %s   leniency %s (of %d teacher-unfavorable rows)%n",
                pct(r.fidelity().agreement()), pct(r.fidelity().leniency()), r.fidelity().teacherUnfavorable()));
        sb.append(String.format(Locale.ROOT, "  feasible      teacher %s   student %s%n", pct(r.teacherFeasible()),
                pct(r.studentFeasible())));
        sb.append(String.format(Locale.ROOT, "  VD            %s (%d of %d teacher counterfactuals rejected by the student)%n",
                pct(r.validityDrop().value()), r.validityDrop().invalidated(), r.validityDrop().teacherFound()));
        sb.append(String.format(Locale.ROOT, "  CRG           mean %s  median %s  ratio of means %s  mean |gap| %s (%d pairs)%n",
                pct(r.recourseGap().mean()), pct(r.recourseGap().median()), pct(r.recourseGap().ratioOfMeans()),
                fmt(r.recourseGap().meanAbsolute()), r.recourseGap().bothFound()));
        sb.append(String.format(Locale.ROOT, "  direction     cosine %s  action overlap %s%n", fmt(r.direction().cosine()),
                fmt(r.direction().actionOverlap())));
        sb.append(String.format(Locale.ROOT, "  margins at x'_T  teacher median %s, p10 %s; student median %s%n",
                fmt(r.margins().teacherMedian()), fmt(r.margins().teacherP10()), fmt(r.margins().studentMedian())));
        if (r.certificate().available()) {
            sb.append(String.format(Locale.ROOT, "  certificate (sound)   certified %s (%d of %d); VD <= %s%n",
                    pct(r.certificate().certifiedFraction()), r.certificate().certified(), r.certificate().checked(),
                    pct(r.certificate().vdUpperBound())));
        } else {
            sb.append(String.format(Locale.ROOT, "  certificate   unavailable: %s%n", r.certificate().note()));
        }
        sb.append(String.format(Locale.ROOT, "  published diagnostic (NOT sound)  margin > 2 eps at %s, median eps %s%n",
                pct(r.diagnostic().fraction()), fmt(r.diagnostic().medianEpsilon())));
        sb.append(String.format(Locale.ROOT, "  %.1f s%n", r.seconds()));
        return sb.toString();
    }

    /** {@return a share in percent with two decimals, "n/a" when undefined} */
    public static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "n/a";
    }

    /** {@return a number with four decimals, "n/a" when undefined} */
    public static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}
