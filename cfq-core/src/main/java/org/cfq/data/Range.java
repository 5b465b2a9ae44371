package org.cfq.data;

/**
 * A closed interval {@code [min, max]} in a feature's original units.
 *
 * @throws IllegalArgumentException when a bound is not finite or {@code min > max}
 */
public record Range(double min, double max) {
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("range must be finite with min <= max, got [" + min + ", " + max + "]");
        }
    }

    public boolean contains(double v) {
        return v >= min && v <= max;
    }

    public double span() {
        return max - min;
    }
}
