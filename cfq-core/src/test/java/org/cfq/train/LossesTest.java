package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossesTest {

    @Test
    void softmaxCrossEntropy_equalLogits_isLn2WithHalfGradient() {
        float[] logits = {0f, 0f};
        float[] d = new float[2];
        double loss = Losses.softmaxCrossEntropy(logits, new int[] {1}, 0, 1, 1.0, d);
        // -log(1/2) = ln 2; p1 = 1/2, y = 1: dz1 = -1/2, dz0 = +1/2
        assertThat(loss).isCloseTo(0.6931471805599453, within(1e-12));
        assertThat(d[0]).isCloseTo(0.5f, within(1e-7f));
        assertThat(d[1]).isCloseTo(-0.5f, within(1e-7f));
    }

    @Test
    void softmaxCrossEntropy_marginTwoLabelZero_matchesHandValues() {
        float[] logits = {0f, 2f};
        float[] d = new float[2];
        double loss = Losses.softmaxCrossEntropy(logits, new int[] {0}, 0, 1, 1.0, d);
        // -log(1 - sigmoid(2)) = log(1 + e^2) = 2.1269280110429727; sigmoid(2) = 0.8807970779778823
        assertThat(loss).isCloseTo(2.1269280110429727, within(1e-12));
        assertThat(d[1]).isCloseTo(0.8807971f, within(1e-6f));
        assertThat(d[0]).isCloseTo(-0.8807971f, within(1e-6f));
    }

    @Test
    void softmaxCrossEntropy_batchWithScaleAndLabelOffset_sumsLossesAndScalesGradients() {
        float[] logits = {0f, 0f, 0f, 2f};
        int[] labels = {9, 1, 0};
        float[] d = new float[4];
        double loss = Losses.softmaxCrossEntropy(logits, labels, 1, 2, 0.5, d);
        assertThat(loss).isCloseTo(0.6931471805599453 + 2.1269280110429727, within(1e-12));
        assertThat(d).containsExactly(new float[] {0.25f, -0.25f, -0.44039854f, 0.44039854f}, within(1e-6f));
    }

    @Test
    void softmaxCrossEntropy_hugeMargins_staysFinite() {
        float[] logits = {0f, 1000f, 1000f, 0f};
        float[] d = new float[4];
        double loss = Losses.softmaxCrossEntropy(logits, new int[] {0, 0}, 0, 2, 1.0, d);
        // row 0: log(1 + e^1000) = 1000 (+ e^-1000); row 1: log(1 + e^-1000) = 0
        assertThat(loss).isCloseTo(1000.0, within(1e-9));
        assertThat(d).containsExactly(new float[] {-1f, 1f, 0f, 0f}, within(1e-7f));
    }

    @Test
    void softmaxCrossEntropy_labelTwo_failsNamingRowAndValue() {
        assertThatThrownBy(() -> Losses.softmaxCrossEntropy(new float[2], new int[] {2}, 0, 1, 1.0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0")
                .hasMessageContaining("got 2");
    }

    @Test
    void correct_mixedRows_countsMarginAboveZeroAsClassOne() {
        float[] logits = {0f, 1f, 1f, 0f, 0f, 0f};
        // predictions 1, 0, 0 (a zero margin is class 0)
        assertThat(Losses.correct(logits, new int[] {1, 1, 0}, 0, 3)).isEqualTo(2);
    }
}
