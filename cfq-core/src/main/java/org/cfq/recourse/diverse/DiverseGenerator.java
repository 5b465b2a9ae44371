package org.cfq.recourse.diverse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.SearchProgress;
import org.cfq.recourse.gradient.GradientSearch;

/**
 * k diverse counterfactuals per instance. One batched pgd search runs {@code candidates} slots per
 * instance: the first may use every feature, each other one a seeded random subset of the
 * features (the rest frozen at the factual), which makes the searches end at genuinely different
 * actions. Among the valid end points, the choice is greedy as in DiCE's objective: first the
 * cheapest, then repeatedly the candidate maximizing
 * {@code min L1 distance to the chosen ones - proximityWeight * cost}, skipping duplicates.
 *
 * <p>{@link #generate} returns the cheapest per instance (the {@link RecourseGenerator}
 * contract); {@link #generateDiverse} returns the whole sets.
 */
public final class DiverseGenerator implements RecourseGenerator<DifferentiableClassifier>,
        SearchProgress.Reporting {
    private final ActionSpace space;
    private final GradientSearch search;
    private final DiverseConfig config;

    public DiverseGenerator(ActionSpace space, DiverseConfig config) {
        this.space = Objects.requireNonNull(space, "space");
        this.search = new GradientSearch(space);
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Reports every search of {@link #generate} to {@code progress}. */
    @Override
    public void reportTo(SearchProgress progress) {
        search.reportTo(progress);
    }

    @Override
    public String name() {
        return "diverse";
    }

    @Override
    public RecourseBatch generate(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest request) {
        List<List<RecourseResult.Found>> sets = generateDiverse(model, factuals, rows, request);
        RecourseResult[] out = new RecourseResult[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = sets.get(i).isEmpty() ? new RecourseResult.NotFound(space.anyMutable()
                    ? RecourseResult.Reason.BUDGET_EXHAUSTED : RecourseResult.Reason.NO_ACTIONABLE_FEATURES)
                    : sets.get(i).get(0);
        }
        return RecourseBatch.of(space.width(), out);
    }

    /**
     * Up to {@code count} valid, distinct counterfactuals per instance, cheapest first.
     *
     * @return one list per factual row (empty when none was found)
     */
    public List<List<RecourseResult.Found>> generateDiverse(DifferentiableClassifier model, float[] factuals, int rows,
                                                            RecourseRequest request) {
        int w = space.width();
        int nc = config.candidates();
        int n = rows * nc;
        boolean[] frozen = new boolean[n * w];
        SplittableRandom rng = new SplittableRandom(request.seed()).split();
        for (int s = rows; s < n; s++) {
            for (int f = 0; f < space.features(); f++) {
                if (rng.nextDouble() >= config.keepShare()) {
                    Arrays.fill(frozen, s * w + space.start(f), s * w + space.start(f) + space.span(f), true);
                }
            }
        }
        var pc = config.pgd();
        GradientSearch.Schedule sch = new GradientSearch.Schedule(nc, pc.noise(), pc.step(), pc.costWeight(), 1,
                pc.steps(), 1, 1, false, pc.patience(), pc.rule(), 0);
        GradientSearch.Outcome out = search.run(model, factuals, rows, request, sch, frozen);
        List<List<RecourseResult.Found>> sets = new ArrayList<>(rows);
        int[] chosen = new int[config.count()];
        double[] minDist = new double[nc];
        CostFunction cost = space.cost(request.cost());
        for (int i = 0; i < rows; i++) {
            int k = 0;
            Arrays.fill(minDist, Double.POSITIVE_INFINITY);
            while (k < config.count()) {
                int pick = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < nc; c++) {
                    int s = c * rows + i;
                    if (!out.found(s) || !(minDist[c] > 1e-6)) {
                        continue;
                    }
                    double score = k == 0 ? -out.cost()[s] : minDist[c] - config.proximityWeight() * out.cost()[s];
                    if (score > bestScore) {
                        bestScore = score;
                        pick = c;
                    }
                }
                if (pick < 0) {
                    break;
                }
                chosen[k++] = pick;
                int ps = pick * rows + i;
                for (int c = 0; c < nc; c++) {
                    int s = c * rows + i;
                    if (out.found(s)) {
                        double d = 0;
                        for (int j = 0; j < w; j++) {
                            d += cost.weight(j) * Math.abs(out.points()[s * w + j] - out.points()[ps * w + j]);
                        }
                        minDist[c] = Math.min(minDist[c], d);
                    }
                }
            }
            List<RecourseResult.Found> set = new ArrayList<>(k);
            for (int q = 0; q < k; q++) {
                int s = chosen[q] * rows + i;
                float[] cf = Arrays.copyOfRange(out.points(), s * w, s * w + w);
                set.add(new RecourseResult.Found(cf, out.cost()[s], CostFunction.changedFeatures(space, factuals,
                        i * w, cf, 0), out.margin()[s]));
            }
            sets.add(List.copyOf(set));
        }
        return sets;
    }
}
