package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.quant.QuantizedMlp;
import org.cfq.recourse.gradient.PgdConfig;
import org.junit.jupiter.api.Test;

class CfqTrainerTest {
    private static final CfqFixture F = CfqFixture.SYNTHETIC;

    private static CfqResult run(CfqConfig c, long seed) {
        List<CfqEpoch> seen = new ArrayList<>();
        CfqResult r = new CfqTrainer(c).train(F.teacher, F.space, F.request, F.x, F.y, F.xVal, F.yVal,
                new SplittableRandom(seed), seen::add);
        seen.forEach(System.out::println);
        return r;
    }

    /** Share of the teacher's counterfactuals (short pgd) for its unfavorable test rows the student accepts. */
    private static double validityAtTeacherCounterfactuals(QuantizedMlp student, PgdConfig pgd) {
        float[] neg = F.teacherNegatives();
        int k = neg.length / F.width;
        float[] cf = new float[neg.length];
        boolean[] found = new boolean[k];
        float[] tm = new float[k];
        int n = new TeacherCounterfactuals(F.teacher, F.space, pgd, F.request).search(neg, k, 1L, cf, found, tm);
        float[] sm = student.margins(cf, k);
        int ok = 0;
        for (int i = 0; i < k; i++) {
            if (found[i] && sm[i] > 0f) {
                ok++;
            }
        }
        System.out.println("teacher negatives " + k + ", found " + n + ", student valid " + ok);
        return (double) ok / n;
    }

    @Test
    void explore() {
        for (double eta : new double[] {0, 1}) {
            CfqResult r = run(CfqConfig.defaults(2.5).withEta(eta).withTraining(10, 64, 1e-3), 5L);
            System.out.println("eta " + eta + " bits " + java.util.Arrays.toString(r.bitsPerLayer()) + " "
                    + r.seconds() + "s valid short " + validityAtTeacherCounterfactuals(r.student(),
                    PgdConfig.cfqTraining()) + " valid pgd " + validityAtTeacherCounterfactuals(r.student(),
                    PgdConfig.defaults()) + " acc " + CfqTrainer.accuracy(r.student(), F.xTest, F.yTest));
        }
    }
}
