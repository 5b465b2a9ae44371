package org.cfq.recourse.certified;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.Verifier;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostFunction;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;

/**
 * Certified recourse ({@code --method certified}): for every factual, a feasible counterfactual
 * whose favorable margin is proven above the required margin on every model of the deployment
 * set, for every row of the applicant's neighbourhood.
 *
 * <p>All rows are searched as one batch by {@link CertifiedSearch} on the robust margin (the
 * smallest approximate interval bound over the set) with the Wachter schedule: the objective is the cost plus a
 * penalty on the bound, a row leaves the batch at its first point whose bound clears the target
 * plus the search margin, then bisects back toward the factual. Every point is then checked by
 * the sound {@link Verifier}; rows that fail are searched again with the next search margin of
 * {@link CertifiedConfig#searchMargins()}, as a smaller batch. A row never certified is returned
 * as {@link RecourseResult.Reason#NOT_CERTIFIED} (a candidate failed the check) or
 * {@link RecourseResult.Reason#BUDGET_EXHAUSTED} (the search found no candidate).
 *
 * <p>The model passed to {@link #generate} only supplies the reported margin of a found row
 * (put it in the deployment set to certify it too).
 */
public final class CertifiedGenerator implements RecourseGenerator<DifferentiableClassifier> {
    private final ActionSpace space;
    private final DeploymentSet set;
    private final Neighbourhood nb;
    private final CertifiedConfig config;

    public CertifiedGenerator(ActionSpace space, DeploymentSet set, Neighbourhood nb, CertifiedConfig config) {
        this.space = Objects.requireNonNull(space, "space");
        this.set = Objects.requireNonNull(set, "set");
        this.nb = Objects.requireNonNull(nb, "nb");
        this.config = Objects.requireNonNull(config, "config");
        if (set.inputDim() != space.width() || nb.encoder().width() != space.width()) {
            throw new IllegalArgumentException("widths disagree: action space " + space.width() + ", deployment set "
                    + set.inputDim() + ", neighbourhood " + nb.encoder().width());
        }
    }

    @Override
    public String name() {
        return "certified";
    }

    public DeploymentSet deploymentSet() {
        return set;
    }

    public Neighbourhood neighbourhood() {
        return nb;
    }

    public CertifiedConfig config() {
        return config;
    }

    @Override
    public RecourseBatch generate(DifferentiableClassifier model, float[] factuals, int rows, RecourseRequest request) {
        return generateCertified(model, factuals, rows, request).batch();
    }

    /** {@link #generate} with the certified margins, weakest models and timings. */
    public CertifiedBatch generateCertified(DifferentiableClassifier model, float[] factuals, int rows,
                                            RecourseRequest request) {
        int w = space.width();
        if (factuals.length < rows * w || model.inputDim() != w) {
            throw new IllegalArgumentException("factuals must hold " + rows + " x " + w + " floats and the model take "
                    + w + " inputs");
        }
        CertifiedSearch search = new CertifiedSearch(space, set, nb, config.search());
        CostFunction cost = space.cost(request.cost());
        RecourseResult[] out = new RecourseResult[rows];
        double[] certMargin = new double[rows];
        Arrays.fill(certMargin, Double.NaN);
        String[] weakest = new String[rows];
        Arrays.fill(weakest, "");
        int[] attempts = new int[rows];
        boolean[] candidate = new boolean[rows];
        int[] todo = new int[rows];
        for (int i = 0; i < rows; i++) {
            todo[i] = i;
        }
        int open = rows;
        double searchSeconds = 0;
        double verifySeconds = 0;
        double required = request.requiredMargin();
        for (double extra : config.searchMargins()) {
            if (open == 0) {
                break;
            }
            float[] sub = new float[open * w];
            for (int q = 0; q < open; q++) {
                System.arraycopy(factuals, todo[q] * w, sub, q * w, w);
            }
            long t0 = System.nanoTime();
            float[] cfs = sub.clone();
            boolean[] found = search.run(sub, open, request, required + extra, cfs);
            long t1 = System.nanoTime();
            Verifier.Verification v = Verifier.verify(set, nb, sub, cfs, open, required);
            long t2 = System.nanoTime();
            searchSeconds += (t1 - t0) / 1e9;
            verifySeconds += (t2 - t1) / 1e9;
            float[] teacherMargin = model.margins(cfs, open);
            int kept = 0;
            for (int q = 0; q < open; q++) {
                int i = todo[q];
                attempts[i]++;
                if (!found[q]) {
                    todo[kept++] = i;
                    continue;
                }
                candidate[i] = true;
                double cm = v.certifiedMargin(q);
                if (Double.isNaN(certMargin[i]) || cm > certMargin[i]) {
                    certMargin[i] = cm;
                    weakest[i] = set.get(v.weakest(q)).label();
                }
                if (v.certified(q)) {
                    float[] cf = Arrays.copyOfRange(cfs, q * w, q * w + w);
                    out[i] = new RecourseResult.Found(cf, cost.cost(sub, q * w, cfs, q * w),
                            CostFunction.changedFeatures(space, sub, q * w, cfs, q * w), teacherMargin[q]);
                    certMargin[i] = cm;
                    weakest[i] = set.get(v.weakest(q)).label();
                } else {
                    todo[kept++] = i;
                }
            }
            open = kept;
        }
        for (int q = 0; q < open; q++) {
            int i = todo[q];
            out[i] = new RecourseResult.NotFound(!space.anyMutable() ? RecourseResult.Reason.NO_ACTIONABLE_FEATURES
                    : candidate[i] ? RecourseResult.Reason.NOT_CERTIFIED : RecourseResult.Reason.BUDGET_EXHAUSTED);
        }
        return new CertifiedBatch(RecourseBatch.of(w, out), certMargin, Arrays.asList(weakest), attempts,
                searchSeconds, verifySeconds);
    }
}
