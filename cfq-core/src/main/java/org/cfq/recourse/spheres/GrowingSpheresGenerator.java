package org.cfq.recourse.spheres;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.math.Gaussian;
import org.cfq.model.Classifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.FeasibilityProjector;
import org.cfq.recourse.ModelOracle;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;

/**
 * Growing spheres over the action set, batched: every active instance draws its samples in the
 * current shell (directions on the mutable columns only, signed to respect increase-only /
 * decrease-only features, radius uniform in the shell), the samples are projected onto the
 * action set and scored in large model calls, and an instance that has a valid sample takes the
 * cheapest one and leaves. Laugel et al.'s second step then resets changed features to the
 * factual, smallest change first, while the point stays valid (sparsification), again for all
 * found instances at once.
 */
public final class GrowingSpheresGenerator implements RecourseGenerator<Classifier> {
    private final ActionSpace space;
    private final FeasibilityProjector projector;
    private final GrowingSpheresConfig config;

    public GrowingSpheresGenerator(ActionSpace space, GrowingSpheresConfig config) {
        this.space = Objects.requireNonNull(space, "space");
        this.projector = new FeasibilityProjector(space);
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return "growing-spheres";
    }

    @Override
    public RecourseBatch generate(Classifier model, float[] factuals, int rows, RecourseRequest request) {
        int w = space.width();
        if (model.inputDim() != w) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " columns, action space has " + w);
        }
        CostFunction cost = space.cost(request.cost());
        float[] weights = cost.weights();
        int ns = config.samples();
        boolean[] mutableCol = new boolean[w];
        int[] sign = new int[w];
        for (int f = 0; f < space.features(); f++) {
            for (int j = space.start(f); j < space.start(f) + space.span(f); j++) {
                mutableCol[j] = space.mutable(f);
                sign[j] = space.actionability(f) == Actionability.INCREASE_ONLY ? 1
                        : space.actionability(f) == Actionability.DECREASE_ONLY ? -1 : 0;
            }
        }
        float[] best = new float[rows * w];
        double[] bestCost = new double[rows];
        double[] bestMargin = new double[rows];
        Arrays.fill(bestCost, Double.POSITIVE_INFINITY);
        int[] active = new int[rows];
        for (int i = 0; i < rows; i++) {
            active[i] = i;
        }
        int nActive = space.anyMutable() ? rows : 0;
        int chunkInst = Math.max(1, config.chunkRows() / ns);
        ModelOracle oracle = ModelOracle.of(model, chunkInst * ns);
        float[] fx = new float[chunkInst * ns * w];
        float[] cand = new float[chunkInst * ns * w];
        SplittableRandom rng = new SplittableRandom(request.seed());
        double req0 = request.requiredMargin();
        for (int shell = 0; shell < config.maxShells() && nActive > 0; shell++) {
            double r0 = shell * config.shellWidth();
            double r1 = r0 + config.shellWidth();
            for (int c0 = 0; c0 < nActive; c0 += chunkInst) {
                int c1 = Math.min(nActive, c0 + chunkInst);
                int m = (c1 - c0) * ns;
                for (int a = c0; a < c1; a++) {
                    int inst = active[a];
                    SplittableRandom ir = rng.split();
                    for (int s = 0; s < ns; s++) {
                        int o = ((a - c0) * ns + s) * w;
                        System.arraycopy(factuals, inst * w, fx, o, w);
                        double norm = 0;
                        for (int j = 0; j < w; j++) {
                            double g = mutableCol[j] ? Gaussian.next(ir) : 0;
                            if (sign[j] != 0) {
                                g = sign[j] * Math.abs(g);
                            }
                            cand[o + j] = (float) g;
                            norm += g * g;
                        }
                        double radius = r0 + ir.nextDouble() * (r1 - r0);
                        double k = norm > 0 ? radius / Math.sqrt(norm) : 0;
                        for (int j = 0; j < w; j++) {
                            cand[o + j] = (float) (fx[o + j] + k * cand[o + j]);
                        }
                    }
                }
                projector.project(fx, cand, m, request.sparsity(), weights);
                oracle.forward(cand, m);
                float[] logits = oracle.logits();
                for (int q = 0; q < m; q++) {
                    double mg = (double) logits[2 * q + 1] - logits[2 * q];
                    if (!(mg > req0)) {
                        continue;
                    }
                    int inst = active[c0 + q / ns];
                    double c = cost.cost(fx, q * w, cand, q * w);
                    if (c < bestCost[inst]) {
                        bestCost[inst] = c;
                        bestMargin[inst] = mg;
                        System.arraycopy(cand, q * w, best, inst * w, w);
                    }
                }
            }
            int kept = 0;
            for (int a = 0; a < nActive; a++) {
                if (bestCost[active[a]] == Double.POSITIVE_INFINITY) {
                    active[kept++] = active[a];
                }
            }
            nActive = kept;
        }
        sparsify(model, factuals, rows, best, bestCost, bestMargin, cost, req0);
        RecourseResult[] out = new RecourseResult[rows];
        for (int i = 0; i < rows; i++) {
            if (bestCost[i] == Double.POSITIVE_INFINITY) {
                out[i] = new RecourseResult.NotFound(space.anyMutable() ? RecourseResult.Reason.BUDGET_EXHAUSTED
                        : RecourseResult.Reason.NO_ACTIONABLE_FEATURES);
            } else {
                float[] cf = Arrays.copyOfRange(best, i * w, i * w + w);
                out[i] = new RecourseResult.Found(cf, bestCost[i],
                        CostFunction.changedFeatures(space, factuals, i * w, cf, 0), bestMargin[i]);
            }
        }
        return RecourseBatch.of(w, out);
    }

    /**
     * Laugel et al.'s feature selection: for every found instance at once, try resetting each
     * changed feature to the factual (smallest weighted change first) and keep the reset when
     * the point stays valid.
     */
    private void sparsify(Classifier model, float[] factuals, int rows, float[] best, double[] bestCost,
                          double[] bestMargin, CostFunction cost, double req0) {
        int w = space.width();
        int nf = space.features();
        int[] found = new int[rows];
        int n = 0;
        for (int i = 0; i < rows; i++) {
            if (bestCost[i] < Double.POSITIVE_INFINITY) {
                found[n++] = i;
            }
        }
        if (n == 0) {
            return;
        }
        // order of features per instance: ascending weighted change
        int[][] order = new int[n][];
        for (int a = 0; a < n; a++) {
            int i = found[a];
            double[] ch = new double[nf];
            Integer[] idx = new Integer[nf];
            for (int f = 0; f < nf; f++) {
                idx[f] = f;
                for (int j = space.start(f); j < space.start(f) + space.span(f); j++) {
                    ch[f] += cost.weight(j) * Math.abs(best[i * w + j] - factuals[i * w + j]);
                }
            }
            Arrays.sort(idx, (p, q) -> Double.compare(ch[p], ch[q]));
            order[a] = Arrays.stream(idx).filter(f -> ch[f] > 0).mapToInt(Integer::intValue).toArray();
        }
        float[] trial = new float[n * w];
        float[] margins = new float[n];
        for (int step = 0; step < nf; step++) {
            boolean any = false;
            for (int a = 0; a < n; a++) {
                int i = found[a];
                System.arraycopy(best, i * w, trial, a * w, w);
                if (step < order[a].length) {
                    int f = order[a][step];
                    System.arraycopy(factuals, i * w + space.start(f), trial, a * w + space.start(f), space.span(f));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            model.margins(trial, n, margins);
            for (int a = 0; a < n; a++) {
                int i = found[a];
                if (step < order[a].length && margins[a] > req0) {
                    System.arraycopy(trial, a * w, best, i * w, w);
                    bestCost[i] = cost.cost(factuals, i * w, best, i * w);
                    bestMargin[i] = margins[a];
                }
            }
        }
    }

}
