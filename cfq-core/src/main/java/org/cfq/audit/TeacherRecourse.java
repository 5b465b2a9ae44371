package org.cfq.audit;

import java.util.Objects;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;

/**
 * The teacher's side of an audit: the selected factuals and the teacher's recourse for
 * them. It depends only on the teacher, so one is shared by the audits of every student of
 * that teacher.
 *
 * @param selection   how the factuals were chosen
 * @param testRows    the test-row index of each factual
 * @param factuals    the factual rows, (testRows.length x width)
 * @param width       model-space width
 * @param batch       the teacher's recourse, one result per factual
 * @param request     the recourse request (margin, threshold, cost, sparsity, seed)
 * @param generator   the generator's name
 * @param settings    the generator's settings, for people and files
 * @param seconds     wall-clock seconds of the teacher's search
 */
public record TeacherRecourse(FactualSelection selection, int[] testRows, float[] factuals, int width,
                              RecourseBatch batch, RecourseRequest request, String generator, String settings,
                              double seconds) {
    public TeacherRecourse {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(settings, "settings");
        testRows = testRows.clone();
        factuals = factuals.clone();
        if (factuals.length != testRows.length * width || batch.size() != testRows.length) {
            throw new IllegalArgumentException("factuals must be " + testRows.length + " x " + width
                    + " with one result each, got " + factuals.length + " values and " + batch.size() + " results");
        }
    }

    @Override
    public int[] testRows() {
        return testRows.clone();
    }

    @Override
    public float[] factuals() {
        return factuals.clone();
    }

    /** {@return the number of factuals} */
    public int size() {
        return testRows.length;
    }
}
