package org.cfq.quant.qat;

import java.util.Locale;

/**
 * How fine-tuning picks the epoch it returns, on the validation rows. The model before
 * fine-tuning (epoch 0) is always a candidate, so fine-tuning never makes the chosen score
 * worse than the starting quantization; on equal scores the earlier epoch is kept.
 */
public enum ModelSelection {
    /** The highest validation accuracy (labels). */
    ACCURACY,
    /**
     * The lowest validation distillation loss to the teacher ({@code T^2 KL} at the config's
     * temperature, no labels): the student closest to the teacher on held-out rows. A smooth
     * score over every validation row, so it is far less noisy than accuracy on a small
     * validation split (German: 105 rows, one row = one point).
     */
    FIDELITY;

    /** {@return the lower-case name used on the command line and in files} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a selection name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static ModelSelection parse(String s) {
        for (ModelSelection m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("selection must be one of accuracy, fidelity, got '" + s + "'");
    }
}
