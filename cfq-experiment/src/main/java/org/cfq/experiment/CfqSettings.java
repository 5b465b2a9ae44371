package org.cfq.experiment;

import org.cfq.InvalidInputException;
import org.cfq.faithful.CfqConfig;
import org.cfq.recourse.gradient.PgdConfig;

/**
 * The settings only CFQ has, as a user asks for them ({@code cfq quantize --method cfq}): the
 * counterfactual term, the optional hinge and matching, the budget penalty, the exact budget
 * projection and the teacher search; {@link #apply} puts them on a {@link CfqConfig}.
 *
 * @param eta             weight of CE(student(x + d_T), favorable) at the teacher's counterfactuals
 * @param project         choose the final widths by the exact allocator (never above the budget)
 * @param noPact          keep hidden activations in float
 * @param hinge           weight of relu(gamma - margin) at the counterfactuals
 * @param hingeMargin     the hinge's gamma
 * @param match           weight of student-teacher margin matching at the counterfactuals
 * @param pathPoints      matched points on each path from the factual to its counterfactual
 * @param pathSpan        the last fraction of each path the points spread over, in (0, 1]
 * @param pinBoundary     one-sided matching
 * @param teacherSearch   short (the published 3 steps) or full (the audit's pgd, searched once)
 * @param teacherSteps    pgd steps of the teacher search, or null for the search's own
 * @param teacherRestarts restarts of the teacher search, or null for the search's own
 * @param sensitivityInit start the width logits at the mixed method's allocation
 * @param lambda          weight of the budget penalty, or null for the default
 */
public record CfqSettings(double eta, boolean project, boolean noPact, double hinge, double hingeMargin,
                          double match, int pathPoints, double pathSpan, boolean pinBoundary, String teacherSearch,
                          Integer teacherSteps, Integer teacherRestarts, boolean sensitivityInit, Double lambda) {

    /** {@return the config with these settings applied} @throws IllegalArgumentException on a bad value */
    public CfqConfig apply(CfqConfig c) {
        c = c.withEta(eta).withProjection(project).withHinge(hinge, hingeMargin)
                .withPathMatching(match, pathPoints, pathSpan, pinBoundary).withSensitivityInit(sensitivityInit);
        switch (teacherSearch) {
            case "short" -> { }
            case "full" -> c = c.withTeacherSearch(PgdConfig.defaults().withRestarts(1));
            default -> throw new IllegalArgumentException("--teacher-search must be short or full, got " + teacherSearch);
        }
        if (teacherSteps != null || teacherRestarts != null) {
            var pgd = c.search().pgd();
            c = c.withTeacherSteps(teacherSteps != null ? teacherSteps : pgd.steps(),
                    teacherRestarts != null ? teacherRestarts : pgd.restarts());
        }
        if (noPact) {
            c = c.withPact(false, c.quantizers().activationBits());
        }
        return lambda == null ? c : c.withBudgetWeight(lambda);
    }

    /**
     * {@return the config of CFQ's measuring run ({@link CfqCheck}): the budget, distillation, PACT at
     * {@code activationBits}, {@code epochs} when given, then these settings}
     *
     * @throws InvalidInputException naming the CFQ options when a value is out of range
     */
    public CfqConfig check(double bits, double distill, double temperature, int activationBits, Integer epochs) {
        try {
            CfqConfig c = CfqConfig.defaults(bits).withDistillation(distill, temperature)
                    .withPact(true, activationBits);
            if (epochs != null) {
                c = c.withTraining(epochs, c.optimiser().batchSize(), c.optimiser().learningRate());
            }
            return apply(c);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("CFQ options", e.getMessage(), "Fix the option value named above");
        }
    }
}
