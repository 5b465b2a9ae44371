package org.cfq.bounds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DenseLayer;
import org.junit.jupiter.api.Test;

/**
 * The input-by-input interval sums of {@link BoundEngine} against the plain loops they replaced:
 * the same bits for every pre-activation end and every bound, on random networks with zero
 * weights (whole rows, whole blocks, single entries, -0.0), signed weights over many magnitudes,
 * -0.0 biases, widths that are and are not multiples of the vector length, stacked
 * (block-diagonal) pairs, activation quantizers, point boxes and wide boxes.
 */
class IntervalsByInputsTest {
    private static final double[][] SPECS = {{-1, 1}, {1, -1}, {0.5, 0}, {0, -2}};
    private static final double[][] PAIR_SPECS = {{-1, 0, 1, 0}, {1, 0, -1, 0}, {0, -1, 0, 1}, {0, 1, 0, -1}};

    @Test
    void lowerBounds_vectorAndPlainLoops_sameBitsEverywhere() {
        SplittableRandom rng = new SplittableRandom(20261206);
        int checked = 0;
        for (int trial = 0; trial < 120; trial++) {
            int d = 1 + rng.nextInt(40);
            int h1 = 1 + rng.nextInt(trial % 3 == 0 ? 70 : 20);
            int h2 = 1 + rng.nextInt(trial % 4 == 0 ? 40 : 17);
            boolean quantized = trial % 3 == 1;
            BoundNetwork a = network(rng, d, h1, h2, quantized);
            BoundNetwork net = trial % 5 == 4 ? BoundNetwork.stack(a, network(rng, d, h1, h2, !quantized)) : a;
            BoundEngine vec = new BoundEngine(net, true);
            BoundEngine plain = new BoundEngine(net, false);
            double[][] specs = net.outputs() == 4 ? PAIR_SPECS : SPECS;
            for (int box = 0; box < 6; box++) {
                float[] lo = new float[d];
                float[] hi = new float[d];
                for (int i = 0; i < d; i++) {
                    lo[i] = (float) (rng.nextGaussian() * (box == 5 ? 100 : 1.5));
                    if (rng.nextInt(4) == 0) {
                        lo[i] = rng.nextBoolean() ? 0f : -0f;
                    }
                    float width = box == 0 ? 0 : (float) (rng.nextDouble() * (box < 3 ? 0.05 : 2));
                    hi[i] = rng.nextInt(3) == 0 ? lo[i] : lo[i] + width;
                    if (rng.nextInt(10) == 0) { // accepted: +0.0 <= -0.0
                        lo[i] = 0f;
                        hi[i] = -0f;
                    }
                }
                checked += assertSameBits(vec, plain, net, lo, hi, specs, true, "trial " + trial + " box " + box);
            }
        }
        assertThat(checked).isEqualTo(120 * 6 * 3);
    }

