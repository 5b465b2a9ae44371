package org.cfq.train;

/**
 * Batched losses over two-class logits, (rows x 2) row-major. No method allocates.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Two-class softmax cross-entropy, {@code -log softmax(z)[y]}, and its gradient with
     * respect to the logits.
     *
     * <p>With margin {@code m = z1 - z0} and {@code s = +1} for label 1, {@code -1} for
     * label 0, the loss of a row is {@code softplus(-s m)}, computed as
     * {@code max(t, 0) + log1p(exp(-|t|))} so it neither overflows nor loses precision for
     * large margins. The gradient is {@code dz1 = p1 - y}, {@code dz0 = -(p1 - y)} with
     * {@code p1 = sigmoid(m)}.
     *
     * @param logits      (rows x 2), read from index 0
     * @param labels      labels 0 or 1, read from {@code labelOffset}
     * @param labelOffset index of the first row's label in {@code labels}
     * @param rows        number of rows
     * @param gradScale   factor applied to each row's gradient, e.g. {@code 1 / rows} for the mean loss
     * @param dLogits     (rows x 2), overwritten with {@code gradScale * dLoss/dLogits}; null to skip
     * @return the sum of the per-row losses (not scaled)
     * @throws IllegalArgumentException when a label is not 0 or 1
     */
    public static double softmaxCrossEntropy(float[] logits, int[] labels, int labelOffset, int rows,
                                             double gradScale, float[] dLogits) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int y = labels[labelOffset + r];
            if (y != 0 && y != 1) {
                throw new IllegalArgumentException("label at row " + (labelOffset + r) + " must be 0 or 1, got " + y);
            }
            double m = (double) logits[2 * r + 1] - logits[2 * r];
            double t = y == 1 ? -m : m;
            sum += softplus(t);
            if (dLogits != null) {
                double g = (sigmoid(m) - y) * gradScale;
                dLogits[2 * r] = (float) -g;
                dLogits[2 * r + 1] = (float) g;
            }
        }
        return sum;
    }

    /** {@return the number of rows whose predicted class (margin &gt; 0) equals the label} */
    public static int correct(float[] logits, int[] labels, int labelOffset, int rows) {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int pred = logits[2 * r + 1] - logits[2 * r] > 0f ? 1 : 0;
            if (pred == labels[labelOffset + r]) {
                n++;
            }
        }
        return n;
    }

    /** {@return log(1 + e^t)}, stable for every finite t */
    public static double softplus(double t) {
        return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    /** {@return 1 / (1 + e^-m)}, stable for every finite m */
    public static double sigmoid(double m) {
        if (m >= 0) {
            return 1 / (1 + Math.exp(-m));
        }
        double e = Math.exp(m);
        return e / (1 + e);
    }
}
