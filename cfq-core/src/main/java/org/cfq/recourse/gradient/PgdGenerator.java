package org.cfq.recourse.gradient;

import java.util.Objects;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;

/**
 * The published pgd solver: minimizes {@code CE(f(x+d), favorable) + c * cost(d) +
 * relu(m - margin(x+d))} by projected gradient steps over the whole batch, with the
 * action-set projection after each step, and keeps per instance the cheapest valid projected
 * point over all steps and restarts.
 */
public final class PgdGenerator implements RecourseGenerator<DifferentiableClassifier> {
    private final GradientSearch search;
    private final PgdConfig config;
    private long lastFlops;

    public PgdGenerator(ActionSpace space, PgdConfig config) {
        this.search = new GradientSearch(space);
        this.config = Objects.requireNonNull(config, "config");
    }

    public PgdConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "pgd";
    }

    @Override
    public RecourseBatch generate(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest request) {
        GradientSearch.Outcome out = search.run(model, factuals, rows, request, config.schedule());
        lastFlops = out.flops();
        return Outcomes.cheapestPerInstance(search.space(), factuals, out);
    }

    /** Floating-point operations the model spent in the last {@link #generate} call (for benchmarks). */
    public long lastFlops() {
        return lastFlops;
    }
}
