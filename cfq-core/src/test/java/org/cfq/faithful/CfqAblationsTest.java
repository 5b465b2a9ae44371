package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.recourse.FeasibilityProjector;
import org.junit.jupiter.api.Test;

/** The paper's student-matching ablation and teacher-quality evaluation in the trainer. */
class CfqAblationsTest {
    private static final CfqFixture F = CfqFixture.SYNTHETIC;
    private static final CfqConfig SHORT = CfqConfig.defaults().withTraining(8, 64, 1e-3);

    private static CfqResult run(CfqConfig c, long seed) {
        return new CfqTrainer(c).train(F.teacher, F.space, F.request,
                EncodedSplits.trainingOnly(F.x, F.y, F.xVal, F.yVal, F.width), new SplittableRandom(seed));
    }

    @Test
    void studentMatch_trainsWithAPositiveTerm_offIsZero() {
        CfqResult r = run(SHORT.withStudentMatch(CfqConfig.StudentMatch.defaults()), 5L);
        assertThat(r.history()).allSatisfy(e -> {
            assertThat(e.studentMatchLoss()).isPositive();
            assertThat(e.counterfactualLoss()).isGreaterThan(e.studentMatchLoss());
        });
        assertThat(r.student().bitsPerLayer()).hasSize(3);
        CfqResult off = run(SHORT, 5L);
        assertThat(off.history()).allSatisfy(e -> assertThat(e.studentMatchLoss()).isZero());
        assertThat(off.student()).isNotEqualTo(r.student());
    }

    @Test
    void studentMatch_sameSeed_sameStudent() {
        CfqConfig c = SHORT.withTraining(2, 64, 1e-3).withStudentMatch(CfqConfig.StudentMatch.defaults());
        assertThat(run(c, 3L).student()).isEqualTo(run(c, 3L).student());
    }

    @Test
    void directionNoise_zeroIsThePlainMethod_positiveIsDeterministicAndDifferent() {
        CfqConfig k1 = SHORT.withTraining(2, 64, 1e-3).withTeacherSteps(1, 3);
        CfqResult plain = run(k1, 7L);
        assertThat(run(k1.withDirectionNoise(0), 7L).student()).isEqualTo(plain.student());
        CfqResult noisy = run(k1.withDirectionNoise(0.05), 7L);
        assertThat(noisy.student()).isNotEqualTo(plain.student());
        assertThat(run(k1.withDirectionNoise(0.05), 7L).student()).isEqualTo(noisy.student());
        assertThat(run(k1.withDirectionNoise(0.05), 8L).student()).isNotEqualTo(noisy.student());
    }

    @Test
    void directionNoise_perturbsMutableColumnsOnlyDeterministicallyAndStaysFeasible() {
        int rows = 20;
        float[] x = Arrays.copyOf(F.xTest, rows * F.width);
        float[] cf = x.clone();
        float[] weights = F.space.l1Weights();
        DirectionNoise noise = new DirectionNoise(F.space, 0.1, F.request.sparsity(), weights);
        float[] a = cf.clone();
        float[] b = cf.clone();
        float[] c = cf.clone();
        noise.apply(a, 0, x, rows, new SplittableRandom(1));
        noise.apply(b, 0, x, rows, new SplittableRandom(1));
        noise.apply(c, 0, x, rows, new SplittableRandom(2));
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(cf);
        int immutable = 0;
        for (int f = 0; f < F.space.features(); f++) {
            if (F.space.mutable(f)) {
                continue;
            }
            immutable++;
            for (int r = 0; r < rows; r++) {
                for (int j = F.space.start(f); j < F.space.start(f) + F.space.span(f); j++) {
                    assertThat(a[r * F.width + j]).isEqualTo(x[r * F.width + j]);
                }
            }
        }
        assertThat(immutable).as("immutable features checked").isPositive();
        // projected: projecting again changes nothing
        float[] again = a.clone();
        new FeasibilityProjector(F.space).project(x, again, rows, F.request.sparsity(), weights);
        assertThat(again).isEqualTo(a);
    }
}
