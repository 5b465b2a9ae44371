package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class DistillationTest {
    @Test
    void kl_gradient_matchesCentralDifferences() {
        float[] t = {0.3f, -0.8f, 1.2f, 0.1f};
        float[] s = {-0.4f, 0.9f, 0.2f, 0.5f};
        float[] d = new float[4];
        Distillation.kl(t, s, 2, 2.0, 1.0, d);
        double h = 1e-3;
        for (int i = 0; i < 4; i++) {
            float[] p = s.clone();
            float[] m = s.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            // kl returns the mean over rows; the gradient is per row with scale 1, so multiply the mean by rows
            double fd = (Distillation.kl(t, p, 2, 2.0, 0, new float[4]) - Distillation.kl(t, m, 2, 2.0, 0,
                    new float[4])) * 2 / (2 * h);
            assertThat((double) d[i]).isCloseTo(fd, within(2e-3));
        }
        assertThat(Distillation.kl(t, t, 2, 2.0, 0, new float[4])).isCloseTo(0, within(1e-12));
    }

    @Test
    void train_fromATeacher_givesAnAccurateStudentThatAgreesWithIt() {
        ToyData d = ToyData.linearlySeparable(600, 3, 5);
        ToyData v = ToyData.linearlySeparable(200, 3, 6);
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(20).withBatchSize(32)
                .withLearningRate(1e-2).withSeed(1);
        Mlp teacher = new MlpTrainer(tc).train(d.x, d.y, v.x, v.y).model();
        TrainingResult r = Distillation.train(teacher, tc.withSeed(2), Distillation.TEMPERATURE, Distillation.ALPHA,
                d.x, d.y, v.x, v.y);
        assertThat(r.bestValidationAccuracy()).isGreaterThan(0.9);
        float[] mt = teacher.margins(v.x, 200);
        float[] ms = r.model().margins(v.x, 200);
        int agree = 0;
        for (int i = 0; i < 200; i++) {
            agree += (mt[i] > 0) == (ms[i] > 0) ? 1 : 0;
        }
        assertThat(agree).isGreaterThan(180);
        assertThat(r.model()).isNotSameAs(teacher);
    }
}
