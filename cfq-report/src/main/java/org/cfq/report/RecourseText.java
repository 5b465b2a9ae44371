package org.cfq.report;

import java.util.Locale;
import org.cfq.bounds.DeployedModel;
import org.cfq.experiment.RecourseRun;

/** Renders a finished {@link RecourseRun} ({@code cfq recourse}) as plain-text lines for a terminal. */
public final class RecourseText {
    private RecourseText() {
    }

    /**
     * {@return the lines before a search: the method, the rows, the dataset, actions and sparsity; and,
     * when no feature is actionable, why no counterfactual will be advised}
     */
    public static String start(RecourseRun run, String method, String dataset, String actions, int sparsity) {
        String s = String.format(Locale.ROOT, "cfq recourse: %s on %d unfavorable test instances of %s (actions %s, "
                + "sparsity %d)%n", method, run.rows(), dataset, actions, sparsity);
        return run.space().anyMutable() ? s : s + String.format(Locale.ROOT, "cfq recourse: no actionable feature: "
                + "every feature of %s is immutable under --actions %s, so no counterfactual is advised (0 found, "
                + "reason no_actionable_features)%n", dataset, actions);
    }

    /**
     * {@return the certified summary (after a certified run), the found rate, costs, plausibility and
     * timing, and the first five constraint violations}
     *
     * @param method  the method's name
     * @param actions the action set in force, for the line when no feature is actionable
     */
    public static String render(RecourseRun run, String method, String actions) {
        StringBuilder sb = new StringBuilder();
        RecourseRun.Certified c = run.certified();
        if (c != null) {
            sb.append(String.format(Locale.ROOT, "certified for %d models %s: %d of %d rows with pgd recourse "
                            + "(%.1f%%), mean cost %.4f vs pgd %.4f on the same rows (premium %.1f%%), "
                            + "search %.2f s, verifier %.2f s%n", c.set().size(),
                    c.set().models().stream().map(DeployedModel::label).toList(),
                    c.certifiedOfPgd(), c.pgdFound(), 100.0 * c.certifiedOfPgd() / Math.max(1, c.pgdFound()),
                    c.meanCostCertified(), c.meanCostPgd(), 100 * c.pricePremium(), c.batch().searchSeconds(),
                    c.batch().verifySeconds()));
        }
        if (!run.space().anyMutable()) {
            sb.append(String.format("%s: no actionable feature under --actions %s: found 0 of %d (reason: no "
                    + "actionable feature)%n", method, actions, run.rows()));
        }
        sb.append(String.format("%s: found %d of %d (%.1f%%), mean cost %.4f, mean changed features %.2f, "
                        + "constraint violations %d, median margin %.4f, mean yNN %.3f, mean LOF %.3f, "
                        + "%.2f s (%.0f instances/s)%n",
                method, run.batch().foundCount(), run.rows(), 100 * run.batch().foundRate(), run.batch().meanCost(),
                run.batch().meanChangedFeatures(), run.report().violations().size(), run.batch().medianMargin(),
                run.plausibility()[0], run.plausibility()[1], run.seconds(),
                run.seconds() > 0 ? run.rows() / run.seconds() : 0));
        run.report().violations().stream().limit(5).forEach(v -> sb.append(String.format(
                "  violation: row %d %s %s: %s%n", v.row(), v.feature(), v.rule(), v.detail())));
        return sb.toString();
    }
}
