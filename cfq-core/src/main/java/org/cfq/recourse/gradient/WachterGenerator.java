package org.cfq.recourse.gradient;

import java.util.Objects;
import org.cfq.math.Parallelism;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;

/**
 * Wachter et al.'s search with CARLA's convention: the pgd objective with the cost weight fixed
 * and the outcome weight raised round by round; each instance stops at its first valid projected
 * point and leaves the batch, so its counterfactual sits just past the boundary.
 */
public final class WachterGenerator implements RecourseGenerator<DifferentiableClassifier>,
        SearchProgress.Reporting {
    private final GradientSearch search;
    private final WachterConfig config;
    private long lastFlops;

    /** A generator whose search uses all processors. */
    public WachterGenerator(ActionSpace space, WachterConfig config) {
        this(space, config, Parallelism.defaults());
    }

    /** A generator whose search runs on at most {@code par.threads()} threads (same results for any count). */
    public WachterGenerator(ActionSpace space, WachterConfig config, Parallelism par) {
        this.search = new GradientSearch(space, par);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Reports every search of {@link #generate} to {@code progress}. */
    @Override
    public void reportTo(SearchProgress progress) {
        search.reportTo(progress);
    }

    @Override
    public String name() {
        return "wachter";
    }

    @Override
    public RecourseBatch generate(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest request) {
        GradientSearch.Outcome out = search.run(model, factuals, rows, request, config.schedule());
        lastFlops = out.flops();
        return Outcomes.cheapestPerInstance(search.space(), factuals, out);
    }

    /** Floating-point operations the model spent in the last {@link #generate} call. */
    public long lastFlops() {
        return lastFlops;
    }
}
