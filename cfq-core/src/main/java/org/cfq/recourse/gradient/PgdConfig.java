package org.cfq.recourse.gradient;

/**
 * Settings of the published pgd solver.
 *
 * @param steps      gradient steps per restart
 * @param step       step size (standardized units per unit gradient)
 * @param restarts   restarts; the first from d = 0, the others from seeded noise
 * @param costWeight c, the weight of the cost term
 * @param noise      half-width of the uniform restart noise, standardized units
 * @param patience   a restart that holds a valid point stops after this many steps without a
 *                   cheaper one (0 = run every step, exactly the published loop)
 * @param rule       how the outcome gradient becomes a step
 * @param escalationRounds  rounds of {@value #ESCALATION_STEPS} more steps, outcome weight doubling from 2, for
 *                   the instances the published loop left without a valid point (0 = the published loop alone);
 *                   instances that succeed in the published loop are not affected
 */
public record PgdConfig(int steps, double step, int restarts, double costWeight, double noise, int patience,
                        GradientSearch.StepRule rule, int escalationRounds) {
    /** Steps per escalation round. */
    public static final int ESCALATION_STEPS = 40;

    public PgdConfig {
        java.util.Objects.requireNonNull(rule, "rule");
        if (escalationRounds < 0) {
            throw new IllegalArgumentException("escalationRounds must be >= 0, got " + escalationRounds);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (!(step > 0 && step < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("step must be in (0, inf), got " + step);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
        }
        if (!(costWeight >= 0 && costWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("costWeight must be in [0, inf), got " + costWeight);
        }
        if (!(noise >= 0 && noise < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("noise must be in [0, inf), got " + noise);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
    }

    /**
     * The published settings (80 steps, step 0.04, 3 restarts, c = 0.02; noise 0.1) with two
     * additions: a restart that holds a valid point leaves the batch after 10 steps without a
     * cheaper one (on Adult: mean cost +0.1%, a fifth of the model work), and 8 escalation rounds
     * for the instances the loop leaves without recourse.
     */
    public static PgdConfig defaults() {
        return new PgdConfig(80, 0.04, 3, 0.02, 0.1, 10, GradientSearch.StepRule.GRADIENT, 8);
    }

    /** Exactly the published loop: every step of every restart runs, no escalation. */
    public static PgdConfig published() {
        return new PgdConfig(80, 0.04, 3, 0.02, 0.1, 0, GradientSearch.StepRule.GRADIENT, 0);
    }

    /** The short search CFQ runs inside training: 3 steps, step 0.08, 1 restart, no escalation. */
    public static PgdConfig cfqTraining() {
        return new PgdConfig(3, 0.08, 1, 0.02, 0.1, 0, GradientSearch.StepRule.GRADIENT, 0);
    }

    public PgdConfig withSteps(int s) {
        return new PgdConfig(s, step, restarts, costWeight, noise, patience, rule, escalationRounds);
    }

    public PgdConfig withRestarts(int r) {
        return new PgdConfig(steps, step, r, costWeight, noise, patience, rule, escalationRounds);
    }

    public PgdConfig withPatience(int p) {
        return new PgdConfig(steps, step, restarts, costWeight, noise, p, rule, escalationRounds);
    }

    public PgdConfig withRule(GradientSearch.StepRule r) {
        return new PgdConfig(steps, step, restarts, costWeight, noise, patience, r, escalationRounds);
    }

    public PgdConfig withEscalationRounds(int e) {
        return new PgdConfig(steps, step, restarts, costWeight, noise, patience, rule, e);
    }

    /** The escalation schedule: one start from d = 0, outcome weight 2, 4, 8, ... per round. */
    GradientSearch.Schedule escalation() {
        return new GradientSearch.Schedule(1, noise, step, costWeight, escalationRounds, ESCALATION_STEPS, 2, 2, false,
                patience, rule, 0);
    }

    GradientSearch.Schedule schedule() {
        return new GradientSearch.Schedule(restarts, noise, step, costWeight, 1, steps, 1, 1, false, patience, rule, 0);
    }
}