    @Test
    void lowerBounds_rowsOfZeroWeightsAndNegativeZeroBias_keepTheSignOfZero() {
        // A whole block of outputs with zero weights and -0.0 biases: the plain loop leaves c = -0.0
        // (no term added), and so must every lane.
        int d = 5;
        int h = 24;
        float[] w0 = new float[h * d];
        float[] b0 = new float[h];
        for (int o = 0; o < h; o++) {
            b0[o] = -0f;
            if (o >= 16) {
                w0[o * d + o % d] = o % 2 == 0 ? 0.75f : -0.75f;
            }
        }
        float[] w1 = new float[2 * h];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = i % 3 == 0 ? 0f : (i % 2 == 0 ? 1.25f : -0.5f);
        }
        BoundNetwork net = BoundNetwork.of(List.of(new DenseLayer(d, h, w0, b0), new DenseLayer(h, 2, w1,
                new float[] {-0f, 0f})), java.util.Collections.singletonList(null));
        BoundEngine vec = new BoundEngine(net, true);
        BoundEngine plain = new BoundEngine(net, false);
        float[] lo = {-1, 0, -0f, 2, 3};
        float[] hi = {1, 0, 0, 2, 4};
        assertSameBits(vec, plain, net, lo, hi, SPECS, true, "zero rows");
    }

    @Test
    void lowerBounds_deepNetworkOfHugeWeights_overflowsTheSameWay() {
        // Intervals that overflow to infinity (NaN * 0 is not a zero): the by-inputs path hands the
        // layer to the plain loops, so the results still agree, infinities and NaNs included.
        SplittableRandom rng = new SplittableRandom(5);
        List<DenseLayer> layers = new ArrayList<>();
        List<StepActivation> steps = new ArrayList<>();
        int width = 6;
        for (int l = 0; l < 12; l++) {
            float[] w = new float[width * width];
            for (int i = 0; i < w.length; i++) {
                w[i] = i % 4 == 0 ? 0f : (float) (rng.nextGaussian() * 1e37);
            }
            layers.add(new DenseLayer(width, width, w, new float[width]));
            steps.add(null);
        }
        layers.add(layer(rng, width, 2));
        BoundNetwork net = BoundNetwork.of(layers, steps);
        BoundEngine vec = new BoundEngine(net, true);
        BoundEngine plain = new BoundEngine(net, false);
        float[] lo = {1, -2, 0, 3, -1, 0.5f};
        float[] hi = {2, -1, 0, 3, 1, 0.5f};
        assertSameBits(vec, plain, net, lo, hi, SPECS, false, "deep network");
        assertThat(Double.isFinite(vec.preUpper(11)[1])).isFalse();
    }

    /**
     * Asserts, for every bound method, that both engines give the same bits for each spec's
     * bound and each layer's lower pre-activation end (and upper, when {@code upper}).
     *
     * @return the number of methods checked
     */
    private static int assertSameBits(BoundEngine vec, BoundEngine plain, BoundNetwork net, float[] lo, float[] hi,
                                      double[][] specs, boolean upper, String what) {
        int methods = 0;
        for (BoundEngine.Method method : BoundEngine.Method.values()) {
            double[] ov = new double[specs.length];
            double[] op = new double[specs.length];
            vec.lowerBounds(lo, hi, 0, specs, method, ov);
            plain.lowerBounds(lo, hi, 0, specs, method, op);
            for (int k = 0; k < specs.length; k++) {
                assertThat(Double.doubleToRawLongBits(ov[k])).as("%s %s spec %d: %s vs %s", what, method, k, ov[k],
                        op[k]).isEqualTo(Double.doubleToRawLongBits(op[k]));
            }
            for (int l = 0; l < net.layers(); l++) {
                for (int o = 0; o < net.out(l); o++) {
                    assertThat(Double.doubleToRawLongBits(vec.preLower(l)[o])).as("%s %s layer %d lower %d", what,
                            method, l, o).isEqualTo(Double.doubleToRawLongBits(plain.preLower(l)[o]));
                    if (upper) {
                        assertThat(Double.doubleToRawLongBits(vec.preUpper(l)[o])).as("%s %s layer %d upper %d", what,
                                method, l, o).isEqualTo(Double.doubleToRawLongBits(plain.preUpper(l)[o]));
                    }
                }
            }
            methods++;
        }
        return methods;
    }

    private static BoundNetwork network(SplittableRandom rng, int d, int h1, int h2, boolean quantized) {
        List<DenseLayer> layers = List.of(layer(rng, d, h1), layer(rng, h1, h2), layer(rng, h2, 2));
        List<StepActivation> steps = new ArrayList<>();
        steps.add(quantized ? new StepActivation(0.25f, 0, 0, 15) : null);
        steps.add(quantized ? new StepActivation(0.5f, 1, 0, 7) : null);
        return BoundNetwork.of(layers, steps);
    }

    private static DenseLayer layer(SplittableRandom rng, int in, int out) {
        float[] w = new float[out * in];
        int zeroRowEvery = 2 + rng.nextInt(6);
        for (int o = 0; o < out; o++) {
            boolean zeroRow = o % zeroRowEvery == 0 && rng.nextBoolean();
            for (int i = 0; i < in; i++) {
                int kind = rng.nextInt(10);
                float v;
                if (zeroRow || kind < 3) {
                    v = rng.nextBoolean() ? 0f : -0f;
                } else if (kind == 3) {
                    v = (float) (rng.nextGaussian() * 1e-30);
                } else if (kind == 4) {
                    v = (float) (rng.nextGaussian() * 1e20);
                } else {
                    v = (float) rng.nextGaussian();
                }
                w[o * in + i] = v;
            }
        }
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            int kind = rng.nextInt(4);
            b[o] = kind == 0 ? -0f : kind == 1 ? 0f : (float) rng.nextGaussian();
        }
        return new DenseLayer(in, out, w, b);
    }
}
