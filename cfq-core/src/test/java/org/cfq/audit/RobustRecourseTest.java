package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.StepPerturbation;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.robust.VariantEnsemble;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The paper's robust recourse over quantization variants, on a trained synthetic student. */
class RobustRecourseTest {
    private static ActionSpace space;
    private static QuantizedMlp student;
    private static float[] test;
    private static int rows;

    @BeforeAll
    static void setUp() {
        Dataset d = SyntheticCredit.generate(2000, 11);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        space = ActionSpace.of(enc, d.train());
        float[] x = enc.encode(d.train());
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(15).withSeed(3);
        Mlp teacher = new MlpTrainer(tc).train(x, d.train().labels(), enc.encode(d.validation()),
                d.validation().labels()).model();
        student = PostTrainingQuantizer.quantize(teacher, 3, PtqConfig.defaults().withActivationBits(4), x,
                d.train().rows(), new SplittableRandom(5));
        test = enc.encode(d.test());
        rows = Math.min(300, d.test().rows());
    }

    @Test
    void variants_moveEveryStepKeepTheCodesAndRepeatWithTheSeed() {
        List<QuantizedMlp> a = StepPerturbation.variants(student, 5, StepPerturbation.PUBLISHED_SIGMA,
                new SplittableRandom(9));
        List<QuantizedMlp> b = StepPerturbation.variants(student, 5, StepPerturbation.PUBLISHED_SIGMA,
                new SplittableRandom(9));
        assertThat(a).hasSize(5);
        for (int v = 0; v < a.size(); v++) {
            for (int l = 0; l < student.layerCount(); l++) {
                QuantizedLayer s = student.layers().get(l);
                QuantizedLayer p = a.get(v).layers().get(l);
                assertThat(p.codes()).isEqualTo(s.codes());
                assertThat(p.weightQuantizer().params().scales()).isNotEqualTo(s.weightQuantizer().params().scales())
                        .isEqualTo(b.get(v).layers().get(l).weightQuantizer().params().scales());
                float[] ps = p.weightQuantizer().params().scales();
                float[] ss = s.weightQuantizer().params().scales();
                for (int c = 0; c < ps.length; c++) {
                    // sigma 0.03 on the raw parameter moves a step by a few percent at most, never its sign
                    assertThat((double) ps[c]).isPositive().isCloseTo(ss[c], org.assertj.core.data.Percentage
                            .withPercentage(20));
                }
            }
        }
        assertThat(a.get(0).margins(test, 50)).isNotEqualTo(student.margins(test, 50));
    }

    @Test
    void ensemble_worstMarginIsTheSmallestMembersAndItsGradientIsThatMembers() {
        List<QuantizedMlp> members = StepPerturbation.variants(student, 3, 0.05, new SplittableRandom(2));
        VariantEnsemble e = new VariantEnsemble(members, VariantEnsemble.Aggregate.WORST);
        int n = 20;
        int w = student.inputDim();
        float[] m = new float[n];
        float[] g = new float[n * w];
        e.marginsAndGradient(test, n, m, g);
        for (int r = 0; r < n; r++) {
            int arg = 0;
            float min = Float.POSITIVE_INFINITY;
            for (int k = 0; k < members.size(); k++) {
                float mk = members.get(k).margins(java.util.Arrays.copyOfRange(test, r * w, (r + 1) * w), 1)[0];
                if (mk < min) {
                    min = mk;
                    arg = k;
                }
            }
            assertThat(m[r]).isEqualTo(min);
            float[] gk = new float[w];
            members.get(arg).marginsAndGradient(java.util.Arrays.copyOfRange(test, r * w, (r + 1) * w), 1,
                    new float[1], gk);
            assertThat(java.util.Arrays.copyOfRange(g, r * w, (r + 1) * w)).containsExactly(gk);
        }
    }

    @Test
    void ensemble_meanAggregate_givesTheMembersMeanCrossEntropy() {
        List<QuantizedMlp> members = StepPerturbation.variants(student, 4, 0.05, new SplittableRandom(4));
        VariantEnsemble e = new VariantEnsemble(members, VariantEnsemble.Aggregate.MEAN);
        float[] m = e.margins(test, 10);
        for (int r = 0; r < 10; r++) {
            double ce = 0;
            for (QuantizedMlp q : members) {
                ce += Math.log1p(Math.exp(-q.margins(java.util.Arrays.copyOfRange(test, r * student.inputDim(),
                        (r + 1) * student.inputDim()), 1)[0]));
            }
            assertThat(Math.log1p(Math.exp(-m[r]))).isCloseTo(ce / members.size(),
                    org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void evaluate_robustRecourseHoldsOnMoreVariantsThanStandardAndCostsMore() {
        RecourseRequest req = RecourseRequest.defaults().withSparsity(3).withSeed(1);
        RobustRecourse.Report r = RobustRecourse.evaluate(student, test, rows, 0,
                new PgdGenerator(space, PgdConfig.defaults()), req, StepPerturbation.PUBLISHED_VARIANTS,
                StepPerturbation.PUBLISHED_SIGMA, VariantEnsemble.Aggregate.WORST, new SplittableRandom(7));
        assertThat(r.factuals()).isGreaterThan(30);
        assertThat(r.standard().found()).isGreaterThan(r.factuals() / 2);
        // Standard recourse sits at the student's boundary, so some variants reject it; robust recourse
        // is searched on the worst variant, so every robust success is also a nominal one.
        assertThat(r.standard().robustValid()).isLessThan(r.standard().nominalValid());
        assertThat(r.robust().robustValid()).isGreaterThan(r.standard().robustValid());
        assertThat(r.robust().nominalValid()).isGreaterThanOrEqualTo(r.robust().robustValid());
        assertThat(r.robustSuccess(true)).isGreaterThan(r.robustSuccess(false));
        assertThat(r.robust().meanCost()).isGreaterThan(0);
    }
}
