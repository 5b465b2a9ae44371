package org.cfq.quant.method;

import java.util.Locale;

/** The quantization methods cfq offers for a float teacher. */
public enum QuantMethod {
    /** Post-training quantization: calibrated scales (MSE step search for weights), no training. */
    PTQ,
    /** Quantization-aware fine-tuning, scales from the latent weights' min-max, straight-through gradients. */
    QAT,
    /** Fine-tuning with learned step sizes (Esser et al. 2020). */
    LSQ,
    /** LSQ weights with PACT learned clips on the hidden activations (quantized by default at the weight width). */
    PACT,
    /** A width per layer under an average-bits budget, chosen exactly from measured sensitivities, then LSQ. */
    MIXED;

    /** {@return the lower-case name used on the command line and in files} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a method name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static QuantMethod parse(String s) {
        for (QuantMethod m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("method must be one of ptq, qat, lsq, pact, mixed, got '" + s + "'");
    }
}
