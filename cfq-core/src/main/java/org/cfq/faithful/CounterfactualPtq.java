package org.cfq.faithful;

import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.OutputCalibration;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.MixedPtq;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;

/**
 * The paper's counterfactual-aware PTQ ({@code cf-ptq}): {@link MixedPtq} whose sensitivity and
 * output calibration also see the teacher's recourse points of the calibration rows (the
 * paper: validation rows) it rejects, labelled favorable. The points come from the pgd
 * ({@link PgdConfig#defaults()}) on the frozen teacher under the caller's recourse request;
 * rows without a point found add nothing.
 */
public final class CounterfactualPtq {
    private CounterfactualPtq() {
    }

    /** The student and how many recourse points joined the calibration rows. */
    public record Result(MixedPtq.Result student, int calibrationRows, int recoursePoints) {
        public Result {
            Objects.requireNonNull(student, "student");
        }
    }

    /**
     * @param x calibration rows (rows x inputDim) with labels {@code y}
     * @param rng seeds the recourse search and the calibration order
     */
    public static Result quantize(Mlp teacher, BitBudget budget, MixedPtq.Allocation allocation,
                                  OutputCalibration.Config calibration, ActionSpace space, RecourseRequest request,
                                  float[] x, int[] y, int rows, SplittableRandom rng) {
        int width = teacher.inputDim();
        float[] points = recoursePoints(teacher, space, request, x, rows, rng.nextLong());
        int k = points.length / width;
        float[] cx = new float[(rows + k) * width];
        int[] cy = new int[rows + k];
        System.arraycopy(x, 0, cx, 0, rows * width);
        System.arraycopy(y, 0, cy, 0, rows);
        System.arraycopy(points, 0, cx, rows * width, k * width);
        for (int i = rows; i < rows + k; i++) {
            cy[i] = 1;
        }
        MixedPtq.Result r = MixedPtq.quantize(teacher, budget, allocation, calibration, cx, cy, rows + k, rng);
        return new Result(r, rows + k, k);
    }

    /** {@return the teacher's pgd counterfactuals of the rows it rejects, (found x width)} */
    public static float[] recoursePoints(Mlp teacher, ActionSpace space, RecourseRequest request, float[] x,
                                         int rows, long seed) {
        int width = teacher.inputDim();
        float[] m = teacher.margins(x, rows);
        int neg = 0;
        for (int r = 0; r < rows; r++) {
            if (!(m[r] > 0f)) {
                neg++;
            }
        }
        float[] nx = new float[neg * width];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            if (!(m[r] > 0f)) {
                System.arraycopy(x, r * width, nx, k++ * width, width);
            }
        }
        RecourseBatch b = new PgdGenerator(space, PgdConfig.defaults()).generate(teacher, nx, neg,
                request.withSeed(seed));
        float[] out = new float[b.foundCount() * width];
        int f = 0;
        for (int i = 0; i < neg; i++) {
            if (b.get(i) instanceof RecourseResult.Found found) {
                found.copyTo(out, f++ * width);
            }
        }
        return out;
    }
}
