package org.cfq.faithful;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.lsq.LearnedStepSize;

/**
 * The trained weight of one layer under a searched bit width: latent float weights, one LSQ
 * step size per candidate width, and one selection logit per candidate.
 *
 * <p>Forward, for the candidate widths {@code b_1 < ... < b_K} and a Gumbel-softmax sample
 * {@code y} of the logits ({@link GumbelSoftmax}):
 * <pre>
 *   Q_k(w)  = clamp(rint(w / s_k), qmin_k, qmax_k) * s_k       (LSQ fake quantization at b_k)
 *   W_hat   = sum_k y_k Q_k(w)
 * </pre>
 * In hard (straight-through) mode {@code y} is the one-hot of the sampled candidate, so
 * {@code W_hat} is exactly that candidate's quantized weight; in soft mode {@code y} is the
 * soft sample. Backward, from {@code G = dL/dW_hat}:
 * <pre>
 *   dL/dy_k  = &lt;G, Q_k(w)&gt;                      then the Gumbel-softmax gradient to the logits
 *   dL/dw   += sum_k y_k * mask_k * G               (straight-through, masked where b_k clamps)
 *   dL/ds_k += y_k * LSQ step gradient of G         ({@link LearnedStepSize#backward})
 * </pre>
 * where {@code y} takes its forward values (one-hot when hard), as automatic differentiation
 * of {@code y_hard - stopgrad(y_soft) + y_soft} gives.
 *
 * <p>The arrays are live: the trainer registers them with its optimizer. Not thread-safe.
 */
public final class MixedPrecisionWeight {
    private final int in;
    private final int out;
    private final int[] candidates;
    private final QuantSpec[] specs;
    private final float[] weight;
    private final float[] weightGrad;
    private final float[][] steps;
    private final float[][] stepGrads;
    private final float[] logits;
    private final float[] logitGrads;
    private final float[][] quantized;
    private final float[] noise;
    private final double[] sample;
    private final double[] dSample;
    private final float[] scaled;
    private int chosen;
    private double temperature = 1;
    private boolean hard = true;

