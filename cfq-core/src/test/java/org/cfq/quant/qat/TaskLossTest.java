package org.cfq.quant.qat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TaskLossTest {

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
}
