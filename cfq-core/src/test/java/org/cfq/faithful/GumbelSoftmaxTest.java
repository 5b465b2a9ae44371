package org.cfq.faithful;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GumbelSoftmaxTest {

    @Test
    void soft_noNoiseTemperatureOne_isSoftmax() {
        // softmax(0, ln 3) = (1/4, 3/4)
        double[] y = new double[2];
        GumbelSoftmax.soft(new float[] {0f, (float) Math.log(3)}, null, 0, 2, 1.0, y);
        assertThat(y[0]).isCloseTo(0.25, within(1e-7));
        assertThat(y[1]).isCloseTo(0.75, within(1e-7));
    }

    @Test
    void soft_temperatureTwoWithNoise_dividesShiftedLogits() {
        // (alpha + g) / tau = ((0 + 1) / 2, (1 + 2) / 2) = (0.5, 1.5): y = (1, e) / (1 + e)
        double[] y = new double[2];
        GumbelSoftmax.soft(new float[] {0f, 1f}, new float[] {1f, 2f}, 0, 2, 2.0, y);
        double e = Math.E;
        assertThat(y[0]).isCloseTo(1 / (1 + e), within(1e-7));
        assertThat(y[1]).isCloseTo(e / (1 + e), within(1e-7));
    }

    @Test
    void soft_atOffset_leavesOtherEntriesAlone() {
        double[] y = {9, 9, 9, 9};
        GumbelSoftmax.soft(new float[] {5f, 0f, 0f, 5f}, null, 1, 2, 1.0, y);
        assertThat(y).containsExactly(9, 0.5, 0.5, 9);
    }

    @Test
    void hard_tie_goesToLowestIndex() {
        assertThat(GumbelSoftmax.hard(new float[] {1f, 3f, 3f}, null, 0, 3)).isEqualTo(1);
        // noise moves the winner: (1 + 3, 3 + 0, 3 + 0.5) -> index 0
        assertThat(GumbelSoftmax.hard(new float[] {1f, 3f, 3f}, new float[] {3f, 0f, 0.5f}, 0, 3)).isEqualTo(0);
    }

    @Test
    void soft_badTemperature_failsNamingTheValue() {
        assertThatThrownBy(() -> GumbelSoftmax.soft(new float[] {0f}, null, 0, 1, Double.NaN, new double[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature")
                .hasMessageContaining("NaN");
    }

    @Test
    void backward_fixedNoise_matchesFiniteDifferences() {
        // L(alpha) = sum_j v_j y_j(alpha) with the noise held fixed is smooth in alpha.
        float[] logits = {0.3f, -0.7f, 1.1f, 0.2f};
        float[] noise = {0.5f, -0.2f, 0.1f, 1.3f};
        double[] v = {0.9, -1.4, 0.3, 2.0};
        double tau = 0.8;
        double[] y = new double[4];
        GumbelSoftmax.soft(logits, noise, 0, 4, tau, y);
        float[] grad = new float[4];
        GumbelSoftmax.backward(y, 0, 4, tau, v, grad);
        for (int j = 0; j < 4; j++) {
            double h = 1e-3;
            float[] up = logits.clone();
            float[] dn = logits.clone();
            up[j] += (float) h;
            dn[j] -= (float) h;
            double fd = (dot(v, up, noise, tau) - dot(v, dn, noise, tau)) / (up[j] - dn[j]);
            assertThat((double) grad[j]).as("logit %d", j).isCloseTo(fd, within(2e-4));
        }
    }

    @Test
    void sampleNoise_sameSeed_sameValues_andMeanIsEulerGamma() {
        float[] a = new float[20000];
        float[] b = new float[20000];
        GumbelSoftmax.sampleNoise(new SplittableRandom(3), a, 0, a.length);
        GumbelSoftmax.sampleNoise(new SplittableRandom(3), b, 0, b.length);
        assertThat(a).containsExactly(b);
        double mean = 0;
        for (float g : a) {
            mean += g / a.length;
        }
        // the standard Gumbel mean is the Euler-Mascheroni constant 0.5772; its sd is pi/sqrt(6) = 1.28,
        // so the mean of 20000 draws has sd 0.009
        assertThat(mean).isCloseTo(0.5772, within(0.04));
    }

    @Test
    void hard_withNoise_choosesEachCandidateAtItsSoftmaxProbability() {
        float[] logits = {0f, 1f, 2f};
        double[] p = new double[3];
        GumbelSoftmax.probabilities(logits, 0, 3, p);
        int[] count = new int[3];
        float[] g = new float[3];
        SplittableRandom rng = new SplittableRandom(9);
        int draws = 20000;
        for (int i = 0; i < draws; i++) {
            GumbelSoftmax.sampleNoise(rng, g, 0, 3);
            count[GumbelSoftmax.hard(logits, g, 0, 3)]++;
        }
        // p = (0.090, 0.245, 0.665); each frequency has sd <= 0.0034
        for (int j = 0; j < 3; j++) {
            assertThat((double) count[j] / draws).as("candidate %d", j).isCloseTo(p[j], within(0.015));
        }
    }

    private static double dot(double[] v, float[] logits, float[] noise, double tau) {
        double[] y = new double[v.length];
        GumbelSoftmax.soft(logits, noise, 0, v.length, tau, y);
        double s = 0;
        for (int j = 0; j < v.length; j++) {
            s += v[j] * y[j];
        }
        return s;
    }
}
