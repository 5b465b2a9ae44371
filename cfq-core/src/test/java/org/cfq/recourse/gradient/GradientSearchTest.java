package org.cfq.recourse.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.encode.Encoder;
import org.cfq.math.Parallelism;
import org.cfq.model.DenseLayer;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.TinyRecourse;
import org.junit.jupiter.api.Test;

class GradientSearchTest {
    private static final int ROWS = 150;
    /** 150 rows x 3 restarts in chunks of 7: 65 chunks, the last one short. */
    private static final int SMALL_CHUNK = 7;

    private final Encoder enc = TinyRecourse.mixed();
    private final ActionSpace space = ActionSpace.of(enc);
    // A nonlinear teacher, so rows leave the batch at different steps and compaction reshuffles chunks.
    private final Mlp teacher = Mlp.initialize(9, new int[] {16, 8}, new SplittableRandom(11));

    /** Mixed-schema factuals drawn from a fixed seed (the same layout as the pgd batch test). */
    private static float[] factuals(int rows) {
        float[] x = new float[rows * 9];
        SplittableRandom rng = new SplittableRandom(5);
        for (int r = 0; r < rows; r++) {
            int o = r * 9;
            x[o] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 1] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 2] = (float) ((20 + rng.nextInt(50) - 40) / 10.0);
            x[o + 3] = (float) (rng.nextInt(4) - 1);
            x[o + 4 + rng.nextInt(3)] = 1f;
            x[o + 7] = (float) ((10 + rng.nextInt(60) - 40) / 10.0);
            x[o + 8] = rng.nextInt(2);
        }
        return x;
    }

    private GradientSearch.Outcome search(DifferentiableClassifier m, int threads, int chunk,
                                          GradientSearch.Schedule sch) {
        return new GradientSearch(space, Parallelism.of(threads), chunk)
                .run(m, factuals(ROWS), ROWS, RecourseRequest.defaults().withSparsity(2), sch);
    }

    private void assertSameOutcome(GradientSearch.Outcome a, GradientSearch.Outcome b) {
        assertThat(b.flops()).isEqualTo(a.flops());
        assertSamePoints(a, b);
    }

    /** Same points, costs and margins (an opaque model counts no flops). */
    private void assertSamePoints(GradientSearch.Outcome a, GradientSearch.Outcome b) {
        assertThat(b.points()).containsExactly(a.points());
        assertThat(b.cost()).containsExactly(a.cost());
        assertThat(b.margin()).containsExactly(a.margin());
        RecourseBatch ra = Outcomes.cheapestPerInstance(space, factuals(ROWS), a);
        RecourseBatch rb = Outcomes.cheapestPerInstance(space, factuals(ROWS), b);
        assertThat(rb).isEqualTo(ra);
    }

    @Test
    void run_pgdManyChunksOnTwoThreads_matchesOneThreadBitForBit() {
        GradientSearch.Schedule sch = PgdConfig.defaults().schedule();
        GradientSearch.Outcome one = search(teacher, 1, SMALL_CHUNK, sch);
        GradientSearch.Outcome two = search(teacher, 2, SMALL_CHUNK, sch);
        // the comparison must cover a real search: most rows found, some not at zero cost
        long found = java.util.stream.IntStream.range(0, ROWS * sch.restarts()).filter(one::found).count();
        assertThat(found).isGreaterThan(ROWS);
        assertSameOutcome(one, two);
    }

    @Test
    void run_pgdWithPatienceOnTwoThreads_matchesOneThreadBitForBit() {
        // patience makes rows leave the active set mid-run, so later steps' chunks hold other rows
        GradientSearch.Schedule sch = PgdConfig.defaults().withRestarts(2).schedule();
        GradientSearch.Schedule patient = new GradientSearch.Schedule(sch.restarts(), sch.noise(), sch.step(),
                sch.costWeight(), 1, sch.stepsPerRound(), 1, 1, false, 5, sch.rule(), 0);
        assertSameOutcome(search(teacher, 1, SMALL_CHUNK, patient), search(teacher, 2, SMALL_CHUNK, patient));
    }

    @Test
    void run_wachterWithRefinementOnTwoThreads_matchesOneThreadBitForBit() {
        GradientSearch.Schedule sch = WachterConfig.defaults().schedule();
        assertThat(sch.refineSteps()).isPositive();
        assertSameOutcome(search(teacher, 1, SMALL_CHUNK, sch), search(teacher, 2, SMALL_CHUNK, sch));
    }

    @Test
    void run_smallChunksOnOneThread_matchesOneWholeChunk() {
        GradientSearch.Schedule sch = PgdConfig.defaults().schedule();
        assertSameOutcome(search(teacher, 1, GradientSearch.CHUNK_ROWS, sch), search(teacher, 1, SMALL_CHUNK, sch));
    }

    @Test
    void run_quantizedStudentOnTwoThreads_matchesOneThreadBitForBit() {
        MinMaxCalibrator c = new MinMaxCalibrator();
        List<QuantizedLayer> q = new ArrayList<>();
        for (DenseLayer l : teacher.layers()) {
            q.add(QuantizedLayer.quantize(l, c.weightQuantizer(l.weight(), l.out(), QuantSpec.weights(4)), null));
        }
        QuantizedMlp student = new QuantizedMlp(q);
        GradientSearch.Schedule pgd = PgdConfig.defaults().schedule();
        GradientSearch.Outcome one = search(student, 1, SMALL_CHUNK, pgd);
        assertThat(one.found(0) || one.found(1)).isTrue();
        assertSameOutcome(one, search(student, 2, SMALL_CHUNK, pgd));
        GradientSearch.Schedule wachter = WachterConfig.defaults().schedule();
        assertSameOutcome(search(student, 1, SMALL_CHUNK, wachter), search(student, 2, SMALL_CHUNK, wachter));
    }

    @Test
    void generate_generatorsWithOneAndTwoThreads_giveEqualBatches() {
        float[] x = factuals(ROWS);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(2);
        assertThat(new PgdGenerator(space, PgdConfig.defaults(), Parallelism.of(2)).generate(teacher, x, ROWS, req))
                .isEqualTo(new PgdGenerator(space, PgdConfig.defaults(), Parallelism.single())
                        .generate(teacher, x, ROWS, req));
        assertThat(new WachterGenerator(space, WachterConfig.defaults(), Parallelism.of(2))
                .generate(teacher, x, ROWS, req))
                .isEqualTo(new WachterGenerator(space, WachterConfig.defaults(), Parallelism.single())
                        .generate(teacher, x, ROWS, req));
    }

    /** The same network seen only through the interface: the oracle's generic dense path. */
    private static DifferentiableClassifier opaque(Mlp m) {
        return new DifferentiableClassifier() {
            @Override
            public int inputDim() {
                return m.inputDim();
            }

            @Override
            public void logits(float[] x, int rows, float[] out) {
                m.logits(x, rows, out);
            }

            @Override
            public void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx) {
                m.logitsAndInputGradient(x, rows, dLogits, logits, dx);
            }
        };
    }

    @Test
    void run_mlpOnTheFrozenSparsePath_matchesTheDenseMlpPassesBitForBit() {
        // 40 and 24 hidden units: vector groups with an overlapping last vector; the 2-logit layer dense
        Mlp wide = Mlp.initialize(9, new int[] {40, 24}, new SplittableRandom(3));
        for (Mlp m : List.of(teacher, wide)) {
            for (GradientSearch.Schedule sch : List.of(PgdConfig.published().schedule(), PgdConfig.defaults().schedule(),
                    PgdConfig.defaults().withRule(GradientSearch.StepRule.NORMALIZED).schedule(),
                    WachterConfig.defaults().schedule())) {
                GradientSearch.Outcome fast = search(m, 2, SMALL_CHUNK, sch);
                long found = java.util.stream.IntStream.range(0, ROWS * sch.restarts()).filter(fast::found).count();
                assertThat(found).isGreaterThan(ROWS / 2);
                assertSamePoints(search(opaque(m), 1, SMALL_CHUNK, sch), fast);
            }
        }
    }

    @Test
    void new_chunkRowsZero_failsNamingTheValue() {
        assertThatThrownBy(() -> new GradientSearch(space, Parallelism.single(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkRows must be >= 1, got 0");
    }
}
