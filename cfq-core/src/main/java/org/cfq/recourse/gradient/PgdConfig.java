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
 */
public record PgdConfig(int steps, double step, int restarts, double costWeight, double noise, int patience) {
    public PgdConfig {
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

    /** Published defaults: 80 steps, step 0.04, 3 restarts, c = 0.02; noise 0.1; every step run. */
    public static PgdConfig defaults() {
        return new PgdConfig(80, 0.04, 3, 0.02, 0.1, 0);
    }

    /** The short search CFQ runs inside training: 3 steps, step 0.08, 1 restart. */
    public static PgdConfig cfqTraining() {
        return new PgdConfig(3, 0.08, 1, 0.02, 0.1, 0);
    }

    public PgdConfig withSteps(int s) {
        return new PgdConfig(s, step, restarts, costWeight, noise, patience);
    }

    public PgdConfig withRestarts(int r) {
        return new PgdConfig(steps, step, r, costWeight, noise, patience);
    }

    public PgdConfig withPatience(int p) {
        return new PgdConfig(steps, step, restarts, costWeight, noise, p);
    }

    GradientSearch.Schedule schedule() {
        return new GradientSearch.Schedule(restarts, noise, step, costWeight, 1, steps, 1, 1, false, patience);
    }
}
