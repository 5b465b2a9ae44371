package org.cfq.faithful;

import java.util.Objects;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.GradientSearch;
import org.cfq.recourse.gradient.PgdConfig;

/**
 * The teacher counterfactuals CFQ trains on: the short pgd of {@link CfqConfig#teacherSearch()}
 * run on the frozen teacher for the rows the teacher scores unfavorably (margin &lt;= 0), all of
 * them in one batched search.
 *
 * <p>It is the published pgd ({@link org.cfq.recourse.gradient.PgdGenerator}) with the same
 * schedule, called through {@link GradientSearch} directly so the points come back as one
 * matrix rather than one result object per row. A row whose search finds no point the teacher
 * scores favorably gets no counterfactual: training the student toward the favorable class at
 * a point the teacher itself rejects would teach it leniency, not faithfulness.
 *
 * <p>Each row's search is independent of the other rows in the call (the kernels work row by
 * row, and one restart draws no noise), which is what lets {@link CfqTrainer} search every
 * training row once instead of once per batch.
 */
public final class TeacherCounterfactuals {
    private final Mlp teacher;
    private final GradientSearch search;
    private final GradientSearch.Schedule schedule;
    private final RecourseRequest request;
    private final int width;

    /**
     * @param request margin, cost kind and sparsity of the search (its seed is replaced per call)
     */
    public TeacherCounterfactuals(Mlp teacher, ActionSpace space, PgdConfig pgd, RecourseRequest request) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.search = new GradientSearch(space);
        this.request = Objects.requireNonNull(request, "request");
        Objects.requireNonNull(pgd, "pgd");
        // The schedule PgdGenerator runs for this PgdConfig: one round of `steps` steps, fixed outcome weight.
        this.schedule = new GradientSearch.Schedule(pgd.restarts(), pgd.noise(), pgd.step(), pgd.costWeight(), 1,
                pgd.steps(), 1, 1, false, pgd.patience());
        this.width = space.width();
        if (teacher.inputDim() != width) {
            throw new IllegalArgumentException("teacher takes " + teacher.inputDim() + " columns, action space has "
                    + width);
        }
    }

    /** {@return whether a search draws random restarts, so repeating it can change the points} */
    public boolean random() {
        return schedule.restarts() > 1 && schedule.noise() > 0;
    }

    /**
     * Searches counterfactuals for the given rows.
     *
     * @param x       rows, (rows x width); read only
     * @param rows    number of rows
     * @param seed    seed of the search's restart noise
     * @param out     the counterfactual of each row, (rows x width); written only where found
     * @param found   per row, whether a favorable counterfactual was found; overwritten
     * @param margin  per row, the teacher margin at it (0 where not found); overwritten
     * @return the number of rows with a counterfactual
     */
    public int search(float[] x, int rows, long seed, float[] out, boolean[] found, float[] margin) {
        if (rows == 0) {
            return 0;
        }
        GradientSearch.Outcome o = search.run(teacher, x, rows, request.withSeed(seed), schedule);
        int restarts = schedule.restarts();
        int n = 0;
        for (int i = 0; i < rows; i++) {
            int best = -1;
            for (int r = 0; r < restarts; r++) {
                int s = r * rows + i;
                if (o.found(s) && (best < 0 || o.cost()[s] < o.cost()[best])) {
                    best = s;
                }
            }
            found[i] = best >= 0;
            margin[i] = best >= 0 ? (float) o.margin()[best] : 0f;
            if (best >= 0) {
                System.arraycopy(o.points(), best * width, out, i * width, width);
                n++;
            }
        }
        return n;
    }
}
