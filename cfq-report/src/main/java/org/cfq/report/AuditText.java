package org.cfq.report;

import java.util.Locale;
import org.cfq.audit.AuditReport;

/** Renders an {@link AuditReport} as indented plain-text lines for a terminal. */
public final class AuditText {
    private AuditText() {
    }

    /**
     * {@return the line before an audit (dataset, factual selection, recourse method) and, when no feature
     * is actionable, why neither model gives recourse}
     */
    public static String start(String dataset, String factuals, String method, boolean anyMutable, String actions) {
        String s = String.format(Locale.ROOT, "cfq audit: %s, %s factuals, %s recourse ...%n", dataset, factuals,
                method);
        return anyMutable ? s : s + String.format(Locale.ROOT, "cfq audit: no actionable feature: every feature of %s "
                + "is immutable under --actions %s, so neither model gives recourse (0 found, reason "
                + "no_actionable_features); VD and CRG are undefined%n", dataset, actions);
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
        AuditReport.NeighbourhoodCertificate nc = r.neighbourhood();
        if (nc.available()) {
            sb.append(String.format(Locale.ROOT, "  certified     %s of teacher counterfactuals (%d of %d) over the "
                            + "neighbourhood (%s); sound VD bound %s; transfer condition (teacher margin > 2 "
                            + "max|z_S - z_T|) %s%n", pct(nc.certifiedFraction()), nc.certified(), nc.checked(),
                    nc.tolerance(), pct(nc.vdUpperBound()), pct(nc.transferFraction())));
        } else {
            sb.append(String.format(Locale.ROOT, "  certified     unavailable: %s%n", nc.note()));
        }
        if (r.certificate().available()) {
            sb.append(String.format(Locale.ROOT, "  weight-box certificate (sound, any network within the per-layer "
                            + "error) certified %s (%d of %d); VD <= %s%n",
                    pct(r.certificate().certifiedFraction()), r.certificate().certified(), r.certificate().checked(),
                    pct(r.certificate().vdUpperBound())));
        } else {
            sb.append(String.format(Locale.ROOT, "  certificate   unavailable: %s%n", r.certificate().note()));
        }
        sb.append(String.format(Locale.ROOT, "  published diagnostic (NOT sound)  margin > 2 eps at %s, median eps %s%n",
                pct(r.diagnostic().fraction()), fmt(r.diagnostic().medianEpsilon())));
        if (r.plausibility() != null) {
            sb.append(String.format(Locale.ROOT, "  plausibility  teacher yNN %s  LOF %s;  student yNN %s  LOF %s (k = 5)%n",
                    fmt(r.plausibility().teacherYnn()), fmt(r.plausibility().teacherLof()),
                    fmt(r.plausibility().studentYnn()), fmt(r.plausibility().studentLof())));
        }
        if (r.factuals() > 0 && r.teacherFound() == 0 && r.studentFound() == 0) {
            sb.append(String.format(Locale.ROOT, "  no recourse found for any factual (see the reason above: "
                    + "no actionable feature, or none valid)%n"));
        }
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
