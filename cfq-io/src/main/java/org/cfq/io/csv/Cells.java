package org.cfq.io.csv;

import org.cfq.InvalidInputException;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSpec;

/**
 * Turns one text cell into a table value for a feature, or fails naming where the cell is
 * and how to fix it. Shared by {@link CsvTableReader} and the built-in dataset loaders.
 */
public final class Cells {
    private Cells() {
    }

    /** {@return true when a cell marks a missing value: empty (after trimming) or {@code ?}} */
    public static boolean isMissing(String cell) {
        String s = cell.trim();
        return s.isEmpty() || s.equals("?");
    }

    /**
     * Parses a cell: a finite number for numeric kinds (whole for integer features), the
     * level's index for level kinds.
     *
     * @param where the input and place for messages, e.g. "data.csv line 12, column 'age'"
     * @throws InvalidInputException on a missing value, a non-number, NaN or infinity, a
     *                               fractional integer or an unknown level
     */
    public static double parse(String cell, FeatureSpec f, String where) {
        String s = cell.trim();
        if (isMissing(s)) {
            throw new InvalidInputException(where, "missing value ('" + s + "')",
                    "Fill it in or drop the row; for a categorical feature you may add a level such as "
                            + "'unknown' to the schema and write it in the cell (cfq does not impute)");
        }
        if (f.kind().hasLevels()) {
            int idx = f.levelIndex(s);
            if (idx < 0) {
                throw new InvalidInputException(where, "unknown level '" + s + "' for " + f.kind().name().toLowerCase(
                        java.util.Locale.ROOT) + " feature '" + f.name() + "'; its levels are " + f.levels(),
                        "Fix the value or add '" + s + "' to the feature's levels in the schema");
            }
            return idx;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where, "expected a number, found '" + s + "'",
                    "Fix the row or declare '" + f.name() + "' categorical in the schema");
        }
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(where, "NaN and infinite values are not allowed, found '" + s + "'",
                    "Replace it with a finite number or drop the row");
        }
        if (f.kind() == FeatureKind.INTEGER && v != Math.rint(v)) {
            throw new InvalidInputException(where, "integer feature '" + f.name() + "' holds '" + s + "'",
                    "Round the value or declare '" + f.name() + "' continuous in the schema");
        }
        return v;
    }
}
