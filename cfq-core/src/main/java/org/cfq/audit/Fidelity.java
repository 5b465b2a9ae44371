package org.cfq.audit;

/**
 * How faithfully a student reproduces its teacher's decisions.
 *
 * @param agreement share of rows where student and teacher decide alike
 * @param leniency  share of the teacher's unfavorable rows that the student scores
 *                  favorably: a student that "keeps" recourse by accepting the applicants
 *                  the teacher rejects shows up here
 * @param rows      rows compared
 * @param teacherUnfavorable rows the teacher scored unfavorably (leniency's denominator)
 */
public record Fidelity(double agreement, double leniency, int rows, int teacherUnfavorable) {

    /**
     * Compares two decision vectors (1 = favorable).
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static Fidelity of(int[] teacherDecisions, int[] studentDecisions) {
        if (teacherDecisions.length != studentDecisions.length) {
            throw new IllegalArgumentException("decision vectors differ in length: teacher " + teacherDecisions.length
                    + ", student " + studentDecisions.length);
        }
        int agree = 0;
        int negatives = 0;
        int lenient = 0;
        for (int i = 0; i < teacherDecisions.length; i++) {
            if (teacherDecisions[i] == studentDecisions[i]) {
                agree++;
            }
            if (teacherDecisions[i] == 0) {
                negatives++;
                if (studentDecisions[i] == 1) {
                    lenient++;
                }
            }
        }
        int n = teacherDecisions.length;
        return new Fidelity(n == 0 ? Double.NaN : (double) agree / n,
                negatives == 0 ? 0.0 : (double) lenient / negatives, n, negatives);
    }
}
