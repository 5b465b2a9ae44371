package org.cfq.recourse;

import java.util.Objects;

/** The outcome of a recourse search for one instance: {@link Found} or {@link NotFound}. */
public sealed interface RecourseResult permits RecourseResult.Found, RecourseResult.NotFound {

    /** {@return true for {@link Found}} */
    default boolean found() {
        return this instanceof Found;
    }

    /**
     * A valid, feasible counterfactual.
     *
     * @param counterfactual   the model-space row x' (copied in and out)
     * @param cost             its cost under the request's cost kind
     * @param changedFeatures  number of changed features (a categorical group counts once)
     * @param margin           the model's favorable margin at x'
     */
    record Found(float[] counterfactual, double cost, int changedFeatures, double margin) implements RecourseResult {
        public Found {
            counterfactual = counterfactual.clone();
            for (float v : counterfactual) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("counterfactual must be finite, got " + v);
                }
            }
            if (!(cost >= 0 && cost < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("cost must be in [0, inf), got " + cost);
            }
            if (changedFeatures < 0) {
                throw new IllegalArgumentException("changedFeatures must be >= 0, got " + changedFeatures);
            }
            if (!Double.isFinite(margin)) {
                throw new IllegalArgumentException("margin must be finite, got " + margin);
            }
        }

        @Override
        public float[] counterfactual() {
            return counterfactual.clone();
        }

        /** Copies x' into {@code out} at {@code offset} without allocating. */
        public void copyTo(float[] out, int offset) {
            System.arraycopy(counterfactual, 0, out, offset, counterfactual.length);
        }

        /** Width of the row. */
        public int width() {
            return counterfactual.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Found f && java.util.Arrays.equals(f.counterfactual, counterfactual)
                    && f.cost == cost && f.changedFeatures == changedFeatures && f.margin == margin;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(counterfactual) * 31 + Double.hashCode(cost);
        }

        @Override
        public String toString() {
            return "Found[cost=" + cost + ", changed=" + changedFeatures + ", margin=" + margin + "]";
        }
    }

    /** No counterfactual, with the reason. */
    record NotFound(Reason reason) implements RecourseResult {
        public NotFound {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a search returned no counterfactual. */
    enum Reason {
        /** The search ran out of steps, rounds or samples without a valid feasible point. */
        BUDGET_EXHAUSTED,
        /** No feature of the instance may change under the action set. */
        NO_ACTIONABLE_FEATURES,
        /** An exact method proved that no feasible point is valid. */
        PROVEN_INFEASIBLE,
        /** The generator needs a model of another kind (e.g. linear-exact on a non-linear model). */
        UNSUPPORTED_MODEL,
        /** A counterfactual was found but rejected as implausible ({@link Plausibility#require}). */
        NOT_PLAUSIBLE,
        /**
         * Feasible candidates were found, but for none of them did the sound bound of every
         * deployed model's margin over the applicant's neighbourhood exceed the required margin.
         */
        NOT_CERTIFIED
    }
}
