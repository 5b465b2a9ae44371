package org.cfq.faithful;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.PercentileCalibrator;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.lsq.LearnedClip;
import org.cfq.train.AdamW;

/**
 * The student CFQ trains: per layer a {@link MixedPrecisionWeight} and a float bias, and per
 * hidden layer an optional PACT clip, with their gradients and the batch buffers of one
 * forward and backward pass over up to {@code capacity} rows.
 *
 * <p>Starts from the teacher's weights and biases; PACT clips start at the percentile range
 * ({@link PercentileCalibrator#defaults()}) of the teacher's activations on a seeded sample of
 * training rows. Not thread-safe.
 */
final class CfqStudent {
    final int layers;
    final int[] in;
    final int[] out;
    final MixedPrecisionWeight[] mix;
    final float[][] b;
    final float[][] gb;
    final float[][] alpha;
    final float[][] gAlpha;
    final int actQmax;
    private final QuantSpec actSpec;
    private final boolean projectToBudget;
    private final CfqConfig config;
    private final int capacity;
    private final float[][] wHat;
    private final float[][] dWHat;
    private final float[][] pre;
    private final float[][] act;
    private final float[][] delta;

    /**
     * @param x        training rows for PACT's initial clips, (rows x inputDim)
     * @param capacity the largest batch (data plus counterfactual rows) a pass will see
     */
    CfqStudent(Mlp teacher, CfqConfig config, float[] x, int rows, SplittableRandom calibRng, int capacity) {
        this(teacher, config, x, rows, calibRng, capacity, null);
    }

    /**
     * @param initialBits per layer, the width the selection logits favor at the start; null = every layer at
     *                    {@link CfqConfig.Budget#initialBits()}
     */
    CfqStudent(Mlp teacher, CfqConfig config, float[] x, int rows, SplittableRandom calibRng, int capacity,
               int[] initialBits) {
        this.config = config;
        this.capacity = capacity;
        List<DenseLayer> tl = teacher.layers();
        layers = tl.size();
        in = new int[layers];
        out = new int[layers];
        mix = new MixedPrecisionWeight[layers];
        b = new float[layers][];
        gb = new float[layers][];
        alpha = new float[layers][];
        gAlpha = new float[layers][];
        wHat = new float[layers][];
        dWHat = new float[layers][];
        pre = new float[layers][];
        act = new float[layers][];
        delta = new float[layers][];
        int[] candidates = config.budget().bits().candidateArray();
        actSpec = QuantSpec.unsignedActivations(config.quantizers().activationBits());
        actQmax = actSpec.qmax();
        projectToBudget = config.budget().projectToBudget();
        for (int l = 0; l < layers; l++) {
            DenseLayer d = tl.get(l);
            in[l] = d.in();
            out[l] = d.out();
            mix[l] = new MixedPrecisionWeight(d.in(), d.out(), d.weight(), candidates, config.quantizers().granularity(),
                    initialBits == null ? config.budget().initialBits() : initialBits[l], (float) config.budget().initialLogit());
            b[l] = d.bias().clone();
            gb[l] = new float[b[l].length];
            wHat[l] = new float[d.weight().length];
            dWHat[l] = new float[d.weight().length];
            pre[l] = new float[capacity * d.out()];
            act[l] = new float[capacity * d.out()];
            delta[l] = new float[capacity * d.out()];
        }
        if (config.quantizers().pact() && layers > 1) {
            int sample = Math.min(config.quantizers().calibrationRows(), rows);
            float[] xs = PostTrainingQuantizer.sampleRows(x, rows, teacher.inputDim(), sample, calibRng);
            Mlp.Workspace ws = teacher.workspace(sample);
            teacher.forward(xs, sample, ws);
            PercentileCalibrator cal = PercentileCalibrator.defaults();
            for (int l = 0; l < layers - 1; l++) {
                float[] a = Arrays.copyOf(ws.activation(l), sample * out[l]);
                float s = cal.calibrate(a, 1, actSpec).scale(0);
                alpha[l] = new float[] {LearnedClip.keepPositive(s * actQmax)};
                gAlpha[l] = new float[1];
            }
        }
    }

    /** Registers every trained array: latent weights with decay; biases, steps, logits and clips without. */
    void register(AdamW opt) {
        for (int l = 0; l < layers; l++) {
            opt.register(mix[l].weight(), mix[l].weightGrad(), true);
            opt.register(b[l], gb[l], false);
            for (int k = 0; k < mix[l].candidates().length; k++) {
                opt.register(mix[l].steps(k), mix[l].stepGrad(k), false);
            }
            opt.register(mix[l].logits(), mix[l].logitGrad(), false);
            if (alpha[l] != null) {
                opt.register(alpha[l], gAlpha[l], false);
            }
        }
    }

    /**
     * Draws every layer's width sample at temperature {@code tau}. With the budget projection on,
     * the hard choice is the Gumbel-max sample restricted to the budget, so training uses (and
     * trains the steps of) the widths the projected student will deploy.
     */
    void sample(SplittableRandom rng, double tau, boolean hard) {
        for (MixedPrecisionWeight m : mix) {
            m.sample(rng, tau, hard);
        }
        if (hard && projectToBudget) {
            int[] k = CfqTrainer.project(mix, config, true);
            for (int l = 0; l < layers; l++) {
                mix[l].choose(k[l]);
            }
        }
    }

