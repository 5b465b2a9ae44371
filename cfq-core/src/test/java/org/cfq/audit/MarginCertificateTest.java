package org.cfq.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class MarginCertificateTest {

    @Test
    void marginLowerBounds_logisticWorstCase_equalsHandComputedBound() {
        // margin = (W[1]-W[0]) x = (1, 1) . (1, 2) = 3; with radius 0.5 per weight the
        // difference row may shrink by 1 per coordinate: worst margin = 3 - (1 + 2) = 0.
        Mlp net = new Mlp(List.of(new DenseLayer(2, 2, new float[] {0, 0, 1, 1}, new float[] {0, 0})));
        double[] bound = MarginCertificate.marginLowerBounds(net, new double[] {0.5}, new double[] {0}, null,
                new float[] {1, 2}, 1);
        assertThat(bound[0]).isLessThanOrEqualTo(0.0).isCloseTo(0.0, within(1e-5));
    }

    @Test
    void marginLowerBounds_zeroRadius_matchesTheNetworkMargin() {
        SplittableRandom rng = new SplittableRandom(7);
        Mlp net = Mlp.initialize(5, new int[] {8, 6}, rng);
        float[] x = randomRows(rng, 20, 5);
        float[] margins = net.margins(x, 20);
        double[] bound = MarginCertificate.marginLowerBounds(net, new double[3], new double[3], null, x, 20);
        for (int r = 0; r < 20; r++) {
            assertThat(bound[r]).isLessThanOrEqualTo(margins[r]).isCloseTo(margins[r], within(1e-4));
        }
    }

    @Test
    void marginLowerBounds_networksSampledInsideIntervals_neverGoBelowTheBound() {
        SplittableRandom rng = new SplittableRandom(42);
        Mlp teacher = Mlp.initialize(6, new int[] {10, 8}, rng);
        double[] radius = {0.02, 0.03, 0.05};
        double[] biasRadius = {0.01, 0.0, 0.01};
        float step = 0.25f;
        List<MonotoneMap> act = List.of(v -> quantize(v, step), v -> quantize(v, step));
        int rows = 50;
        float[] x = randomRows(rng, rows, 6);
        double[] bound = MarginCertificate.marginLowerBounds(teacher, radius, biasRadius, act, x, rows);
        for (int trial = 0; trial < 300; trial++) {
            int mode = trial % 3; // uniform inside, corners, random rounding to a grid of step 2r
            Mlp student = perturb(teacher, radius, biasRadius, rng, mode);
            float[] m = forwardWithActivationQuant(student, x, rows, step);
            for (int r = 0; r < rows; r++) {
                assertThat((double) m[r]).as("trial %d row %d", trial, r).isGreaterThanOrEqualTo(bound[r]);
            }
        }
    }

    @Test
    void marginLowerBounds_negativeRadius_isRejectedNamingTheLayer() {
        Mlp net = Mlp.initialize(2, new int[] {}, new SplittableRandom(1));
        assertThatThrownBy(() -> MarginCertificate.marginLowerBounds(net, new double[] {-0.1}, new double[] {0},
                null, new float[2], 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weightRadius[0]").hasMessageContaining("-0.1");
    }

    private static double quantize(double v, float step) {
        return Math.min(4.0, Math.rint(v / step) * step);
    }

    private static float[] randomRows(SplittableRandom rng, int rows, int cols) {
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static Mlp perturb(Mlp teacher, double[] radius, double[] biasRadius, SplittableRandom rng, int mode) {
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 0; l < teacher.layers().size(); l++) {
            DenseLayer t = teacher.layers().get(l);
            float[] w = t.weight().clone();
            float[] b = t.bias().clone();
            jitter(w, radius[l], rng, mode);
            jitter(b, biasRadius[l], rng, mode);
            out.add(new DenseLayer(t.in(), t.out(), w, b));
        }
        return new Mlp(out);
    }

    private static void jitter(float[] a, double r, SplittableRandom rng, int mode) {
        for (int i = 0; i < a.length; i++) {
            double d;
            if (r == 0) {
                d = 0;
            } else if (mode == 0) {
                d = (rng.nextDouble() * 2 - 1) * r;
            } else if (mode == 1) {
                d = rng.nextBoolean() ? r : -r;
            } else {
                // Random rounding onto a grid of step r: the error stays within r.
                double g = Math.floor(a[i] / r) * r;
                d = (rng.nextBoolean() ? g : g + r) - a[i];
            }
            // Keep the float weight inside the interval despite float rounding.
            float v = (float) (a[i] + d * 0.999);
            a[i] = v;
        }
    }

    private static float[] forwardWithActivationQuant(Mlp net, float[] x, int rows, float step) {
        List<DenseLayer> layers = net.layers();
        float[] in = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            float[] y = new float[rows * layer.out()];
            org.cfq.math.Dense.affine(in, rows, layer.in(), layer.weight(), layer.bias(), layer.out(), y);
            if (l < layers.size() - 1) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = (float) quantize(Math.max(0, y[i]), step);
                }
            }
            in = y;
        }
        float[] m = new float[rows];
        for (int r = 0; r < rows; r++) {
            m[r] = in[2 * r + 1] - in[2 * r];
        }
        return m;
    }
}
