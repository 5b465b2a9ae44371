package org.cfq.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded stratified splits: each class keeps its share in both parts, and the same seed
 * always gives the same rows.
 *
 * <p>The built-in datasets use {@link #DEFAULT_SEED}, {@link #DEFAULT_TEST_FRACTION} and
 * {@link #DEFAULT_VALIDATION_FRACTION}, so every command (train, recourse, quantize, audit)
 * sees the same training, validation and test rows.
 */
public final class Splits {
    /** The split seed every command uses unless told otherwise. */
    public static final long DEFAULT_SEED = 0L;
    /** Share of all rows held out for testing when a dataset has no test file. */
    public static final double DEFAULT_TEST_FRACTION = 0.30;
    /** Share of the training rows carved out for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.15;

    private Splits() {
    }

    /**
     * Row indices of the two parts of a split, each ascending.
     *
     * @param kept    rows that stay (e.g. training)
     * @param heldOut rows held out (e.g. test or validation)
     */
    public record Partition(int[] kept, int[] heldOut) {
        public Partition {
            kept = kept.clone();
            heldOut = heldOut.clone();
        }

        @Override
        public int[] kept() {
            return kept.clone();
        }

        @Override
        public int[] heldOut() {
            return heldOut.clone();
        }
    }

    /**
     * The two tables of a split.
     *
     * @param kept    rows that stay
     * @param heldOut rows held out
     */
    public record TablePair(Table kept, Table heldOut) {
        public TablePair {
            Objects.requireNonNull(kept, "kept");
            Objects.requireNonNull(heldOut, "heldOut");
        }
    }

    /**
     * A seeded sample without replacement: the first {@code n} slots of a partial Fisher-Yates
     * shuffle of {@code 0 .. rows-1}.
     *
     * @param n   sample size, in [0, rows]
     * @param rng the source of randomness; it is advanced
     */
    public static int[] sampleIndices(int rows, int n, SplittableRandom rng) {
        if (n < 0 || n > rows) {
            throw new IllegalArgumentException("sample size must be in [0, " + rows + "], got " + n);
        }
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(rows - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, n);
    }

    /**
     * Splits row indices by label: in each class, {@code round(n_class * heldOutFraction)}
     * rows, drawn without replacement, are held out.
     *
     * @param labels          0/1 label per row
     * @param heldOutFraction share held out, in [0, 1)
     * @param rng             the source of randomness; it is advanced
     * @throws IllegalArgumentException when the fraction is outside [0, 1) or a label is not 0/1
     */
    public static Partition stratified(int[] labels, double heldOutFraction, SplittableRandom rng) {
        Objects.requireNonNull(rng, "rng");
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + heldOutFraction);
        }
        int[][] byClass = new int[2][];
        int[] counts = new int[2];
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] != 0 && labels[r] != 1) {
                throw new IllegalArgumentException("label at row " + r + " must be 0 or 1, got " + labels[r]);
            }
            counts[labels[r]]++;
        }
        for (int c = 0; c < 2; c++) {
            byClass[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int r = 0; r < labels.length; r++) {
            byClass[labels[r]][counts[labels[r]]++] = r;
        }
        int totalHeld = 0;
        int[] held = new int[2];
        for (int c = 0; c < 2; c++) {
            held[c] = (int) Math.round(byClass[c].length * heldOutFraction);
            totalHeld += held[c];
        }
        int[] heldOut = new int[totalHeld];
        int[] kept = new int[labels.length - totalHeld];
        int h = 0;
        int k = 0;
        for (int c = 0; c < 2; c++) {
            int[] idx = byClass[c];
            // Partial Fisher-Yates: the first held[c] slots become a uniform sample without replacement.
            for (int i = 0; i < held[c]; i++) {
                int j = i + rng.nextInt(idx.length - i);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            for (int i = 0; i < idx.length; i++) {
                if (i < held[c]) {
                    heldOut[h++] = idx[i];
                } else {
                    kept[k++] = idx[i];
                }
            }
        }
        // Ascending order keeps the file order, so a split reads like a filter of the source.
        Arrays.sort(heldOut);
        Arrays.sort(kept);
        return new Partition(kept, heldOut);
    }

    /**
     * {@return the fewest rows a class needs so a stratified split with these fractions puts
     * at least one of its rows in training, validation and (when {@code testFraction > 0})
     * test} Mirrors the rounding of {@link #stratified(int[], double, SplittableRandom)}.
     */
    public static int minimumClassRows(double testFraction, double validationFraction) {
        for (int n = 1; n < 1_000_000; n++) {
            int test = (int) Math.round(n * testFraction);
            int rest = n - test;
            int val = (int) Math.round(rest * validationFraction);
            if ((testFraction == 0 || test >= 1) && val >= 1 && rest - val >= 1) {
                return n;
            }
        }
        throw new IllegalArgumentException("fractions leave no rows: test " + testFraction + ", validation "
                + validationFraction);
    }

    /**
     * Refuses data a stratified split cannot serve: each class needs rows in every part, or
     * training sees one class only, early stopping reads an empty validation split (a NaN
     * loss) and the test accuracy means nothing.
     *
     * @throws org.cfq.InvalidInputException naming the source, the class, its count and the count needed
     */
    static void requireClassCounts(Table t, String source, double testFraction, double validationFraction) {
        int need = minimumClassRows(testFraction, validationFraction);
        int[] counts = new int[2];
        for (int y : t.labels()) {
            if (y == 0 || y == 1) {
                counts[y]++;
            }
        }
        String[] names = {"the unfavorable class (labels other than '" + t.schema().favorableLabel() + "')",
            "the favorable class ('" + t.schema().favorableLabel() + "')"};
        for (int c = 1; c >= 0; c--) {
            if (counts[c] < need) {
                String parts = testFraction > 0 ? "training, validation and test" : "training and validation";
                throw new org.cfq.InvalidInputException(source, names[c] + " has " + counts[c] + " row"
                        + (counts[c] == 1 ? "" : "s") + " of " + t.rows() + "; the stratified split into " + parts
                        + " needs at least " + need + " rows of each class",
                        "Add rows of that class (at least " + need + "), or check the label column and the "
                                + "schema's favorableLabel");
            }
        }
    }

    /** Splits a table by label; see {@link #stratified(int[], double, SplittableRandom)}. */
    public static TablePair stratified(Table table, double heldOutFraction, SplittableRandom rng) {
        Partition p = stratified(table.labels(), heldOutFraction, rng);
        return new TablePair(table.select(p.kept), table.select(p.heldOut));
    }

    /**
     * A dataset from one table: a stratified test split, then a stratified validation split
     * carved out of the training part. Each step draws from its own stream split off
     * {@code new SplittableRandom(seed)}.
     *
     * @param testFraction       share of all rows for testing, in [0, 1)
     * @param validationFraction share of the training rows for validation, in [0, 1)
     */
    public static Dataset trainValidationTest(String name, Table all, String source, double testFraction,
                                              double validationFraction, long seed) {
        requireClassCounts(all, source, testFraction, validationFraction);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom testRng = root.split();
        SplittableRandom validationRng = root.split();
        TablePair trainTest = stratified(all, testFraction, testRng);
        TablePair trainVal = stratified(trainTest.kept(), validationFraction, validationRng);
        return new Dataset(name, all.schema(), trainVal.kept(), trainVal.heldOut(), trainTest.heldOut(), source);
    }

    /** {@link #trainValidationTest(String, Table, String, double, double, long)} with the default fractions. */
    public static Dataset trainValidationTest(String name, Table all, String source, long seed) {
        return trainValidationTest(name, all, source, DEFAULT_TEST_FRACTION, DEFAULT_VALIDATION_FRACTION, seed);
    }

    /**
     * A dataset whose test rows come separately (e.g. adult.test): only the validation split
     * is drawn, from the training rows, with the same stream a
     * {@link #trainValidationTest(String, Table, String, long) one-table split} would use for it.
     */
    public static Dataset withValidation(String name, Table train, Table test, String source,
                                         double validationFraction, long seed) {
        requireClassCounts(train, source, 0, validationFraction);
        SplittableRandom root = new SplittableRandom(seed);
        root.split();
        SplittableRandom validationRng = root.split();
        TablePair trainVal = stratified(train, validationFraction, validationRng);
        return new Dataset(name, train.schema(), trainVal.kept(), trainVal.heldOut(), test, source);
    }
}
