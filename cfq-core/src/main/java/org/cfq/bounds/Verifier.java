package org.cfq.bounds;

import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The sound verifier: a counterfactual is certified for a {@link DeploymentSet} when, for every
 * model, the lower bound of its favorable margin over the applicant's {@link Neighbourhood}
 * ({@link BoundEngine.Method#BEST}) exceeds the required margin. Rows are independent and run
 * in parallel blocks, each with its own engines; results do not depend on the thread count.
 */
public final class Verifier {
    private static final int BLOCK = 64;

    private Verifier() {
    }

    /**
     * Per row and model, the sound lower bound of the favorable margin over the neighbourhood.
     *
     * @param rows     rows of the batch
     * @param models   models of the set
     * @param bounds   (rows x models) row-major
     * @param required the margin a certified row's bounds must exceed
     */
    public record Verification(int rows, int models, double[] bounds, double required) {
        public Verification {
            if (bounds.length != rows * models) {
                throw new IllegalArgumentException("bounds must hold rows x models = " + rows * models + ", got "
                        + bounds.length);
            }
        }

        /** {@return the smallest bound over the set at row r: the certified margin} */
        public double certifiedMargin(int r) {
            double m = Double.POSITIVE_INFINITY;
            for (int k = 0; k < models; k++) {
                m = Math.min(m, bounds[r * models + k]);
            }
            return m;
        }

        /** {@return the bound of model k at row r} */
        public double bound(int r, int k) {
            return bounds[r * models + k];
        }

        /** {@return whether every model's bound at row r exceeds the required margin} */
        public boolean certified(int r) {
            return certifiedMargin(r) > required;
        }

        /** {@return the index of the model with the smallest bound at row r} */
        public int weakest(int r) {
            int best = 0;
            for (int k = 1; k < models; k++) {
                if (bounds[r * models + k] < bounds[r * models + best]) {
                    best = k;
                }
            }
            return best;
        }

        /** {@return how many rows are certified} */
        public int certifiedCount() {
            int n = 0;
            for (int r = 0; r < rows; r++) {
                if (certified(r)) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * Verifies counterfactuals against every model of the set.
     *
     * @param factuals (rows x width), decide which features changed
     * @param cfs      the counterfactuals, (rows x width)
     * @param required margin the bounds must exceed (threshold + requested margin)
     */
    public static Verification verify(DeploymentSet set, Neighbourhood nb, float[] factuals, float[] cfs, int rows,
                                      double required) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(nb, "nb");
        int w = set.inputDim();
        if (nb.encoder().width() != w || factuals.length < rows * w || cfs.length < rows * w) {
            throw new IllegalArgumentException("widths disagree: set " + w + ", neighbourhood "
                    + nb.encoder().width() + ", rows " + rows);
        }
        int k = set.size();
        double[] bounds = new double[rows * k];
        int blocks = (rows + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            BoundEngine[] engines = new BoundEngine[k];
            InputSplitting[] splits = new InputSplitting[k];
            for (int m = 0; m < k; m++) {
                engines[m] = new BoundEngine(set.get(m).network());
                splits[m] = new InputSplitting(engines[m], InputSplitting.DEFAULT_MAX_BOXES);
            }
            float[] lo = new float[w];
            float[] hi = new float[w];
            double[] out = new double[1];
            for (int r = b * BLOCK; r < Math.min(rows, (b + 1) * BLOCK); r++) {
                nb.box(factuals, r * w, cfs, r * w, lo, hi, 0);
                for (int m = 0; m < k; m++) {
                    engines[m].lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.BEST, out);
                    bounds[r * k + m] = splits[m].refine(lo, hi, 0, out[0], required);
                }
            }
        });
        return new Verification(rows, k, bounds, required);
    }
}
