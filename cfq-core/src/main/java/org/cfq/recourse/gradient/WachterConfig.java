package org.cfq.recourse.gradient;

/**
 * Settings of the Wachter search.
 *
 * @param step          step size
 * @param costWeight    c, the fixed weight of the cost term
 * @param lambda0       weight of the outcome term in the first round
 * @param lambdaFactor  growth of the outcome weight per round
 * @param rounds        number of rounds
 * @param stepsPerRound gradient steps per round
 * @param refineSteps   bisection steps between the last invalid and the first valid point, keeping
 *                      the valid end (0 = stop exactly at the first valid step)
 */
public record WachterConfig(double step, double costWeight, double lambda0, double lambdaFactor, int rounds,
                            int stepsPerRound, int refineSteps) {
    public WachterConfig {
        if (refineSteps < 0) {
            throw new IllegalArgumentException("refineSteps must be >= 0, got " + refineSteps);
        }
        if (!(step > 0 && step < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("step must be in (0, inf), got " + step);
        }
        if (!(costWeight >= 0 && costWeight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("costWeight must be in [0, inf), got " + costWeight);
        }
        if (!(lambda0 > 0 && lambda0 < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lambda0 must be in (0, inf), got " + lambda0);
        }
        if (!(lambdaFactor >= 1 && lambdaFactor < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lambdaFactor must be in [1, inf), got " + lambdaFactor);
        }
        if (rounds < 1 || stepsPerRound < 1) {
            throw new IllegalArgumentException("rounds and stepsPerRound must be >= 1, got " + rounds + ", "
                    + stepsPerRound);
        }
    }

    /** Step 0.04, c = 0.02, outcome weight 1 doubled each of 8 rounds of 20 steps, 8 bisection steps. */
    public static WachterConfig defaults() {
        return new WachterConfig(0.04, 0.02, 1, 2, 8, 20, 8);
    }

    GradientSearch.Schedule schedule() {
        return new GradientSearch.Schedule(1, 0, step, costWeight, rounds, stepsPerRound, lambda0, lambdaFactor, true, 0,
                GradientSearch.StepRule.GRADIENT, refineSteps);
    }
}
