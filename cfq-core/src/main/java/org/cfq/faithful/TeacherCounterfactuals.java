package org.cfq.faithful;

import java.util.Objects;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;

/**
 * The teacher counterfactuals CFQ trains on: the short pgd of {@link CfqConfig.Search#pgd()}
 * run on the frozen teacher for the rows the teacher scores unfavorably (margin &lt;= 0), all of
 * them in one batched search.
 *
 * <p>It is the published pgd ({@link PgdGenerator}) with the given settings. A row whose
 * search finds no point the teacher scores favorably gets no counterfactual: training the student toward the favorable class at
 * a point the teacher itself rejects would teach it leniency, not faithfulness.
 *
 * <p>Each row's search is independent of the other rows in the call (the kernels work row by
 * row, and one restart from d = 0 draws no noise), which is what lets {@link CfqTrainer}
 * search every training row once instead of once per batch, with bit-identical results.
 */
public final class TeacherCounterfactuals {
    private final Mlp teacher;
    private final PgdGenerator generator;
    private final PgdConfig pgd;
    private final RecourseRequest request;
    private final int width;

    /**
     * @param request margin, cost kind and sparsity of the search (its seed is replaced per call)
     */
    public TeacherCounterfactuals(Mlp teacher, ActionSpace space, PgdConfig pgd, RecourseRequest request) {
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.pgd = Objects.requireNonNull(pgd, "pgd");
        this.generator = new PgdGenerator(space, pgd);
        this.request = Objects.requireNonNull(request, "request");
        this.width = space.width();
        if (teacher.inputDim() != width) {
            throw new IllegalArgumentException("teacher takes " + teacher.inputDim() + " columns, action space has "
                    + width);
        }
    }

    /** {@return whether a search draws random restarts, so repeating it can change the points} */
    public boolean random() {
        return pgd.restarts() > 1 && pgd.noise() > 0;
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
        RecourseBatch b = generator.generate(teacher, x, rows, request.withSeed(seed));
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (b.get(i) instanceof RecourseResult.Found f) {
                f.copyTo(out, i * width);
                margin[i] = (float) f.margin();
                found[i] = true;
                n++;
            } else {
                margin[i] = 0f;
                found[i] = false;
            }
        }
        return n;
    }
}
