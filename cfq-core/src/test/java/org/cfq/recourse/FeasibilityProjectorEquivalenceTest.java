package org.cfq.recourse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.junit.jupiter.api.Test;

/**
 * The table-driven {@link FeasibilityProjector} against the per-feature projection it replaced
 * ({@link ReferenceProjector}): the same bits on random candidates around random factuals, with
 * stepped, grid, ordinal, categorical, binary, immutable and monotone features, consistency
 * rules (live ones, ones tied to an immutable feature, one between two immutable features),
 * with and without the natural domain, with and without a sparsity limit.
 */
class FeasibilityProjectorEquivalenceTest {

    private static FeatureSchema schema() {
        FeatureSchema s = new FeatureSchema("every-kind", List.of(
                FeatureSpec.continuous("income", Actionability.FREE),
                FeatureSpec.continuous("savings", Actionability.INCREASE_ONLY),
                FeatureSpec.integer("age", Actionability.IMMUTABLE),
                FeatureSpec.ordinal("education", List.of("hs", "bsc", "msc", "phd"), Actionability.INCREASE_ONLY),
                FeatureSpec.categorical("job", List.of("a", "b", "c", "d"), Actionability.FREE),
                FeatureSpec.integer("hours", Actionability.DECREASE_ONLY),
                FeatureSpec.binary("owner", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.categorical("region", List.of("n", "s", "e"), Actionability.IMMUTABLE),
                FeatureSpec.integer("kids", Actionability.FREE),
                FeatureSpec.binary("married", List.of("no", "yes"), Actionability.IMMUTABLE),
                FeatureSpec.ordinal("grade", List.of("g0", "g1", "g2"), Actionability.FREE)), "y", "1");
        return s.withNaturalDomain(Map.of(
                        "income", NaturalDomain.numeric(0, 200, 0.5),
                        "education", NaturalDomain.levels(Set.of("phd"), List.of(new NaturalDomain.Transition("hs", "msc"))),
                        "job", NaturalDomain.levels(Set.of("c"), List.of()),
                        "hours", NaturalDomain.numeric(1, 99, 1)),
                List.of(new ConsistencyRule("job", Set.of("a"), "owner", Set.of("yes"), "live rule"),
                        new ConsistencyRule("region", Set.of("n"), "job", Set.of("a", "b"), "tied to an immutable"),
                        new ConsistencyRule("married", Set.of("yes"), "owner", Set.of("yes"), "tied to an immutable"),
                        new ConsistencyRule("region", Set.of("s"), "married", Set.of("no"), "both immutable")));
    }

    private static Encoder encoder(FeatureSchema s) {
        return new Encoder(s, Scaling.STANDARD,
                new double[] {50, 10, 40, 1.5, 0, 40, 0, 0, 1, 0, 1},
                new double[] {30, 7, 10, 1.1, 1, 10, 1, 1, 1.3, 1, 0.8},
                new Range[] {new Range(0, 150), new Range(-5, 60), new Range(18, 90), new Range(0, 3), new Range(0, 3),
                    new Range(1, 99), new Range(0, 1), new Range(0, 2), new Range(0, 6), new Range(0, 1),
                    new Range(0, 2)});
    }

    /** Random rows in model space: numeric values around and beyond the box, levels one-hot or encoded. */
    private static float[] factuals(ActionSpace space, int rows, SplittableRandom rng) {
        int w = space.width();
        float[] x = new float[rows * w];
        Encoder e = space.encoder();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < space.features(); f++) {
                int s = r * w + space.start(f);
                FeatureKind k = space.kind(f);
                int levels = space.levels(f);
                switch (k) {
                    case CATEGORICAL -> x[s + rng.nextInt(levels)] = 1f;
                    case BINARY -> x[s] = rng.nextInt(2);
                    case ORDINAL -> x[s] = e.encodeValue(f, rng.nextInt(levels));
                    case INTEGER -> x[s] = e.encodeValue(f, Math.rint(e.box(f).min() - 2
                            + rng.nextDouble() * (e.box(f).max() - e.box(f).min() + 4)));
                    default -> x[s] = e.encodeValue(f, e.box(f).min() - 5
                            + rng.nextDouble() * (e.box(f).max() - e.box(f).min() + 10));
                }
            }
        }
        return x;
    }

    private static void assertSameProjection(ActionSpace space, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 400;
        int w = space.width();
        float[] x = factuals(space, rows, rng);
        float[] cand = x.clone();
        for (int i = 0; i < cand.length; i++) {
            double u = rng.nextDouble();
            // untouched, tiny (snap), moderate and large moves, so every branch is taken
            cand[i] += u < 0.25 ? 0f : (float) ((rng.nextDouble() * 2 - 1) * (u < 0.4 ? 2e-3 : u < 0.8 ? 0.6 : 3));
        }
        float[] weights = space.l1Weights();
        FeasibilityProjector fast = new FeasibilityProjector(space);
        ReferenceProjector ref = new ReferenceProjector(space);
        int differentFromFactual = 0;
        for (int sparsity : new int[] {0, 1, 2, 4}) {
            float[] a = cand.clone();
            float[] b = cand.clone();
            fast.project(x, a, rows, sparsity, weights);
            ref.project(x, b, rows, sparsity, weights);
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToRawIntBits(a[i]))
                        .as("sparsity %d, row %d, column %d", sparsity, i / w, i % w)
                        .isEqualTo(Float.floatToRawIntBits(b[i]));
            }
            // offsets: rows taken from the middle of both arrays
            float[] a2 = cand.clone();
            float[] b2 = cand.clone();
            fast.project(x, 3 * w, a2, 5 * w, 100, sparsity, weights);
            ref.project(x, 3 * w, b2, 5 * w, 100, sparsity, weights);
            assertThat(a2).isEqualTo(b2);
            // with the factual levels found once (the search's path), from an offset into both
            int[] levels = fast.factualLevels(x, rows);
            int nf = space.features();
            float[] a3 = cand.clone();
            fast.project(x, 3 * w, a3, 5 * w, 100, sparsity, weights, levels, 3 * nf);
            assertThat(a3).isEqualTo(b2);
            float[] a4 = cand.clone();
            fast.project(x, 0, a4, 0, rows, sparsity, weights, levels, 0);
            assertThat(a4).isEqualTo(b);
            // immutable columns already at the factual (the search's relaxed points): not copied again
            float[] a5 = cand.clone();
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < nf; f++) {
                    if (space.actionability(f) == Actionability.IMMUTABLE) {
                        System.arraycopy(x, r * w + space.start(f), a5, r * w + space.start(f), space.span(f));
                    }
                }
            }
            fast.project(x, 0, a5, 0, rows, sparsity, weights, levels, 0, true);
            assertThat(a5).isEqualTo(b);
            for (int i = 0; i < a.length; i++) {
                if (a[i] != x[i]) {
                    differentFromFactual++;
                }
            }
        }
        // the inputs are not trivial: many projected values moved
        assertThat(differentFromFactual).isGreaterThan(rows);
    }

    @Test
    void sameBitsAsThePerFeatureProjectionUnderTheNaturalDomain() {
        ActionSpace space = ActionSpace.of(encoder(schema()));
        assertThat(space.hasNaturalDomain()).isTrue();
        assertThat(space.step(0)).isEqualTo(0.5);
        for (long seed = 1; seed <= 5; seed++) {
            assertSameProjection(space, seed);
        }
    }

    @Test
    void sameBitsAsThePerFeatureProjectionWithoutTheNaturalDomain() {
        ActionSpace space = ActionSpace.of(encoder(schema().withoutNaturalDomain()));
        assertThat(space.hasNaturalDomain()).isFalse();
        for (long seed = 1; seed <= 5; seed++) {
            assertSameProjection(space, seed);
        }
    }

    @Test
    void sameBitsWhenEveryFeatureIsMutable() {
        FeatureSchema s = schema();
        ActionSpace space = ActionSpace.of(encoder(s.withActionability(Map.of("age", Actionability.FREE,
                "region", Actionability.FREE, "married", Actionability.DECREASE_ONLY))));
        for (long seed = 1; seed <= 3; seed++) {
            assertSameProjection(space, seed);
        }
    }
}
