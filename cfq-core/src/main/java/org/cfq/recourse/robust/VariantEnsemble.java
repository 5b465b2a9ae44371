package org.cfq.recourse.robust;

import java.util.List;
import org.cfq.model.DifferentiableClassifier;

/**
 * Several models seen as one classifier whose favorable margin is their worst margin (or a
 * smooth mean), so any gradient recourse generator searched on it optimises the published
 * robust objective: with logits {@code (0, m)} the generator's cross-entropy toward the
 * favorable class is {@code softplus(-m)}, which for {@code m = min_k m_k} is the worst
 * member's cross-entropy, and for {@link Aggregate#MEAN} the members' mean cross-entropy.
 *
 * <p>The gradient of the minimum is the weakest member's gradient (a subgradient at ties, the
 * first weakest member taken). Thread-safe when the members are: it keeps no buffers.
 */
public final class VariantEnsemble implements DifferentiableClassifier {
    /** How the members' margins combine. */
    public enum Aggregate {
        /** The smallest margin: valid for the ensemble means valid for every member. */
        WORST,
        /**
         * The margin whose cross-entropy is the members' mean cross-entropy
         * ({@code -softplus^-1(mean_k softplus(-m_k))}); the published option. Its sign does not
         * say every member is valid: judge the result on the members.
         */
        MEAN
    }

    private final List<? extends DifferentiableClassifier> members;
    private final Aggregate aggregate;
    private final int dim;

    public VariantEnsemble(List<? extends DifferentiableClassifier> members, Aggregate aggregate) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        this.members = List.copyOf(members);
        this.aggregate = aggregate;
        this.dim = members.get(0).inputDim();
        for (DifferentiableClassifier m : members) {
            if (m.inputDim() != dim) {
                throw new IllegalArgumentException("members disagree on the input width: " + dim + " and "
                        + m.inputDim());
            }
        }
    }

    public List<? extends DifferentiableClassifier> members() {
        return members;
    }

    @Override
    public int inputDim() {
        return dim;
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        float[][] m = new float[members.size()][rows];
        for (int k = 0; k < m.length; k++) {
            members.get(k).margins(x, rows, m[k]);
        }
        for (int r = 0; r < rows; r++) {
            out[2 * r] = 0f;
            out[2 * r + 1] = (float) combine(m, r, null);
        }
    }

    @Override
    public void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx) {
        int k = members.size();
        float[][] m = new float[k][rows];
        float[][] g = new float[k][rows * dim];
        for (int i = 0; i < k; i++) {
            members.get(i).marginsAndGradient(x, rows, m[i], g[i]);
        }
        double[] weights = new double[k];
        for (int r = 0; r < rows; r++) {
            double margin = combine(m, r, weights);
            logits[2 * r] = 0f;
            logits[2 * r + 1] = (float) margin;
            // d/dx of dLogits . (0, margin) = dLogits[1] * sum_k weight_k * dm_k/dx
            double up = dLogits[2 * r + 1];
            int o = r * dim;
            for (int j = 0; j < dim; j++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    if (weights[i] != 0) {
                        s += weights[i] * g[i][o + j];
                    }
                }
                dx[o + j] = (float) (up * s);
            }
        }
    }

    /**
     * {@return the combined margin of row r} and, when {@code weights} is given, each member's
     * weight in its gradient.
     */
    private double combine(float[][] m, int r, double[] weights) {
        int k = m.length;
        if (aggregate == Aggregate.WORST) {
            int arg = 0;
            for (int i = 1; i < k; i++) {
                if (m[i][r] < m[arg][r]) {
                    arg = i;
                }
            }
            if (weights != null) {
                java.util.Arrays.fill(weights, 0);
                weights[arg] = 1;
            }
            return m[arg][r];
        }
        double meanCe = 0;
        for (float[] mi : m) {
            meanCe += softplus(-mi[r]);
        }
        meanCe = Math.max(meanCe / k, Double.MIN_NORMAL); // every member far on the favorable side: a huge margin
        // softplus(-M) = meanCe  =>  M = -log(expm1(meanCe))
        double margin = -Math.log(Math.expm1(meanCe));
        if (weights != null) {
            // dM = sum_k sigma(-m_k) / (k sigma(-M)) dm_k
            double denom = k * sigmoid(-margin);
            for (int i = 0; i < k; i++) {
                weights[i] = sigmoid(-m[i][r]) / denom;
            }
        }
        return margin;
    }

    private static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
