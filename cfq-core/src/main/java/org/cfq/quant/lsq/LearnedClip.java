package org.cfq.quant.lsq;

import org.cfq.quant.UniformQuantizer;

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
        float inv = 1f / s;
        for (int i = 0; i < n; i++) {
            float x = pre[i];
            float c = x > 0f ? Math.min(x, alpha) : 0f;
            out[i] = UniformQuantizer.dequantize(UniformQuantizer.code(c, inv, 0, 0, qmax), s, 0);
        }
    }

    /**
     * Back-propagates through the clip.
     *
     * @param upstream dL/dy, (n)
     * @param dPre     dL/dx, (n); overwritten
     * @return dL/dalpha
     */
    public static double backward(float[] pre, int n, float alpha, float[] upstream, float[] dPre) {
        double dAlpha = 0;
        for (int i = 0; i < n; i++) {
            float x = pre[i];
            if (x >= alpha) {
                dAlpha += upstream[i];
                dPre[i] = 0f;
            } else if (x > 0f) {
                dPre[i] = upstream[i];
            } else {
                dPre[i] = 0f;
            }
        }
        return dAlpha;
    }

    /** {@return alpha, raised to at least {@link #MIN_ALPHA}} */
    public static float keepPositive(float alpha) {
        return alpha >= MIN_ALPHA ? alpha : MIN_ALPHA;
    }
}
