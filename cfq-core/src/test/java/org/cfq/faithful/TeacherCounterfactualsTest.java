package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.cfq.recourse.gradient.PgdConfig;
import org.junit.jupiter.api.Test;

class TeacherCounterfactualsTest {
    private static final CfqFixture F = CfqFixture.SYNTHETIC;

    private final TeacherCounterfactuals tc = new TeacherCounterfactuals(F.teacher, F.space, PgdConfig.cfqTraining(),
            F.request);

    @Test
    void search_foundPoints_teacherScoresFavorablyAndAgeStaysPut() {
        float[] neg = F.teacherNegatives();
        int k = neg.length / F.width;
        float[] cf = new float[neg.length];
        boolean[] found = new boolean[k];
        float[] margin = new float[k];
        int n = tc.search(neg, k, 1L, cf, found, margin);
        assertThat(n).isPositive().isLessThanOrEqualTo(k);
        float[] tm = F.teacher.margins(cf, k);
        int age = F.space.start(0); // age is immutable in the paper preset
        for (int i = 0; i < k; i++) {
            if (found[i]) {
                assertThat(tm[i]).isPositive();
                assertThat((double) tm[i]).isCloseTo(margin[i], within(1e-4));
                assertThat(cf[i * F.width + age]).isEqualTo(neg[i * F.width + age]);
            } else {
                assertThat(margin[i]).isZero();
            }
        }
    }

    @Test
    void search_eachRowIndependentOfTheOthersInTheCall() {
        float[] neg = F.teacherNegatives();
        int k = neg.length / F.width;
        float[] all = new float[neg.length];
        boolean[] foundAll = new boolean[k];
        tc.search(neg, k, 1L, all, foundAll, new float[k]);
        // the rows 5..14 alone give the same points
        float[] part = Arrays.copyOfRange(neg, 5 * F.width, 15 * F.width);
        float[] out = new float[part.length];
        boolean[] found = new boolean[10];
        tc.search(part, 10, 99L, out, found, new float[10]);
        for (int i = 0; i < 10; i++) {
            assertThat(found[i]).isEqualTo(foundAll[5 + i]);
            if (found[i]) {
                assertThat(Arrays.copyOfRange(out, i * F.width, (i + 1) * F.width))
                        .containsExactly(Arrays.copyOfRange(all, (5 + i) * F.width, (6 + i) * F.width));
            }
        }
    }

    @Test
    void random_onlyWithSeveralNoisyRestarts() {
        assertThat(tc.random()).isFalse();
        assertThat(new TeacherCounterfactuals(F.teacher, F.space, PgdConfig.cfqTraining().withRestarts(3), F.request)
                .random()).isTrue();
    }
}
