package org.cfq.data.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Splits;
import org.cfq.data.Table;
import org.cfq.math.Gaussian;

/**
 * A seeded credit-style dataset whose label comes from a known logistic model; see the
 * package documentation for the generating process and the accuracy a good model reaches.
 */
public final class SyntheticCredit {
    /** The dataset's short name. */
    public static final String NAME = "synthetic";
    /** Rows {@link #generate(long)} draws. */
    public static final int DEFAULT_ROWS = 4000;
    /** The favorable label's name. */
    public static final String FAVORABLE = "approved";

    static final List<String> EDUCATION = List.of("secondary", "high_school", "bachelor", "graduate");
    static final List<String> EMPLOYMENT = List.of("unemployed", "part_time", "full_time", "self_employed");
    static final List<String> DEFAULT_HISTORY = List.of("no", "yes");

    private static final double[] EDUCATION_P = {0.20, 0.40, 0.30, 0.10};
    private static final double[] EMPLOYMENT_P = {0.10, 0.20, 0.55, 0.15};
    private static final double[] EMPLOYMENT_INCOME = {-15, -10, 0, 5};
    private static final double[] EMPLOYMENT_LOGIT = {-1.0, -0.4, 0.4, 0.0};

    // Column order of the schema.
    static final int AGE = 0;
    static final int INCOME = 1;
    static final int DEBT = 2;
    static final int SAVINGS = 3;
    static final int EDU = 4;
    static final int EMPLOY = 5;
    static final int DEFAULTED = 6;

    private SyntheticCredit() {
    }

    /** The schema with the paper's actionability: age immutable, everything else free. */
    public static FeatureSchema schema() {
        return new FeatureSchema(NAME, List.of(
                FeatureSpec.integer("age", Actionability.FREE),
                FeatureSpec.continuous("income", Actionability.FREE),
                FeatureSpec.continuous("debt", Actionability.FREE),
                FeatureSpec.continuous("savings", Actionability.FREE),
                FeatureSpec.ordinal("education", EDUCATION, Actionability.FREE),
                FeatureSpec.categorical("employment", EMPLOYMENT, Actionability.FREE),
                FeatureSpec.binary("has_default_history", DEFAULT_HISTORY, Actionability.FREE)),
                "label", FAVORABLE).withActionability(paperActions());
    }

    /** The paper preset: only age is immutable. */
    public static Map<String, Actionability> paperActions() {
        return Map.of("age", Actionability.IMMUTABLE);
    }

    /**
     * The realistic preset: age immutable, education only rises, a past default stays on
     * record, debt is only paid down and savings only grow.
     */
    public static Map<String, Actionability> realisticActions() {
        Map<String, Actionability> m = new LinkedHashMap<>(paperActions());
        m.put("education", Actionability.INCREASE_ONLY);
        m.put("has_default_history", Actionability.IMMUTABLE);
        m.put("debt", Actionability.DECREASE_ONLY);
        m.put("savings", Actionability.INCREASE_ONLY);
        return m;
    }

    /** {@link #generate(int, long)} with {@link #DEFAULT_ROWS} rows. */
    public static Dataset generate(long seed) {
        return generate(DEFAULT_ROWS, seed);
    }

    /**
     * Draws {@code rows} rows and splits them 70/30 (stratified), then carves a stratified
     * 15% validation split from training. The same seed always gives the same dataset.
     *
     * @throws IllegalArgumentException when rows is below 20
     */
    public static Dataset generate(int rows, long seed) {
        return generate(rows, seed, 0);
    }

    /**
     * The rows of {@link #generate(int, long)}, split another way: the split seed is the one
     * {@code generate(rows, seed)} uses plus {@code splitOffset}, so offset 0 gives exactly that
     * dataset and other offsets re-draw only the split (the rows stay the same).
     *
     * @throws IllegalArgumentException when rows is below 20
     */
    public static Dataset generate(int rows, long seed, long splitOffset) {
        SplittableRandom root = new SplittableRandom(seed);
        Table all = table(rows, root.split());
        return Splits.trainValidationTest(NAME, all, "generated (rows=" + rows + ", seed=" + seed + ")",
                root.nextLong() + splitOffset);
    }

    /**
     * Draws {@code rows} rows in one table (no split).
     *
     * @throws IllegalArgumentException when rows is below 20
     */
    public static Table table(int rows, SplittableRandom rng) {
        if (rows < 20) {
            throw new IllegalArgumentException("rows must be at least 20, got " + rows);
        }
        FeatureSchema schema = schema();
        double[][] cols = new double[schema.size()][rows];
        int[] labels = new int[rows];
        double[] x = new double[schema.size()];
        for (int r = 0; r < rows; r++) {
            double age = 18 + rng.nextInt(58);
            int edu = draw(EDUCATION_P, rng);
            int emp = draw(EMPLOYMENT_P, rng);
            double income = Math.max(5, 20 + 8 * edu + 0.3 * (age - 18) + EMPLOYMENT_INCOME[emp]
                    + 8 * Gaussian.next(rng));
            double debt = Math.max(0, 10 + 0.3 * income + 10 * Gaussian.next(rng));
            double savings = Math.max(0, 0.15 * income + 0.2 * (age - 18) + 6 * Gaussian.next(rng));
            int defaulted = rng.nextDouble() < 0.15 ? 1 : 0;
            x[AGE] = age;
            x[INCOME] = income;
            x[DEBT] = debt;
            x[SAVINGS] = savings;
            x[EDU] = edu;
            x[EMPLOY] = emp;
            x[DEFAULTED] = defaulted;
            for (int c = 0; c < x.length; c++) {
                cols[c][r] = x[c];
            }
            double p = 1 / (1 + Math.exp(-logit(x)));
            labels[r] = rng.nextDouble() < p ? 1 : 0;
        }
        return new Table(schema, cols, labels);
    }

    /**
     * The ground-truth log-odds of the favorable label for one row in original units, in
     * schema order (age, income, debt, savings, education index, employment index,
     * has_default_history index); see the package documentation for the formula.
     */
    public static double logit(double[] row) {
        if (row.length != 7) {
            throw new IllegalArgumentException("row must have 7 values, got " + row.length);
        }
        return 0.3
                + 0.15 * (row[INCOME] - 36)
                - 0.15 * (row[DEBT] - 21)
                + 0.15 * (row[SAVINGS] - 11)
                + 0.50 * (row[EDU] - 1.3)
                + EMPLOYMENT_LOGIT[(int) row[EMPLOY]]
                - 2.0 * row[DEFAULTED]
                + 0.01 * (row[AGE] - 46);
    }

    /** The ground-truth log-odds of row {@code r} of a table with this schema. */
    public static double logit(Table t, int r) {
        double[] row = new double[t.schema().size()];
        for (int c = 0; c < row.length; c++) {
            row[c] = t.value(r, c);
        }
        return logit(row);
    }

    private static int draw(double[] p, SplittableRandom rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < p.length - 1; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        return p.length - 1;
    }
}
