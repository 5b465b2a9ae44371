package org.cfq.data;

/** What values a feature takes, which decides how it is encoded and moved by recourse. */
public enum FeatureKind {
    /** A real number. */
    CONTINUOUS,
    /** A whole number; recourse keeps it integral. */
    INTEGER,
    /** Two levels, encoded as one 0/1 column. */
    BINARY,
    /** Unordered levels, encoded one-hot; recourse keeps the group exactly one-hot. */
    CATEGORICAL,
    /** Ordered levels, encoded as the level's index; recourse keeps it on a level. */
    ORDINAL;

    /** {@return true for kinds whose values are named levels} */
    public boolean hasLevels() {
        return this == BINARY || this == CATEGORICAL || this == ORDINAL;
    }
}
