package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.OutputCalibration;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.MixedPtq;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.model.Scores;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class RecourseAwareTrainingTest {
    private static final CfqFixture F = CfqFixture.SYNTHETIC;
    private static final TrainingConfig TC = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(8)
            .withBatchSize(64).withLearningRate(3e-3);

    @Test
    void symmetricKl_gradients_matchCentralDifferences() {
        double h = 1e-5;
        double[] g = RecourseAwareTraining.symmetricKlGradients(0.7, -1.3);
        double da = (RecourseAwareTraining.symmetricKlGradients(0.7 + h, -1.3)[0]
                - RecourseAwareTraining.symmetricKlGradients(0.7 - h, -1.3)[0]) / (2 * h);
        double db = (RecourseAwareTraining.symmetricKlGradients(0.7, -1.3 + h)[0]
                - RecourseAwareTraining.symmetricKlGradients(0.7, -1.3 - h)[0]) / (2 * h);
        assertThat(g[1]).isCloseTo(da, within(1e-6));
        assertThat(g[2]).isCloseTo(db, within(1e-6));
        assertThat(RecourseAwareTraining.symmetricKlGradients(0.4, 0.4)[0]).isZero();
    }

    @Test
    void margin_trainsAnAccurateModelWhoseHingeSawItsOwnRecoursePoints() {
        RecourseAwareTraining.Margin m = RecourseAwareTraining.margin(TC, F.space, F.request, F.x, F.y, F.xVal,
                F.yVal, new SplittableRandom(4));
        Mlp net = m.result().model();
        assertThat(Scores.accuracy(net, F.xVal, F.yVal)).isGreaterThan(0.8);
        assertThat(m.recoursePoints()).isPositive();
        assertThat(m.hingeActive()).isPositive().isLessThanOrEqualTo(m.recoursePoints());
        // the points are the model's own recourse (valid on it at the end of the search): the hinge only ever
        // saw points that the in-loop pgd found favorable, so its mean margin there is positive
        assertThat(meanMarginAtOwnRecourse(net)).isPositive();
    }

    @Test
    void consistency_trainsTwoPeersThatDifferButAgreeMostly() {
        RecourseAwareTraining.Peers p = RecourseAwareTraining.consistency(TC, F.space, F.request, F.x, F.y, F.xVal,
                F.yVal, new SplittableRandom(5));
        Mlp a = p.first().model();
        Mlp b = p.second();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.layers().get(0).weight()).isNotEqualTo(b.layers().get(0).weight());
        assertThat(p.recoursePoints()).isPositive();
        assertThat(Scores.accuracy(a, F.xVal, F.yVal)).isGreaterThan(0.8);
        assertThat(Scores.accuracy(b, F.xVal, F.yVal)).isGreaterThan(0.8);
        float[] ma = a.margins(F.xTest, F.yTest.length);
        float[] mb = b.margins(F.xTest, F.yTest.length);
        int differ = 0;
        for (int i = 0; i < ma.length; i++) {
            differ += (ma[i] > 0) != (mb[i] > 0) ? 1 : 0;
        }
        assertThat(ma).isNotEqualTo(mb);
        assertThat((double) differ / ma.length).isLessThan(0.15);
    }

    @Test
    void cfPtq_calibratesOnTheTeachersRecoursePointsToo() {
        int rows = F.yVal.length;
        CounterfactualPtq.Result r = CounterfactualPtq.quantize(F.teacher, BitBudget.of(3),
                MixedPtq.Allocation.EXACT, new OutputCalibration.Config(2, 128, 5e-3, true), F.space, F.request,
                F.xVal, F.yVal, rows, new SplittableRandom(6));
        float[] pts = CounterfactualPtq.recoursePoints(F.teacher, F.space, F.request, F.xVal, rows, 1L);
        int k = pts.length / F.width;
        assertThat(r.recoursePoints()).isPositive();
        assertThat(r.calibrationRows()).isEqualTo(rows + r.recoursePoints());
        // the points are the teacher's recourse: it accepts every one
        float[] m = F.teacher.margins(pts, k);
        for (float v : m) {
            assertThat(v).isPositive();
        }
        assertThat(r.student().model().averageBits()).isLessThanOrEqualTo(3.0);
    }

    private static double meanMarginAtOwnRecourse(Mlp net) {
        float[] neg = new float[F.yVal.length * F.width];
        System.arraycopy(F.xVal, 0, neg, 0, neg.length);
        float[] buf = new float[2 * F.yVal.length * F.width];
        System.arraycopy(F.xVal, 0, buf, 0, neg.length);
        int k = RecourseAwareTraining.recoursePoints(net, new PgdGenerator(F.space, PgdConfig.cfqTraining()),
                F.request, 9L, buf, F.yVal.length, neg, F.width);
        float[] pts = java.util.Arrays.copyOfRange(buf, F.yVal.length * F.width, (F.yVal.length + k) * F.width);
        float[] m = net.margins(pts, k);
        double s = 0;
        for (float v : m) {
            s += v;
        }
        return s / k;
    }
}
