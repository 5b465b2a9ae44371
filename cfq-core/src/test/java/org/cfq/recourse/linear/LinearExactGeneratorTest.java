package org.cfq.recourse.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.encode.Encoder;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.TinyRecourse;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.junit.jupiter.api.Test;

class LinearExactGeneratorTest {
    private static final int W = 9;
    private final Encoder enc = TinyRecourse.mixed();
    private final ActionSpace space = ActionSpace.of(enc);

    @Test
    void generate_twoContinuous_movesTheBestRatioFeatureOnly() {
        // margin = 2 x0 + x1 - 2: x0 has gain/cost 2 vs 1, so the optimum is x0 = 1 + SLACK/2, cost ~1.
        Mlp m = TinyRecourse.linear(new float[] {2f, 1f}, -2f);
        RecourseBatch b = new LinearExactGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE))).generate(m, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        assertThat(f.cost()).isCloseTo(1.000005, within(1e-6));
        assertThat(f.counterfactual()[1]).isEqualTo(0f);
    }

    @Test
    void generate_x0CappedByBox_fillsTheRestWithX1() {
        // margin = 2 x0 + x1 - 12: x0 stops at the box edge 5 (gain 10, cost 5), x1 adds 2 (+SLACK).
        Mlp m = TinyRecourse.linear(new float[] {2f, 1f}, -12f);
        RecourseBatch b = new LinearExactGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE))).generate(m, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        RecourseResult.Found f = (RecourseResult.Found) b.get(0);
        assertThat(f.counterfactual()[0]).isEqualTo(5f);
        assertThat((double) f.counterfactual()[1]).isCloseTo(2.00001, within(1e-6));
        assertThat(f.cost()).isCloseTo(7.00001, within(1e-6));
    }

    @Test
    void generate_unreachable_reportsProvenInfeasible() {
        Mlp m = TinyRecourse.linear(new float[] {1f, 1f}, -20f);
        RecourseBatch b = new LinearExactGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE))).generate(m, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        assertThat(b.get(0)).isEqualTo(new RecourseResult.NotFound(RecourseResult.Reason.PROVEN_INFEASIBLE));
    }

    @Test
    void generate_hiddenLayer_reportsUnsupportedModel() {
        Mlp deep = new Mlp(List.of(DenseLayer.zeros(2, 3), DenseLayer.zeros(3, 2)));
        RecourseBatch b = new LinearExactGenerator(ActionSpace.of(TinyRecourse.twoContinuous(Actionability.FREE,
                Actionability.FREE))).generate(deep, new float[] {0f, 0f}, 1, RecourseRequest.defaults());
        assertThat(b.get(0)).isEqualTo(new RecourseResult.NotFound(RecourseResult.Reason.UNSUPPORTED_MODEL));
    }

    @Test
    void generate_l2Cost_isRejectedNamingTheCost() {
        Mlp m = TinyRecourse.linear(new float[] {1f, 1f}, -1f);
        LinearExactGenerator g = new LinearExactGenerator(ActionSpace.of(TinyRecourse.twoContinuous(
                Actionability.FREE, Actionability.FREE)));
        assertThatThrownBy(() -> g.generate(m, new float[] {0f, 0f}, 1, RecourseRequest.defaults()
                .withCost(CostKind.L2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2");
    }

    @Test
    void generate_randomLinearModels_matchesBruteForce() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            float[] a = randomCoefficients(rng);
            float b = (float) (-1 - rng.nextDouble() * 5);
            float[] x = randomFactual(rng);
            int k = trial % 3 == 0 ? 0 : 1 + trial % 3; // 0 (no limit), 2, 3
            RecourseRequest req = RecourseRequest.defaults().withSparsity(k);
            RecourseResult r = new LinearExactGenerator(space).generate(TinyRecourse.linear(a, b), x, 1, req).get(0);
            double brute = bruteForce(a, b + 0.0, x, k);
            if (Double.isInfinite(brute)) {
                assertThat(r).as("trial %d", trial).isInstanceOf(RecourseResult.NotFound.class);
            } else {
                assertThat(r).as("trial %d", trial).isInstanceOf(RecourseResult.Found.class);
                assertThat(((RecourseResult.Found) r).cost()).as("trial %d", trial).isCloseTo(brute, within(2e-4));
                RecourseBatch one = RecourseBatch.of(W, new RecourseResult[] {r});
                assertThat(new RecourseValidator(enc).check(x, one, req, TinyRecourse.linear(a, b)).violations())
                        .isEmpty();
            }
        }
    }

    @Test
    void generate_logisticTeacher_neverCostlierThanPgd() {
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 40;
        for (int trial = 0; trial < 10; trial++) {
            float[] a = randomCoefficients(rng);
            Mlp m = TinyRecourse.linear(a, (float) (-1 - rng.nextDouble() * 3));
            float[] x = new float[rows * W];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(randomFactual(rng), 0, x, r * W, W);
            }
            RecourseRequest req = RecourseRequest.defaults().withSparsity(trial % 2 == 0 ? 0 : 3);
            RecourseBatch exact = new LinearExactGenerator(space).generate(m, x, rows, req);
            RecourseBatch pgd = new PgdGenerator(space, PgdConfig.defaults()).generate(m, x, rows, req);
            for (int r = 0; r < rows; r++) {
                if (pgd.get(r) instanceof RecourseResult.Found p) {
                    assertThat(exact.get(r)).isInstanceOf(RecourseResult.Found.class);
                    // exact aims at margin SLACK = 1e-5 above the threshold; pgd may stop just above 0,
                    // so it can be cheaper by at most SLACK / (smallest gain per unit cost used), far below 1e-4.
                    assertThat(((RecourseResult.Found) exact.get(r)).cost()).isLessThanOrEqualTo(p.cost() + 1e-4);
                }
            }
        }
    }

    private static float[] randomCoefficients(SplittableRandom rng) {
        float[] a = new float[W];
        for (int j = 0; j < W; j++) {
            a[j] = (float) (rng.nextDouble() * 4 - 2);
        }
        return a;
    }

    /** income, savings in [-1, 1]; age 20..69; education level; job; hours 10..69; owner. */
    private static float[] randomFactual(SplittableRandom rng) {
        float[] x = new float[W];
        x[0] = (float) (rng.nextDouble() * 2 - 1);
        x[1] = (float) (rng.nextDouble() * 2 - 1);
        x[2] = (float) ((20 + rng.nextInt(50) - 40) / 10.0);
        x[3] = rng.nextInt(4) - 1;
        x[4 + rng.nextInt(3)] = 1f;
        x[7] = (float) ((10 + rng.nextInt(60) - 40) / 10.0);
        x[8] = rng.nextInt(2);
        return x;
    }

    /**
     * Enumerates every education level (>= factual), job level, hours value (1..factual, decrease-only)
     * and owner value; the two continuous features fill the rest, each in its helpful direction:
     * income within [-3, 3] (free), savings up to 3 (increase-only). Costs: 1 per standardized unit,
     * 1 per group or binary change.
     */
    private static double bruteForce(float[] a, double b, float[] x, int k) {
        int e0 = Math.round(x[3] + 1);
        int job0 = x[4] == 1f ? 0 : x[5] == 1f ? 1 : 2;
        int h0 = Math.round(x[7] * 10 + 40);
        int o0 = Math.round(x[8]);
        double fixed = b + a[0] * x[0] + a[1] * x[1] + a[2] * x[2];
        double target = LinearExactGenerator.SLACK;
        double best = Double.POSITIVE_INFINITY;
        for (int e = e0; e <= 3; e++) {
            for (int job = 0; job < 3; job++) {
                for (int h = 1; h <= h0; h++) {
                    for (int o = 0; o <= 1; o++) {
                        double m = fixed + a[3] * (e - 1) + a[4 + job] + a[7] * (h - 40) / 10.0 + a[8] * o;
                        double c = (e - e0) + (job != job0 ? 1 : 0) + (h0 - h) / 10.0 + (o != o0 ? 1 : 0);
                        int used = (e != e0 ? 1 : 0) + (job != job0 ? 1 : 0) + (h != h0 ? 1 : 0) + (o != o0 ? 1 : 0);
                        if (k > 0 && used > k) {
                            continue;
                        }
                        int freeSlots = k > 0 ? k - used : 2;
                        double rest = target - m;
                        double add = continuousCost(a, x, rest, freeSlots);
                        best = Math.min(best, c + add);
                    }
                }
            }
        }
        return best;
    }

    private static double continuousCost(float[] a, float[] x, double rest, int slots) {
        if (rest <= 0) {
            return 0;
        }
        // capacities in the helpful direction
        double g0 = Math.abs(a[0]);
        double u0 = a[0] >= 0 ? 3 - x[0] : x[0] + 3;
        double g1 = a[1] > 0 ? a[1] : 0;
        double u1 = 3 - x[1];
        double best = Double.POSITIVE_INFINITY;
        if (slots >= 1) {
            if (g0 * u0 >= rest) {
                best = Math.min(best, rest / g0);
            }
            if (g1 > 0 && g1 * u1 >= rest) {
                best = Math.min(best, rest / g1);
            }
        }
        if (slots >= 2 && g1 > 0 && g0 * u0 + g1 * u1 >= rest) {
            double hi = Math.max(g0, g1) == g0 ? g0 : g1;
            double hiCap = hi == g0 ? u0 : u1;
            double lo = hi == g0 ? g1 : g0;
            double c = Math.min(hiCap, rest / hi);
            double r2 = rest - hi * c;
            best = Math.min(best, c + (r2 > 0 ? r2 / lo : 0));
        }
        return best;
    }
}
