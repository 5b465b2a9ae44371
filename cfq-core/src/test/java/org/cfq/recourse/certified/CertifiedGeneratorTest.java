package org.cfq.recourse.certified;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.bounds.BoundNetwork;
import org.cfq.bounds.DeployedModel;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.NeighbourhoodSampler;
import org.cfq.bounds.Verifier;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedBounds;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.quant.integer.IntegerMlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on a trained teacher and quantized students (weight-only, and with 4-bit and 3-bit
 * activations, one deployed on the integer engine): the certified generator's counterfactuals
 * are feasible, certified, and valid on every deployed runtime at every densely sampled point
 * of their neighbourhoods; plain pgd recourse is not (the set is a real constraint).
 */
class CertifiedGeneratorTest {
    private static Encoder enc;
    private static ActionSpace space;
    private static Mlp teacher;
    private static DeploymentSet set;
    private static float[] factuals;
    private static int rows;

    @BeforeAll
    static void setUp() {
        Dataset d = SyntheticCredit.generate(2000, 11);
        enc = Encoder.fit(d.train(), Scaling.STANDARD);
        space = ActionSpace.of(enc, d.train());
        float[] x = enc.encode(d.train());
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(15).withSeed(3);
        teacher = new MlpTrainer(tc).train(x, d.train().labels(), enc.encode(d.validation()),
                d.validation().labels()).model();
        QuantizedMlp w4 = PostTrainingQuantizer.quantize(teacher, 4, PtqConfig.defaults(), x, d.train().rows(),
                new SplittableRandom(5));
        QuantizedMlp w4a4 = PostTrainingQuantizer.quantize(teacher, 4, PtqConfig.defaults().withActivationBits(4), x,
                d.train().rows(), new SplittableRandom(5));
        QuantizedMlp w3a3 = PostTrainingQuantizer.quantize(teacher, 3, PtqConfig.defaults().withActivationBits(3), x,
                d.train().rows(), new SplittableRandom(5));
        set = new DeploymentSet(List.of(
                new DeployedModel("teacher", "float", teacher, teacher, BoundNetwork.of(teacher)),
                new DeployedModel("ptq-w4", "fake", w4, w4, QuantizedBounds.network(w4)),
                new DeployedModel("ptq-w4a4", "integer", IntegerMlp.of(w4a4), w4a4, QuantizedBounds.network(w4a4)),
                new DeployedModel("ptq-w3a3", "fake", w3a3, w3a3, QuantizedBounds.network(w3a3))));
        float[] xt = enc.encode(d.test());
        float[] m = teacher.margins(xt, d.test().rows());
        int w = enc.width();
        factuals = new float[d.test().rows() * w];
        for (int r = 0; r < d.test().rows() && rows < 150; r++) {
            if (!(m[r] > 0)) {
                System.arraycopy(xt, r * w, factuals, rows++ * w, w);
            }
        }
        factuals = java.util.Arrays.copyOf(factuals, rows * w);
    }

    @Test
    void generate_quantizedDeploymentSet_everyFoundPointCertifiedFeasibleAndValidOnDenseSamples() {
        Neighbourhood nb = Neighbourhood.defaults(enc);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(3).withSeed(1);
        CertifiedGenerator gen = new CertifiedGenerator(space, set, nb, CertifiedConfig.defaults());
        CertifiedBatch cb = gen.generateCertified(teacher, factuals, rows, req);
        RecourseBatch batch = cb.batch();
        assertThat(batch.size()).isEqualTo(rows);
        assertThat(batch.foundCount()).as("certified rows").isGreaterThan(rows * 8 / 10);

        RecourseValidator.Report report = new RecourseValidator(enc).check(factuals, batch, req, teacher);
        assertThat(report.violations()).isEmpty();
        assertThat(report.invalid()).isZero();

        float[] cfs = batch.counterfactualsOrFactuals(factuals);
        Verifier.Verification v = Verifier.verify(set, nb, factuals, cfs, rows, req.requiredMargin());
        double[] cm = cb.certifiedMargin();
        for (int i = 0; i < rows; i++) {
            if (batch.get(i).found()) {
                assertThat(v.certified(i)).as("row %d", i).isTrue();
                assertThat(cm[i]).isEqualTo(v.certifiedMargin(i));
            } else {
                assertThat(((RecourseResult.NotFound) batch.get(i)).reason())
                        .isIn(RecourseResult.Reason.NOT_CERTIFIED, RecourseResult.Reason.BUDGET_EXHAUSTED);
            }
        }
        long[] sampled = NeighbourhoodSampler.countInvalid(set, nb, factuals, cfs, batch.foundMask(),
                req.requiredMargin(), 40, 9);
        assertThat(sampled[1]).as("sampled (point, model) pairs").isGreaterThan(1000L * set.size());
        assertThat(sampled[0]).as("invalid sampled pairs").isZero();
    }

    @Test
    void verify_plainPgdRecourse_isNotCertifiedEverywhere() {
        Neighbourhood nb = Neighbourhood.defaults(enc);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(3).withSeed(1);
        RecourseBatch pgd = new PgdGenerator(space, PgdConfig.defaults()).generate(teacher, factuals, rows, req);
        float[] cfs = pgd.counterfactualsOrFactuals(factuals);
        Verifier.Verification v = Verifier.verify(set, nb, factuals, cfs, rows, 0);
        assertThat(pgd.foundCount()).isGreaterThan(rows / 2);
        assertThat(v.certifiedCount()).as("the deployment set must constrain recourse")
                .isLessThan(pgd.foundCount());
    }

    @Test
    void neighbourhood_changedIntegerFeature_boxCoversOneUnitEachWay() {
        Neighbourhood nb = Neighbourhood.defaults(enc);
        int w = enc.width();
        float[] x = java.util.Arrays.copyOf(factuals, w);
        float[] cf = x.clone();
        int income = enc.schema().indexOf("income");
        int col = enc.layout().slot(income).start();
        double v = enc.decodeValue(income, x[col]) + 10;
        cf[col] = enc.encodeValue(income, v);
        float[] lo = new float[w];
        float[] hi = new float[w];
        nb.box(x, 0, cf, 0, lo, hi, 0);
        assertThat((double) lo[col]).isLessThanOrEqualTo(enc.encodeValue(income, v - 1));
        assertThat((double) hi[col]).isGreaterThanOrEqualTo(enc.encodeValue(income, v + 1));
        assertThat(enc.decodeValue(income, hi[col]) - enc.decodeValue(income, lo[col])).isLessThan(2.01);
        for (int j = 0; j < w; j++) {
            if (j != col) {
                assertThat(lo[j]).isEqualTo(cf[j]);
                assertThat(hi[j]).isEqualTo(cf[j]);
            }
        }
    }
}