    /** Zeroes every gradient (tests; the trainer lets the optimizer do it). */
    void zeroGradients() {
        for (int l = 0; l < layers; l++) {
            Arrays.fill(mix[l].weightGrad(), 0f);
            for (int k = 0; k < mix[l].candidates().length; k++) {
                Arrays.fill(mix[l].stepGrad(k), 0f);
            }
            Arrays.fill(mix[l].logitGrad(), 0f);
            Arrays.fill(gb[l], 0f);
            if (gAlpha[l] != null) {
                gAlpha[l][0] = 0f;
            }
        }
    }

    /**
     * Runs {@code n} rows forward with the current samples.
     *
     * @return the live logits buffer, (n x 2)
     */
    float[] forward(float[] xb, int n) {
        if (n > capacity) {
            throw new IllegalArgumentException("rows must be <= " + capacity + ", got " + n);
        }
        float[] input = xb;
        for (int l = 0; l < layers; l++) {
            mix[l].forward(wHat[l]);
            Dense.affine(input, n, in[l], wHat[l], b[l], out[l], pre[l]);
            int cnt = n * out[l];
            float[] a = act[l];
            if (l == layers - 1) {
                System.arraycopy(pre[l], 0, a, 0, cnt);
            } else if (alpha[l] != null) {
                LearnedClip.forward(pre[l], cnt, alpha[l][0], actQmax, a);
            } else {
                System.arraycopy(pre[l], 0, a, 0, cnt);
                Dense.relu(a, cnt);
            }
            input = a;
        }
        return act[layers - 1];
    }

    /**
     * Back-propagates dL/dlogits of the last {@link #forward} on the same rows; accumulates
     * into every gradient.
     */
    void backward(float[] xb, int n, float[] dLogits) {
        float[] d = delta[layers - 1];
        System.arraycopy(dLogits, 0, d, 0, n * 2);
        for (int l = layers - 1; l >= 0; l--) {
            float[] input = l == 0 ? xb : act[l - 1];
            Arrays.fill(dWHat[l], 0f);
            Dense.affineWeightGrad(d, input, n, in[l], out[l], dWHat[l], gb[l]);
            mix[l].backward(dWHat[l]);
            if (l == 0) {
                break;
            }
            float[] prev = delta[l - 1];
            Dense.affineInputGrad(d, n, out[l], wHat[l], in[l], prev);
            float[] p = pre[l - 1];
            int cnt = n * in[l];
            if (alpha[l - 1] != null) {
                gAlpha[l - 1][0] += (float) LearnedClip.backward(p, cnt, alpha[l - 1][0], prev, prev);
            } else {
                Dense.reluGrad(p, prev, cnt);
            }
            d = prev;
        }
    }

    /** {@return the student as the last {@link #forward} computed it (its sampled effective weights), not copied} */
    StudentPgdMatch.Net net() {
        return new StudentPgdMatch.Net(wHat, b, alpha, actQmax);
    }

    /**
     * Adds gradients with respect to the effective weights, biases and clips of the last
     * {@link #forward} (the student-matching term): carried to the latent weights, steps and logits
     * like the loss's own.
     */
    void backwardEffective(StudentPgdMatch.Grad g) {
        for (int l = 0; l < layers; l++) {
            mix[l].backward(g.w()[l]);
            float[] gbl = g.b()[l];
            for (int i = 0; i < gbl.length; i++) {
                gb[l][i] += gbl[i];
            }
            if (alpha[l] != null) {
                gAlpha[l][0] += g.alpha()[l];
            }
        }
    }

    /** Keeps steps and clips strictly positive after an optimizer step. */
    void keepPositive() {
        for (int l = 0; l < layers; l++) {
            mix[l].keepPositive();
            if (alpha[l] != null) {
                alpha[l][0] = LearnedClip.keepPositive(alpha[l][0]);
            }
        }
    }

    /** {@return the candidate index of each layer: argmax of the logits, or its exact projection onto B} */
    int[] allocation() {
        if (projectToBudget) {
            return CfqTrainer.project(mix, config, false);
        }
        int[] k = new int[layers];
        for (int l = 0; l < layers; l++) {
            k[l] = mix[l].argmax();
        }
        return k;
    }

    /** {@return the deployable student at the given candidate index per layer} */
    QuantizedMlp snapshot(int[] choice) {
        List<QuantizedLayer> ql = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            int k = choice[l];
            MixedPrecisionWeight m = mix[l];
            UniformQuantizer wq = new UniformQuantizer(m.spec(k), QuantParams.symmetric(m.steps(k)));
            UniformQuantizer aq = null;
            if (l < layers - 1 && alpha[l] != null) {
                aq = new UniformQuantizer(actSpec, QuantParams.symmetric(LearnedClip.step(alpha[l][0], actQmax)));
            }
            ql.add(new QuantizedLayer(in[l], out[l], wq, wq.quantize(m.weight()), b[l], aq));
        }
        return new QuantizedMlp(ql);
    }
}
