package org.cfq.model;

/**
 * A two-class classifier over model-space rows: a batch in, logits out.
 *
 * <p>Class 1 is the favorable outcome. The favorable margin of a row is
 * {@code logit[1] - logit[0]}; the row is scored favorably when the margin is
 * above zero. A quantized model is just another classifier, so recourse and the
 * audit work on it without knowing how it computes.
 */
public interface Classifier {

    /** Number of model-space input columns. */
    int inputDim();

    /**
     * Computes the two logits of each row.
     *
     * @param x    rows, (rows x inputDim) row-major
     * @param rows number of rows to score
     * @param out  logits, (rows x 2); overwritten
     */
    void logits(float[] x, int rows, float[] out);

    /**
     * Computes the favorable margin {@code logit[1] - logit[0]} of each row.
     *
     * @param out margins, (rows); overwritten
     */
    default void margins(float[] x, int rows, float[] out) {
        float[] l = new float[rows * 2];
        logits(x, rows, l);
        for (int r = 0; r < rows; r++) {
            out[r] = l[2 * r + 1] - l[2 * r];
        }
    }

    /** {@return the favorable margins of the rows, freshly allocated} */
    default float[] margins(float[] x, int rows) {
        float[] m = new float[rows];
        margins(x, rows, m);
        return m;
    }

    /** {@return 1 where the row is scored favorably (margin &gt; 0), else 0} */
    default int[] predict(float[] x, int rows) {
        float[] m = margins(x, rows);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = m[r] > 0f ? 1 : 0;
        }
        return y;
    }
}
