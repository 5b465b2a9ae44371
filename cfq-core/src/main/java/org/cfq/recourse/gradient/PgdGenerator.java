package org.cfq.recourse.gradient;

import java.util.Objects;
import org.cfq.math.Parallelism;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;
import org.cfq.recourse.RecourseResult;

/**
 * The published pgd solver: minimizes {@code CE(f(x+d), favorable) + c * cost(d) +
 * relu(m - margin(x+d))} by projected gradient steps over the whole batch, with the
 * action-set projection after each step, and keeps per instance the cheapest valid projected
 * point over all steps and restarts. Instances left without recourse get
 * {@link PgdConfig#escalationRounds()} more rounds with a growing outcome weight (see {@link PgdConfig}).
 */
public final class PgdGenerator implements RecourseGenerator<DifferentiableClassifier>,
        SearchProgress.Reporting {
    private final GradientSearch search;
    private final PgdConfig config;
    private long lastFlops;
    private SearchProgress progress = SearchProgress.none();

    /** A generator whose search uses all processors. */
    public PgdGenerator(ActionSpace space, PgdConfig config) {
        this(space, config, Parallelism.defaults());
    }

    /** A generator whose search runs on at most {@code par.threads()} threads (same results for any count). */
    public PgdGenerator(ActionSpace space, PgdConfig config, Parallelism par) {
        this.search = new GradientSearch(space, par);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Reports the first search of every {@link #generate} (not the escalation of its misses) to {@code progress}. */
    @Override
    public void reportTo(SearchProgress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
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
        search.reportTo(progress);
        GradientSearch.Outcome out = search.run(model, factuals, rows, request, config.schedule());
        search.reportTo(SearchProgress.none());
        lastFlops = out.flops();
        RecourseBatch first = Outcomes.cheapestPerInstance(search.space(), factuals, out);
        if (config.escalationRounds() == 0 || first.foundCount() == rows || !search.space().anyMutable()) {
            return first;
        }
        // Second chance for the instances without recourse, as one compact batch.
        int w = search.space().width();
        int[] missing = new int[rows - first.foundCount()];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (!first.get(i).found()) {
                missing[n++] = i;
            }
        }
        float[] sub = new float[n * w];
        for (int q = 0; q < n; q++) {
            System.arraycopy(factuals, missing[q] * w, sub, q * w, w);
        }
        GradientSearch.Outcome more = search.run(model, sub, n, request, config.escalation());
        lastFlops += more.flops();
        RecourseBatch second = Outcomes.cheapestPerInstance(search.space(), sub, more);
        RecourseResult[] merged = first.results().toArray(new RecourseResult[0]);
        for (int q = 0; q < n; q++) {
            merged[missing[q]] = second.get(q);
        }
        return RecourseBatch.of(w, merged);
    }

    /** Floating-point operations the model spent in the last {@link #generate} call (for benchmarks). */
    public long lastFlops() {
        return lastFlops;
    }
}
