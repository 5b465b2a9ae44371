package org.cfq.recourse;

import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;

/**
 * Hand-set schemas, encoders and linear models whose recourse is computable by hand.
 *
 * <p>{@link #mixed()} has width 9: income(0) savings(1) age(2) education(3) job(4..6) hours(7) owner(8).
 */
public final class TinyRecourse {
    private TinyRecourse() {
    }

    /** Two free continuous features x0, x1, identity scaling, box [-5, 5]. */
    public static Encoder twoContinuous(Actionability a0, Actionability a1) {
        FeatureSchema s = new FeatureSchema("two", List.of(FeatureSpec.continuous("x0", a0),
                FeatureSpec.continuous("x1", a1)), "y", "1");
        return new Encoder(s, Scaling.STANDARD, new double[] {0, 0}, new double[] {1, 1},
                new Range[] {new Range(-5, 5), new Range(-5, 5)});
    }

    /** A schema with every kind and actionability. */
    public static Encoder mixed() {
        FeatureSchema s = new FeatureSchema("mixed", List.of(
                FeatureSpec.continuous("income", Actionability.FREE),
                FeatureSpec.continuous("savings", Actionability.INCREASE_ONLY),
                FeatureSpec.integer("age", Actionability.IMMUTABLE),
                FeatureSpec.ordinal("education", List.of("hs", "bsc", "msc", "phd"), Actionability.INCREASE_ONLY),
                FeatureSpec.categorical("job", List.of("a", "b", "c"), Actionability.FREE),
                FeatureSpec.integer("hours", Actionability.DECREASE_ONLY),
                FeatureSpec.binary("owner", List.of("no", "yes"), Actionability.FREE)), "y", "1");
        return new Encoder(s, Scaling.STANDARD,
                new double[] {0, 0, 40, 1, 0, 40, 0},
                new double[] {1, 1, 10, 1, 1, 10, 1},
                new Range[] {new Range(-3, 3), new Range(-3, 3), new Range(18, 90), new Range(0, 3), new Range(0, 2),
                    new Range(1, 99), new Range(0, 1)});
    }

    /** A logistic model with favorable margin {@code a . x + b} (logit 0 is fixed at 0). */
    public static Mlp linear(float[] a, float b) {
        float[] w = new float[2 * a.length];
        System.arraycopy(a, 0, w, a.length, a.length);
        return new Mlp(List.of(new DenseLayer(a.length, 2, w, new float[] {0f, b})));
    }
}
