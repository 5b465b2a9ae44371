package org.cfq.recourse.gradient;

import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseResult;

/** Reduces a search outcome to one result per instance: the cheapest valid slot. */
final class Outcomes {
    private Outcomes() {
    }

    static RecourseBatch cheapestPerInstance(ActionSpace space, float[] factuals, GradientSearch.Outcome out) {
        int rows = out.rows();
        int w = out.width();
        int restarts = rows == 0 ? 0 : out.cost().length / rows;
        RecourseResult[] res = new RecourseResult[rows];
        boolean actionable = space.anyMutable();
        for (int i = 0; i < rows; i++) {
            int bestSlot = -1;
            for (int r = 0; r < restarts; r++) {
                int s = r * rows + i;
                if (out.found(s) && (bestSlot < 0 || out.cost()[s] < out.cost()[bestSlot])) {
                    bestSlot = s;
                }
            }
            if (bestSlot < 0) {
                res[i] = new RecourseResult.NotFound(actionable ? RecourseResult.Reason.BUDGET_EXHAUSTED
                        : RecourseResult.Reason.NO_ACTIONABLE_FEATURES);
                continue;
            }
            float[] cf = java.util.Arrays.copyOfRange(out.points(), bestSlot * w, bestSlot * w + w);
            int changed = CostFunction.changedFeatures(space, factuals, i * w, cf, 0);
            res[i] = new RecourseResult.Found(cf, out.cost()[bestSlot], changed, out.margin()[bestSlot]);
        }
        return RecourseBatch.of(w, res);
    }
}
