package org.cfq.audit;

import java.util.Arrays;

/**
 * Counterfactual Recourse Gap: how much more (or less) the student's own recourse costs
 * than the teacher's, over the factuals where both succeed.
 *
 * @param mean            mean of {@code (cost_S - cost_T) / cost_T}
 * @param median          median of the same relative gaps
 * @param ratioOfMeans    {@code mean(cost_S) / mean(cost_T) - 1}
 * @param meanAbsolute    mean of {@code |cost_S - cost_T|}
 * @param bothFound       factuals where both succeeded and the teacher's cost was positive
 */
public record RecourseGap(double mean, double median, double ratioOfMeans, double meanAbsolute, int bothFound) {

    /** Costs at or below this are "no change" and carry no relative gap. */
    public static final double ZERO_COST = 1e-12;

    /**
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static RecourseGap of(boolean[] teacherFound, double[] teacherCost, boolean[] studentFound,
                                 double[] studentCost) {
        int n = teacherFound.length;
        if (teacherCost.length != n || studentFound.length != n || studentCost.length != n) {
            throw new IllegalArgumentException("recourse gap inputs differ in length: " + n + ", "
                    + teacherCost.length + ", " + studentFound.length + ", " + studentCost.length);
        }
        double[] rel = new double[n];
        int k = 0;
        double sumT = 0;
        double sumS = 0;
        double sumAbs = 0;
        for (int i = 0; i < n; i++) {
            if (teacherFound[i] && studentFound[i] && teacherCost[i] > ZERO_COST) {
                rel[k++] = (studentCost[i] - teacherCost[i]) / teacherCost[i];
                sumT += teacherCost[i];
                sumS += studentCost[i];
                sumAbs += Math.abs(studentCost[i] - teacherCost[i]);
            }
        }
        if (k == 0) {
            return new RecourseGap(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] r = Arrays.copyOf(rel, k);
        double mean = 0;
        for (double v : r) {
            mean += v;
        }
        return new RecourseGap(mean / k, Stats.median(r), sumS / sumT - 1, sumAbs / k, k);
    }
}
