package org.cfq.data;

/** How recourse may change a feature. */
public enum Actionability {
    /** Never changed (age, race, sex in the published setup). */
    IMMUTABLE,
    /** Changed freely within its allowed range. */
    FREE,
    /** Only raised (for ordinal and numeric features), e.g. education level. */
    INCREASE_ONLY,
    /** Only lowered, e.g. number of open loans. */
    DECREASE_ONLY
}
