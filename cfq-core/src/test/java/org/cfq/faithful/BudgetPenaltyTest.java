package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cfq.quant.Granularity;
import org.junit.jupiter.api.Test;

class BudgetPenaltyTest {
    private static final int[] CANDIDATES = {2, 4};

    private static MixedPrecisionWeight layer(int in, int out, float logit4) {
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.1f * (i + 1);
        }
        return new MixedPrecisionWeight(in, out, w, CANDIDATES, Granularity.TENSOR, 4, logit4);
    }

    @Test
    void apply_uniformLogits_expectedBitsIsMeanWidthAndPenaltyIsSquaredExcess() {
        // both layers p = (1/2, 1/2): E[bits] = 3 whatever the sizes; B = 2.5, lambda 0.01 -> 0.01 * 0.25
        MixedPrecisionWeight[] m = {layer(1, 1, 0f), layer(3, 1, 0f)};
        BudgetPenalty.Value v = BudgetPenalty.apply(m, 2.5, 0.01, true);
        assertThat(v.expectedBits()).isCloseTo(3.0, within(1e-12));
        assertThat(v.penalty()).isCloseTo(0.0025, within(1e-12));
        // d/dalpha_l,4 = 2 * 0.01 * 0.5 * (n_l / 4) * 0.5 * (4 - 3) = 0.00125 * n_l
        assertThat((double) m[0].logitGrad()[1]).isCloseTo(0.00125, within(1e-8));
        assertThat((double) m[1].logitGrad()[1]).isCloseTo(0.00375, within(1e-8));
        assertThat((double) m[1].logitGrad()[0]).isCloseTo(-0.00375, within(1e-8));
    }

    @Test
    void apply_withinBudget_zeroPenaltyAndNoGradient() {
        MixedPrecisionWeight[] m = {layer(2, 1, 0f)};
        BudgetPenalty.Value v = BudgetPenalty.apply(m, 3.5, 1.0, true);
        assertThat(v.penalty()).isZero();
        assertThat(m[0].logitGrad()).containsExactly(0f, 0f);
    }

    @Test
    void apply_gradient_matchesFiniteDifferences() {
        MixedPrecisionWeight[] m = {layer(2, 3, 1.5f), layer(3, 2, -0.5f), layer(1, 2, 0.7f)};
        double budget = 2.2;
        double lambda = 0.3;
        BudgetPenalty.apply(m, budget, lambda, true);
        for (int l = 0; l < m.length; l++) {
            for (int k = 0; k < 2; k++) {
                float[] a = m[l].logits();
                float keep = a[k];
                double h = 1e-3;
                a[k] = (float) (keep + h);
                double up = BudgetPenalty.apply(m, budget, lambda, false).penalty();
                a[k] = (float) (keep - h);
                double dn = BudgetPenalty.apply(m, budget, lambda, false).penalty();
                a[k] = keep;
                assertThat((double) m[l].logitGrad()[k]).as("layer %d candidate %d", l, k)
                        .isCloseTo((up - dn) / (2 * h), within(1e-5));
            }
        }
    }
}
