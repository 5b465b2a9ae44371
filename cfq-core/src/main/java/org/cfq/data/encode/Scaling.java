package org.cfq.data.encode;

/** How numeric and ordinal features are scaled into the model space. */
public enum Scaling {
    /** (v - mean) / std, fitted on training rows: the published setup. */
    STANDARD,
    /** (v - min) / (max - min), fitted on training rows. */
    MIN_MAX
}
