package org.cfq.quant.lsq;

import org.cfq.math.Dense;

/**
 * PACT (Choi et al. 2018): a learned clip {@code alpha} for unsigned activations after
 * ReLU. Forward: {@code y = fq(clip(x, 0, alpha))} on the unsigned grid of {@code qmax}
 * codes with step {@code s = alpha / qmax}. Backward (straight-through through the rounding):
 * <pre>
 *   dy/dx     = 1 if 0 &lt; x &lt; alpha, else 0
 *   dy/dalpha = 1 if x &gt;= alpha, else 0
 * </pre>
 * {@code alpha} is kept at or above {@link #MIN_ALPHA}.
 */
public final class LearnedClip {
    /** The smallest clip value. */
    public static final float MIN_ALPHA = 1e-6f;

    private LearnedClip() {
    }

    /** {@return the step {@code alpha / qmax} of the unsigned grid} */
    public static float step(float alpha, int qmax) {
        return alpha / qmax;
    }

    /**
     * Clips and fake-quantizes the first {@code n} pre-activations.
     *
     * @param pre pre-activations (before ReLU)
     * @param out activations; overwritten
     */
    public static void forward(float[] pre, int n, float alpha, int qmax, float[] out) {
        float s = step(alpha, qmax);
        // clip(x, 0, alpha) fake-quantized: UniformQuantizer.dequantize(UniformQuantizer.code(
        // clip, 1f / s, 0, 0, qmax), s, 0), element by element, on the vector kernels (same bits).
        Dense.clipQuantize(pre, n, alpha, s, 1f / s, qmax, out);
    }

    /**
     * Back-propagates through the clip: {@code dPre = upstream} where {@code 0 < pre < alpha},
     * else 0; {@code dL/dalpha} sums {@code upstream} over {@code pre >= alpha} in index order.
     *
     * @param upstream dL/dy, (n)
     * @param dPre     dL/dx, (n); overwritten; may be {@code upstream}
     * @return dL/dalpha
     */
    public static double backward(float[] pre, int n, float alpha, float[] upstream, float[] dPre) {
        return Dense.clipBackward(pre, n, alpha, upstream, dPre);
    }

    /** {@return alpha, raised to at least {@link #MIN_ALPHA}} */
    public static float keepPositive(float alpha) {
        return alpha >= MIN_ALPHA ? alpha : MIN_ALPHA;
    }
}
