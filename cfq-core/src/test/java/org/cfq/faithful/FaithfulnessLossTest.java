package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FaithfulnessLossTest {

    @Test
    void evaluate_zeroLogits_handValues() {
        // one data row (label 1) and one counterfactual row, all logits 0: every CE is ln 2,
        // the hinge at margin 0 is gamma = 0.25, the matching gap to a teacher margin of 1 is 1.
        CfqConfig c = CfqConfig.defaults().withEta(2.0).withHinge(0.5, 0.25).withMatching(0.1);
        float[] logits = new float[4];
        float[] d = new float[4];
        FaithfulnessLoss.Parts p = FaithfulnessLoss.evaluate(logits, new int[] {1}, 1, 1, null, new float[] {1f}, c.loss(), d);
        double ln2 = Math.log(2);
        assertThat(p.data()).isCloseTo(ln2, within(1e-12));
        assertThat(p.counterfactual()).isCloseTo(2 * ln2, within(1e-12));
        assertThat(p.hinge()).isCloseTo(0.5 * 0.25, within(1e-12));
        assertThat(p.match()).isCloseTo(0.1, within(1e-12));
        assertThat(p.cfRows()).isEqualTo(1);
        assertThat(p.cfValid()).isZero();
        // data row: d logit1 = sigmoid(0) - 1 = -0.5
        assertThat(d[0]).isCloseTo(0.5f, within(1e-7f));
        assertThat(d[1]).isCloseTo(-0.5f, within(1e-7f));
        // cf row: d margin = 2 * (0.5 - 1) - 0.5 + 0.1 * 2 * (0 - 1) = -1.7
        assertThat(d[3]).isCloseTo(-1.7f, within(1e-6f));
        assertThat(d[2]).isCloseTo(1.7f, within(1e-6f));
    }

    @Test
    void evaluate_gradient_matchesFiniteDifferences() {
        CfqConfig c = CfqConfig.defaults().withEta(1.0).withHinge(0.7, 0.25).withMatching(0.3).withDistillation(0.5, 2.0);
        float[] logits = {0.2f, -0.4f, 1.1f, 0.3f, -0.5f, 0.9f, 0.15f, 0.05f, 0.8f, -0.3f};
        int[] labels = {1, 0, 1};
        float[] teacher = {0.1f, 0.6f, 0.9f, -0.2f, -0.3f, 0.4f};
        float[] tMargin = {1.2f, 0.4f};
        float[] d = new float[10];
        FaithfulnessLoss.evaluate(logits, labels, 3, 2, teacher, tMargin, c.loss(), d);
        for (int i = 0; i < logits.length; i++) {
            float[] up = logits.clone();
            float[] dn = logits.clone();
            up[i] += 1e-3f;
            dn[i] -= 1e-3f;
            double lu = FaithfulnessLoss.evaluate(up, labels, 3, 2, teacher, tMargin, c.loss(), new float[10]).total();
            double ld = FaithfulnessLoss.evaluate(dn, labels, 3, 2, teacher, tMargin, c.loss(), new float[10]).total();
            assertThat((double) d[i]).as("logit %d", i).isCloseTo((lu - ld) / (up[i] - dn[i]), within(1e-3));
        }
    }

    @Test
    void evaluate_noCounterfactualRows_isTheTaskLossAlone() {
        float[] logits = {0f, 2f};
        float[] d = new float[2];
        FaithfulnessLoss.Parts p = FaithfulnessLoss.evaluate(logits, new int[] {0}, 1, 0, null, null,
                CfqConfig.defaults().loss(), d);
        // label 0, margin 2: softplus(2)
        assertThat(p.total()).isCloseTo(Math.log1p(Math.exp(2)), within(1e-12));
        assertThat(p.cfRows()).isZero();
    }

    @Test
    void evaluate_noDataRows_failsNamingCounts() {
        assertThatThrownBy(() -> FaithfulnessLoss.evaluate(new float[2], new int[0], 0, 1, null, null,
                CfqConfig.defaults().loss(), new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n=0");
    }

    @Test
    void evaluate_pathRows_squaredGapHandValues() {
        // one data row, one counterfactual row, two path rows; all logits 0 (margins 0).
        // teacher margins: 1 at the counterfactual, -0.5 and 0.25 on the path.
        CfqConfig c = CfqConfig.defaults().withEta(0).withPathMatching(0.4, 2, 1.0, false);
        float[] d = new float[8];
        FaithfulnessLoss.Parts p = FaithfulnessLoss.evaluate(new float[8], new int[] {1}, 1, 1, 2, null,
                new float[] {1f}, new float[] {-0.5f, 0.25f}, c.loss(), d);
        // cf: 0.4 * 1^2; path: 0.4 * mean(0.25, 0.0625) = 0.0625
        assertThat(p.match()).isCloseTo(0.4 + 0.0625, within(1e-9));
        // path row 1: d margin = 0.4 * 2 * (0 + 0.5) / 2 = 0.2; path row 2: 0.4 * 2 * (0 - 0.25) / 2 = -0.1
        assertThat(d[5]).isCloseTo(0.2f, within(1e-7f));
        assertThat(d[4]).isCloseTo(-0.2f, within(1e-7f));
        assertThat(d[7]).isCloseTo(-0.1f, within(1e-7f));
        assertThat(d[6]).isCloseTo(0.1f, within(1e-7f));
    }

    @Test
    void evaluate_pinBoundary_penalizesOnlyTheWrongSide() {
        // margins: cf row 0.5 (teacher 0.2: above, no loss), path rows -1 (teacher -0.5: below, no loss)
        // and 0.3 (teacher 0.1: above by 0.2, loss mu * 0.2 / 2).
        CfqConfig c = CfqConfig.defaults().withEta(0).withPathMatching(0.5, 2, 0.5, true);
        float[] logits = {0f, 0f, 0f, 0.5f, 0f, -1f, 0f, 0.3f};
        float[] d = new float[8];
        FaithfulnessLoss.Parts p = FaithfulnessLoss.evaluate(logits, new int[] {0}, 1, 1, 2, null,
                new float[] {0.2f}, new float[] {-0.5f, 0.1f}, c.loss(), d);
        assertThat(p.match()).isCloseTo(0.5 * 0.2 / 2, within(1e-7));
        assertThat(d[2]).isZero();
        assertThat(d[3]).isZero();
        assertThat(d[4]).isZero();
        assertThat(d[5]).isZero();
        assertThat(d[7]).isCloseTo(0.25f, within(1e-7f));
        // below the teacher at the counterfactual: the hinge pushes the margin up
        float[] low = {0f, 0f, 0f, 0.1f, 0f, -1f, 0f, 0f};
        FaithfulnessLoss.Parts q = FaithfulnessLoss.evaluate(low, new int[] {0}, 1, 1, 2, null,
                new float[] {0.2f}, new float[] {-0.5f, 0.1f}, c.loss(), d);
        assertThat(q.match()).isCloseTo(0.5 * 0.1, within(1e-7));
        assertThat(d[3]).isCloseTo(-0.5f, within(1e-7f));
    }

    @Test
    void evaluate_pathRows_gradientMatchesFiniteDifferences() {
        CfqConfig c = CfqConfig.defaults().withEta(0.5).withHinge(0.3, 0.25).withPathMatching(0.7, 2, 1.0, false)
                .withDistillation(0.5, 2.0);
        float[] logits = {0.2f, -0.4f, 1.1f, 0.3f, -0.5f, 0.9f, 0.15f, 0.05f, 0.8f, -0.3f};
        int[] labels = {1, 0};
        float[] teacher = {0.1f, 0.6f, 0.9f, -0.2f};
        float[] tMargin = {1.2f};
        float[] tPath = {-0.3f, 0.2f};
        float[] d = new float[10];
        FaithfulnessLoss.evaluate(logits, labels, 2, 1, 2, teacher, tMargin, tPath, c.loss(), d);
        for (int i = 0; i < logits.length; i++) {
            float[] up = logits.clone();
            float[] dn = logits.clone();
            up[i] += 1e-3f;
            dn[i] -= 1e-3f;
            double lu = FaithfulnessLoss.evaluate(up, labels, 2, 1, 2, teacher, tMargin, tPath, c.loss(), new float[10])
                    .total();
            double ld = FaithfulnessLoss.evaluate(dn, labels, 2, 1, 2, teacher, tMargin, tPath, c.loss(), new float[10])
                    .total();
            assertThat((double) d[i]).as("logit %d", i).isCloseTo((lu - ld) / (up[i] - dn[i]), within(1e-3));
        }
    }
}
