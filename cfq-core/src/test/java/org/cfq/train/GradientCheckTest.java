package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

/**
 * Checks the analytic gradients of the mean cross-entropy of an MLP (Losses + Mlp.backward)
 * against central finite differences of the float forward pass.
 *
 * <p>The loss is accumulated in double from float logits, so its rounding noise is about
 * 1e-7 relative; with a step of 1e-3 that makes the finite-difference noise ~1e-4, while
 * the truncation error is O(h^2) ~ 1e-6. The tolerance 5e-4 + 1e-2 |g| sits above both and
 * far below the gradients' typical size (~1e-1), so a wrong sign, a missing term or a
 * wrong scale fails. ReLU kinks closer than h to a pre-activation would also fail the check;
 * with this seed none is.
 */
class GradientCheckTest {
    private static final int IN = 4;
    private static final int ROWS = 3;
    private static final double H = 1e-3;

    private final SplittableRandom rng = new SplittableRandom(42);
    private final Mlp net = Mlp.initialize(IN, new int[] {5, 3}, rng);
    private final float[] x = randomRows();
    private final int[] y = {1, 0, 1};

    @Test
    void backward_weightsAndBiases_matchCentralDifferences() {
        Mlp.Gradients grads = new Mlp.Gradients(net);
        analytic(grads, null);
        int checked = 0;
        double maxAbs = 0;
        for (int l = 0; l < net.layers().size(); l++) {
            float[][] params = {net.layers().get(l).weight(), net.layers().get(l).bias()};
            float[][] g = {grads.weight(l), grads.bias(l)};
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < params[k].length; i++) {
                    double fd = centralDifference(params[k], i, x);
                    assertThat(Math.abs(fd - g[k][i]))
                            .as("layer %d %s[%d]: finite difference %s vs analytic %s", l, k == 0 ? "weight" : "bias",
                                    i, fd, g[k][i])
                            .isLessThanOrEqualTo(5e-4 + 1e-2 * Math.abs(fd));
                    maxAbs = Math.max(maxAbs, Math.abs(fd));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(net.parameterCount());
        assertThat(maxAbs).as("the check must see non-trivial gradients").isGreaterThan(1e-2);
    }

    @Test
    void backward_inputs_matchCentralDifferences() {
        float[] dx = new float[ROWS * IN];
        analytic(null, dx);
        double maxAbs = 0;
        for (int i = 0; i < dx.length; i++) {
            double fd = centralDifference(x, i, x);
            assertThat(Math.abs(fd - dx[i]))
                    .as("input %d: finite difference %s vs analytic %s", i, fd, dx[i])
                    .isLessThanOrEqualTo(5e-4 + 1e-2 * Math.abs(fd));
            maxAbs = Math.max(maxAbs, Math.abs(fd));
        }
        assertThat(maxAbs).as("the check must see non-trivial gradients").isGreaterThan(1e-2);
    }

    private void analytic(Mlp.Gradients grads, float[] dx) {
        Mlp.Workspace ws = net.workspace(ROWS);
        float[] dLogits = new float[ROWS * 2];
        net.forward(x, ROWS, ws);
        Losses.softmaxCrossEntropy(ws.logits(), y, 0, ROWS, 1.0 / ROWS, dLogits);
        if (grads != null) {
            grads.zero();
        }
        net.backward(x, ROWS, ws, dLogits, grads, dx);
    }

    /** d meanLoss / d a[i], by central differences over the float steps actually taken. */
    private double centralDifference(float[] a, int i, float[] input) {
        float orig = a[i];
        float up = (float) (orig + H);
        float down = (float) (orig - H);
        a[i] = up;
        double lUp = meanLoss(input);
        a[i] = down;
        double lDown = meanLoss(input);
        a[i] = orig;
        return (lUp - lDown) / ((double) up - (double) down);
    }

    private double meanLoss(float[] input) {
        Mlp.Workspace ws = net.workspace(ROWS);
        net.forward(input, ROWS, ws);
        return Losses.softmaxCrossEntropy(ws.logits(), y, 0, ROWS, 1.0, null) / ROWS;
    }

    private float[] randomRows() {
        float[] r = new float[ROWS * IN];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return r;
    }
}
