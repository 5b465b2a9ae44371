package org.cfq.model;

/** A classifier that also gives batched gradients with respect to its inputs. */
public interface DifferentiableClassifier extends Classifier {

    /**
     * Computes the logits and the gradient of {@code sum_r <dLogits_r, logits_r>}
     * with respect to each input row, in one forward and one backward pass.
     *
     * @param x       rows, (rows x inputDim)
     * @param dLogits upstream gradient per row, (rows x 2); read only
     * @param logits  logits, (rows x 2); overwritten
     * @param dx      input gradient, (rows x inputDim); overwritten
     */
    void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx);

    /**
     * Computes the favorable margins and their gradients with respect to the inputs.
     *
     * @param margins margins, (rows); overwritten
     * @param dx      gradient of each row's margin, (rows x inputDim); overwritten
     */
    default void marginsAndGradient(float[] x, int rows, float[] margins, float[] dx) {
        float[] up = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            up[2 * r] = -1f;
            up[2 * r + 1] = 1f;
        }
        float[] l = new float[rows * 2];
        logitsAndInputGradient(x, rows, up, l, dx);
        for (int r = 0; r < rows; r++) {
            margins[r] = l[2 * r + 1] - l[2 * r];
        }
    }
}
