package org.cfq.faithful;

import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;

/**
 * A small seeded CFQ problem: {@link SyntheticCredit} (3000 rows), its encoder and action
 * space, and a [16, 8] teacher. Built once per test JVM; everything in it is read only.
 */
final class CfqFixture {
    static final CfqFixture SYNTHETIC = new CfqFixture(3000, 11L);

    final Encoder encoder;
    final ActionSpace space;
    final RecourseRequest request = RecourseRequest.defaults().withSparsity(3);
    final Mlp teacher;
    final float[] x;
    final int[] y;
    final float[] xVal;
    final int[] yVal;
    final float[] xTest;
    final int[] yTest;
    final int width;

    private CfqFixture(int rows, long seed) {
        Dataset d = SyntheticCredit.generate(rows, seed);
        encoder = Encoder.fit(d.train(), Scaling.STANDARD);
        space = ActionSpace.of(encoder);
        x = encoder.encode(d.train());
        y = d.train().labels();
        xVal = encoder.encode(d.validation());
        yVal = d.validation().labels();
        xTest = encoder.encode(d.test());
        yTest = d.test().labels();
        width = encoder.width();
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(30)
                .withBatchSize(64).withLearningRate(3e-3).withSeed(seed);
        teacher = new MlpTrainer(tc).train(x, y, xVal, yVal).model();
    }

    /** {@return the test rows the teacher scores unfavorably, (k x width)} */
    float[] teacherNegatives() {
        int rows = yTest.length;
        float[] m = teacher.margins(xTest, rows);
        int k = 0;
        for (float v : m) {
            if (!(v > 0f)) {
                k++;
            }
        }
        float[] out = new float[k * width];
        int j = 0;
        for (int r = 0; r < rows; r++) {
            if (!(m[r] > 0f)) {
                System.arraycopy(xTest, r * width, out, j * width, width);
                j++;
            }
        }
        return out;
    }
}