    /**
     * Starts from a float weight: LSQ initial steps at every width, logits all 0 except
     * {@code initialLogit} at the candidate {@code initialBits}.
     *
     * @param weight       (out x in) row-major; copied
     * @param candidates   widths, ascending, each in [2, 8]
     * @param granularity  one step per tensor or per output row
     * @param initialBits  the candidate the logits favor at the start
     * @param initialLogit the logit given to that candidate (the others get 0)
     * @throws IllegalArgumentException on a shape mismatch or when {@code initialBits} is not a candidate
     */
    public MixedPrecisionWeight(int in, int out, float[] weight, int[] candidates, Granularity granularity,
                                int initialBits, float initialLogit) {
        if (in <= 0 || out <= 0 || weight.length != in * out) {
            throw new IllegalArgumentException("weight must be out*in = " + out + "*" + in + " floats, got "
                    + weight.length);
        }
        Objects.requireNonNull(granularity, "granularity");
        if (candidates.length == 0) {
            throw new IllegalArgumentException("candidates must hold at least one width, got none");
        }
        this.in = in;
        this.out = out;
        this.candidates = candidates.clone();
        int k = candidates.length;
        specs = new QuantSpec[k];
        steps = new float[k][];
        stepGrads = new float[k][];
        quantized = new float[k][];
        this.weight = weight.clone();
        weightGrad = new float[weight.length];
        int init = -1;
        for (int j = 0; j < k; j++) {
            if (j > 0 && candidates[j] <= candidates[j - 1]) {
                throw new IllegalArgumentException("candidates must be ascending and distinct, got "
                        + Arrays.toString(candidates));
            }
            specs[j] = QuantSpec.weights(candidates[j], granularity);
            steps[j] = LearnedStepSize.initialSteps(this.weight, out, specs[j]);
            stepGrads[j] = new float[steps[j].length];
            quantized[j] = new float[weight.length];
            if (candidates[j] == initialBits) {
                init = j;
            }
        }
        if (init < 0) {
            throw new IllegalArgumentException("initialBits " + initialBits + " is not a candidate "
                    + Arrays.toString(candidates));
        }
        logits = new float[k];
        logits[init] = initialLogit;
        logitGrads = new float[k];
        noise = new float[k];
        sample = new double[k];
        dSample = new double[k];
        scaled = new float[weight.length];
        chosen = init;
        GumbelSoftmax.soft(logits, null, 0, k, 1, sample);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** {@return the number of weights, {@code in * out}} */
    public int size() {
        return weight.length;
    }

    /** {@return a copy of the candidate widths} */
    public int[] candidates() {
        return candidates.clone();
    }

    /** {@return the spec of candidate {@code k}} */
    public QuantSpec spec(int k) {
        return specs[k];
    }

    /** The live latent weights, (out x in). */
    public float[] weight() {
        return weight;
    }

    /** The live latent-weight gradient. */
    public float[] weightGrad() {
        return weightGrad;
    }

    /** The live steps of candidate {@code k} (one, or one per output row). */
    public float[] steps(int k) {
        return steps[k];
    }

    /** The live step gradient of candidate {@code k}. */
    public float[] stepGrad(int k) {
        return stepGrads[k];
    }

    /** The live selection logits, one per candidate. */
    public float[] logits() {
        return logits;
    }

    /** The live logit gradients. */
    public float[] logitGrad() {
        return logitGrads;
    }

    /** {@return the candidate index of the current sample} */
    public int chosen() {
        return chosen;
    }

    /** {@return the candidate index with the largest logit (ties to the narrower width)} */
    public int argmax() {
        return GumbelSoftmax.hard(logits, null, 0, logits.length);
    }

    /** {@return a copy of the current (soft) sample} */
    public double[] sample() {
        return sample.clone();
    }

    /** Draws fresh Gumbel noise and sets the sample at temperature {@code tau}. */
    public void sample(SplittableRandom rng, double tau, boolean hardSample) {
        GumbelSoftmax.sampleNoise(rng, noise, 0, noise.length);
        setNoise(noise, tau, hardSample);
    }

    /**
     * Sets the sample from given noise (tests fix it to make the map smooth in the logits).
     *
     * @param g one Gumbel value per candidate; copied
     */
    public void setNoise(float[] g, double tau, boolean hardSample) {
        if (g.length != noise.length) {
            throw new IllegalArgumentException("noise needs " + noise.length + " values, got " + g.length);
        }
        if (g != noise) {
            System.arraycopy(g, 0, noise, 0, g.length);
        }
        temperature = tau;
        hard = hardSample;
        GumbelSoftmax.soft(logits, noise, 0, logits.length, tau, sample);
        chosen = GumbelSoftmax.hard(logits, noise, 0, logits.length);
    }

    /** {@return logit plus the current Gumbel noise of candidate {@code k}} */
    public double perturbedLogit(int k) {
        return (double) logits[k] + noise[k];
    }

    /**
     * Replaces the hard choice of the current sample by candidate {@code k} (the budget-feasible
     * choice), keeping the soft sample the straight-through gradient uses.
     */
    public void choose(int k) {
        Objects.checkIndex(k, candidates.length);
        chosen = k;
    }

    /** Fixes the sample to one candidate (evaluation): the one-hot of {@code k}, hard. */
    public void fix(int k) {
        Objects.checkIndex(k, candidates.length);
        Arrays.fill(sample, 0);
        sample[k] = 1;
        chosen = k;
        hard = true;
        temperature = 1;
    }

    /**
     * Computes every candidate's quantized weight and the mixture.
     *
     * @param wHat the mixed weight, (out x in); overwritten
     */
    public void forward(float[] wHat) {
        for (int k = 0; k < candidates.length; k++) {
            LearnedStepSize.forward(weight, steps[k], specs[k], quantized[k]);
        }
        if (hard) {
            System.arraycopy(quantized[chosen], 0, wHat, 0, wHat.length);
            return;
        }
        Arrays.fill(wHat, 0f);
        for (int k = 0; k < candidates.length; k++) {
            float yk = (float) sample[k];
            float[] q = quantized[k];
            for (int i = 0; i < wHat.length; i++) {
                wHat[i] += yk * q[i];
            }
        }
    }

    /**
     * Back-propagates {@code G = dL/dW_hat} of the last {@link #forward}: accumulates into the
     * weight, step and logit gradients.
     *
     * @param dWHat G, (out x in); read only
     */
    public void backward(float[] dWHat) {
        int kk = candidates.length;
        for (int k = 0; k < kk; k++) {
            double dot = 0;
            float[] q = quantized[k];
            for (int i = 0; i < q.length; i++) {
                dot += (double) dWHat[i] * q[i];
            }
            dSample[k] = dot;
        }
        GumbelSoftmax.backward(sample, 0, kk, temperature, dSample, logitGrads);
        if (hard) {
            LearnedStepSize.backward(weight, steps[chosen], specs[chosen], dWHat, weightGrad, stepGrads[chosen]);
            return;
        }
        for (int k = 0; k < kk; k++) {
            float yk = (float) sample[k];
            if (yk == 0f) {
                continue;
            }
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] = yk * dWHat[i];
            }
            LearnedStepSize.backward(weight, steps[k], specs[k], scaled, weightGrad, stepGrads[k]);
        }
    }

    /** Clamps every step to stay strictly positive (after an optimizer step). */
    public void keepPositive() {
        for (float[] s : steps) {
            LearnedStepSize.keepPositive(s);
        }
    }
}
