package org.cfq.report;

import java.util.Arrays;
import java.util.Locale;
import org.cfq.experiment.CfqCheck;

/** Renders a {@link CfqCheck.Report} as plain text for a terminal. */
public final class CfqCheckText {
    private CfqCheckText() {
    }

    /** {@return CFQ's widths, scores and epochs, then one line per baseline} */
    public static String render(CfqCheck.Report rep, String dataset, double budget) {
        CfqCheck.Facts r = rep.facts();
        CfqCheck.StudentScores sc = rep.scores();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cfq on %s: bits %s (average %.3f, budget %s%s)%n", dataset,
                Arrays.toString(r.bitsPerLayer()).replace(" ", ""), r.averageBits(), budget,
                r.withinBudget() ? "" : ", OVER BUDGET"));
        sb.append(String.format(Locale.ROOT, "test accuracy %.4f (teacher %.4f), agreement %.4f, leniency %.4f%n",
                sc.testAccuracy(), rep.teacherAccuracy(), sc.agreementWithTeacher(), sc.leniency()));
        sb.append(String.format(Locale.ROOT, "validity drop %s (%d of %d teacher counterfactuals, %d factuals)%n",
                four(sc.vd()), sc.vdInvalidated(), rep.teacherFeasible(), rep.factuals()));
        sb.append(String.format(Locale.ROOT, "%d epochs (best %d), %.2fs per epoch, %.1fs in all%n", r.epochsRun(),
                r.bestEpoch(), r.secondsPerEpoch(), r.seconds()));
        for (CfqCheck.Baseline n : rep.baselines()) {
            sb.append(String.format(Locale.ROOT, "%s at %s bits: test accuracy %.4f, agreement %.4f, leniency %.4f, "
                    + "validity drop %s%n", n.method(), n.bits(), n.testAccuracy(), n.agreementWithTeacher(),
                    n.leniency(), four(n.vd())));
        }
        return sb.toString();
    }

    /** {@return four decimals, "n/a" when undefined (e.g. a validity drop without teacher counterfactuals)} */
    private static String four(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}
