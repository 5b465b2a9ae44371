package org.cfq.math;

import java.util.SplittableRandom;

/** Standard normal draws from a seeded stream. */
public final class Gaussian {
    private Gaussian() {
    }

    /** {@return one N(0, 1) draw} Box-Muller, one value per call (two uniforms), so the stream stays simple. */
    public static double next(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
