package org.cfq.quant.qat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TaskLossTest {

    @Test
    void crossEntropy_zeroMargin_isLog2WithHalfGradient() {
        float[] d = new float[2];
        double l = TaskLoss.crossEntropy(new float[] {0.3f, 0.3f}, new int[] {1}, 0, 1, d, 1f);
        assertThat(l).isCloseTo(Math.log(2), within(1e-12));
        // p1 = 0.5, y = 1: d logit1 = -0.5, d logit0 = +0.5
        assertThat(d).containsExactly(0.5f, -0.5f);
    }

    @Test
    void distillation_equalLogits_isZeroWithZeroGradient() {
        float[] d = new float[2];
        double l = TaskLoss.distillation(new float[] {1f, 2f}, new float[] {1f, 2f}, 1, 3f, d, 1f);
        assertThat(l).isCloseTo(0, within(1e-12));
        assertThat(d).containsExactly(0f, 0f);
    }

    @Test
    void distillation_gradient_matchesCentralDifferences() {
        float[] s = {0.2f, 1.1f, -0.4f, 0.9f};
        float[] t = {1.0f, -0.5f, 0.3f, 0.2f};
        float[] d = new float[4];
        TaskLoss.distillation(s, t, 2, 2.5f, d, 0.7f);
        double h = 1e-3;
        for (int i = 0; i < 4; i++) {
            float[] p = s.clone();
            float[] m = s.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            double fd = 0.7 * (TaskLoss.distillation(p, t, 2, 2.5f, null, 1f)
                    - TaskLoss.distillation(m, t, 2, 2.5f, null, 1f)) / (2 * h);
            assertThat((double) d[i]).isCloseTo(fd, within(1e-4));
        }
    }

    @Test
    void crossEntropy_gradient_matchesCentralDifferences() {
        float[] z = {0.2f, -1.1f, 2.4f, 0.9f};
        int[] y = {1, 0};
        float[] d = new float[4];
        TaskLoss.crossEntropy(z, y, 0, 2, d, 1f);
        double h = 1e-3;
        for (int i = 0; i < 4; i++) {
            float[] p = z.clone();
            float[] m = z.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            double fd = (TaskLoss.crossEntropy(p, y, 0, 2, null, 1f) - TaskLoss.crossEntropy(m, y, 0, 2, null, 1f))
                    / (2 * h);
            assertThat((double) d[i]).isCloseTo(fd, within(1e-4));
        }
    }
}
