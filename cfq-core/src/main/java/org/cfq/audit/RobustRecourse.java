package org.cfq.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.StepPerturbation;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.robust.VariantEnsemble;

/**
 * The paper's robust recourse over quantization variants (Yahyati et al. 2026): the student
 * and {@code V} variants of it whose step sizes are perturbed ({@link StepPerturbation});
 * *standard* recourse is searched on the student alone, *robust* recourse on the worst (or
 * mean) cross-entropy over all of them ({@link VariantEnsemble}), with the same generator and
 * request. Each is scored for nominal success (valid on the student) and robust success (valid
 * on the student and every variant), and for its cost.
 */
public final class RobustRecourse {
    private RobustRecourse() {
    }

    /**
     * One kind of recourse, scored.
     *
     * @param found          rows where the generator returned a counterfactual
     * @param nominalValid   found rows the student accepts
     * @param robustValid    found rows the student and every variant accept
     * @param meanCost       mean cost over the found rows (NaN when none)
     */
    public record Scored(int found, int nominalValid, int robustValid, double meanCost) {
    }

    /**
     * @param factuals   the student's rejected applicants searched (rows it scores at or below the threshold)
     * @param standard   recourse searched on the student alone
     * @param robust     recourse searched on the variant ensemble
     * @param variants   variants besides the student
     * @param sigma      noise on the raw step parameter
     * @param aggregate  how the robust search combined the members
     */
    public record Report(int factuals, Scored standard, Scored robust, int variants, double sigma,
                         VariantEnsemble.Aggregate aggregate) {
        /** {@return the share of factuals with robust success for the standard (false) or robust (true) recourse} */
        public double robustSuccess(boolean robustRecourse) {
            return factuals == 0 ? Double.NaN : (double) (robustRecourse ? robust : standard).robustValid() / factuals;
        }

        /** {@return the share of factuals with nominal success} */
        public double nominalSuccess(boolean robustRecourse) {
            return factuals == 0 ? Double.NaN : (double) (robustRecourse ? robust : standard).nominalValid() / factuals;
        }
    }

    /**
     * Runs both searches on the student's rejected rows among {@code candidates}.
     *
     * @param candidates  model-space rows, (rows x width); those the student accepts are skipped
     * @param maxFactuals at most this many rejected rows, the first ones (0 for all)
     * @param rng         draws the variants
     */
    public static Report evaluate(QuantizedMlp student, float[] candidates, int rows, int maxFactuals,
                                  RecourseGenerator<DifferentiableClassifier> generator, RecourseRequest request,
                                  int variants, double sigma, VariantEnsemble.Aggregate aggregate,
                                  SplittableRandom rng) {
        int w = student.inputDim();
        float[] m = student.margins(candidates, rows);
        int limit = maxFactuals == 0 ? Integer.MAX_VALUE : maxFactuals;
        float[] factuals = new float[Math.min(rows, limit) * w];
        int n = 0;
        for (int r = 0; r < rows && n < limit; r++) {
            if (m[r] <= request.threshold()) {
                System.arraycopy(candidates, r * w, factuals, n++ * w, w);
            }
        }
        factuals = java.util.Arrays.copyOf(factuals, n * w);
        List<DifferentiableClassifier> all = new ArrayList<>();
        all.add(student);
        all.addAll(StepPerturbation.variants(student, variants, sigma, rng));
        RecourseBatch standard = generator.generate(student, factuals, n, request);
        RecourseBatch robust = generator.generate(new VariantEnsemble(all, aggregate), factuals, n, request);
        return new Report(n, score(standard, factuals, all, request.threshold()),
                score(robust, factuals, all, request.threshold()), variants, sigma, aggregate);
    }

    private static Scored score(RecourseBatch batch, float[] factuals, List<DifferentiableClassifier> all,
                                double threshold) {
        int n = batch.size();
        boolean[] found = batch.foundMask();
        float[] cfs = batch.counterfactualsOrFactuals(factuals);
        boolean[] nominal = valid(all.get(0), cfs, n, threshold);
        boolean[] every = nominal.clone();
        for (int k = 1; k < all.size(); k++) {
            boolean[] v = valid(all.get(k), cfs, n, threshold);
            for (int r = 0; r < n; r++) {
                every[r] &= v[r];
            }
        }
        int f = 0;
        int nom = 0;
        int rob = 0;
        for (int r = 0; r < n; r++) {
            if (found[r]) {
                f++;
                nom += nominal[r] ? 1 : 0;
                rob += every[r] ? 1 : 0;
            }
        }
        return new Scored(f, nom, rob, f == 0 ? Double.NaN : batch.meanCost());
    }

    private static boolean[] valid(DifferentiableClassifier c, float[] x, int n, double threshold) {
        float[] m = c.margins(x, n);
        boolean[] v = new boolean[n];
        for (int r = 0; r < n; r++) {
            v[r] = m[r] > threshold;
        }
        return v;
    }
}
