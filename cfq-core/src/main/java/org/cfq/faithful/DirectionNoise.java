package org.cfq.faithful;

import java.util.SplittableRandom;
import org.cfq.math.Gaussian;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.FeasibilityProjector;

/**
 * The paper's teacher-quality evaluation: Gaussian noise {@code N(0, sigma^2)} added to the
 * teacher's counterfactual directions d_T during CFQ training (Yahyati et al., 2026), here on every
 * column of every mutable feature (immutable features keep the factual's value), after which each
 * point is projected back onto the action set of its factual (boxes, one-hot groups, grids,
 * monotone rules and the search's sparsity), so the student still trains on feasible points, as
 * the feature-noise shift of the audit does ({@code Shifts.featureNoise}).
 */
final class DirectionNoise {
    private final ActionSpace space;
    private final FeasibilityProjector projector;
    private final double sigma;
    private final int sparsity;
    private final float[] weights;

    /**
     * @param sparsity the search's sparsity limit (0 = none)
     * @param weights  the search's cost weights, which rank changes under the sparsity limit
     */
    DirectionNoise(ActionSpace space, double sigma, int sparsity, float[] weights) {
        if (!(sigma > 0 && sigma < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("direction noise sigma must be finite and > 0, got " + sigma);
        }
        this.space = space;
        this.projector = new FeasibilityProjector(space);
        this.sigma = sigma;
        this.sparsity = sparsity;
        this.weights = weights.clone();
    }

    /**
     * Perturbs {@code rows} points in place: {@code pts[po..]} are {@code x + d_T}, {@code factuals[0..]}
     * their factuals.
     */
    void apply(float[] pts, int po, float[] factuals, int rows, SplittableRandom rng) {
        int w = space.width();
        for (int r = 0; r < rows; r++) {
            int o = po + r * w;
            for (int f = 0; f < space.features(); f++) {
                if (!space.mutable(f)) {
                    continue;
                }
                for (int c = space.start(f); c < space.start(f) + space.span(f); c++) {
                    pts[o + c] += (float) (sigma * Gaussian.next(rng));
                }
            }
        }
        projector.project(factuals, 0, pts, po, rows, sparsity, weights);
    }
}
