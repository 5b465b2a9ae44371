package org.cfq.train;

/** Which validation metric picks the best epoch and drives early stopping. */
public enum EarlyStopping {
    /**
     * Lowest mean validation cross-entropy. The default: it is smooth, so it ranks
     * epochs by calibrated confidence rather than by a handful of rows flipping across
     * the boundary, which matters on small validation splits (German: ~100 rows).
     */
    VALIDATION_LOSS,
    /** Highest validation accuracy; ties go to the lower validation loss. */
    VALIDATION_ACCURACY
}
