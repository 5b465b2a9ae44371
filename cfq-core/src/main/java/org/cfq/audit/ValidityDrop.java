package org.cfq.audit;

/**
 * Validity Drop: the share of factuals with a successful teacher counterfactual whose
 * counterfactual the student does not score favorably. Without any teacher counterfactual (no
 * factuals, e.g. a reference model that accepts every test row, or none found) it is undefined:
 * NaN, never 0, so that it cannot pass for "no recourse broken" in a mean.
 *
 * @param value       the drop, in [0, 1]; NaN when {@code teacherFound} is 0
 * @param invalidated teacher counterfactuals the student rejects
 * @param teacherFound factuals with a successful teacher counterfactual (the denominator)
 */
public record ValidityDrop(double value, int invalidated, int teacherFound) {

    /**
     * @param teacherFound           per factual, whether the teacher's recourse succeeded
     * @param studentMarginAtTeacher per factual, the student's favorable margin at the
     *                               teacher's counterfactual (ignored where not found)
     * @param threshold              the decision threshold on the margin (0 for argmax)
     */
    public static ValidityDrop of(boolean[] teacherFound, float[] studentMarginAtTeacher, double threshold) {
        if (teacherFound.length != studentMarginAtTeacher.length) {
            throw new IllegalArgumentException("teacherFound has " + teacherFound.length
                    + " entries but studentMarginAtTeacher has " + studentMarginAtTeacher.length);
        }
        int found = 0;
        int invalid = 0;
        for (int i = 0; i < teacherFound.length; i++) {
            if (teacherFound[i]) {
                found++;
                if (!(studentMarginAtTeacher[i] > threshold)) {
                    invalid++;
                }
            }
        }
        return new ValidityDrop(found == 0 ? Double.NaN : (double) invalid / found, invalid, found);
    }
}
