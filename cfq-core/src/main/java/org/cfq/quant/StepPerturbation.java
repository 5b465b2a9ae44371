package org.cfq.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.math.Gaussian;

/**
 * Quantization variants of a student, the stress of the paper's robust-recourse study
 * (Yahyati et al. 2026, "robust recourse over quantization variants"): every step size
 * {@code s} of the student (each weight channel's, each activation quantizer's) is moved in the
 * raw parameter its trainers learn, {@code s = softplus(raw)}, to
 * {@code softplus(raw + N(0, sigma^2))}; the integer codes, zero points, widths and biases stay.
 * A variant is what the same integer model computes under a slightly different calibration.
 */
public final class StepPerturbation {
    /** The published noise on the raw step parameter. */
    public static final double PUBLISHED_SIGMA = 0.03;
    /** The published number of variants besides the student. */
    public static final int PUBLISHED_VARIANTS = 5;

    private StepPerturbation() {
    }

    /** {@return {@code count} variants of the student, drawn in order from {@code rng}} */
    public static List<QuantizedMlp> variants(QuantizedMlp student, int count, double sigma, SplittableRandom rng) {
        if (count < 0 || !(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("need count >= 0 and a finite sigma >= 0, got " + count + ", " + sigma);
        }
        List<QuantizedMlp> out = new ArrayList<>(count);
        for (int v = 0; v < count; v++) {
            List<QuantizedLayer> layers = new ArrayList<>();
            for (QuantizedLayer l : student.layers()) {
                UniformQuantizer a = l.activationQuantizer();
                layers.add(new QuantizedLayer(l.in(), l.out(), perturb(l.weightQuantizer(), sigma, rng), l.codes(),
                        l.bias(), a == null ? null : perturb(a, sigma, rng)));
            }
            out.add(new QuantizedMlp(layers));
        }
        return out;
    }

    private static UniformQuantizer perturb(UniformQuantizer q, double sigma, SplittableRandom rng) {
        float[] s = q.params().scales();
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) softplus(inverseSoftplus(s[c]) + sigma * Gaussian.next(rng));
        }
        return new UniformQuantizer(q.spec(), QuantParams.of(s, q.params().zeroPoints()));
    }

    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    /** {@code log(exp(s) - 1)}, written so small steps do not lose their digits. */
    static double inverseSoftplus(double s) {
        if (!(s > 0)) {
            throw new IllegalArgumentException("a step size must be > 0, got " + s);
        }
        return s > 30 ? s : s + Math.log(-Math.expm1(-s));
    }
}
