package org.cfq.bench;

/**
 * The first, plain-loop {@code org.cfq.math.Dense} kernels (commit 2f9d264), kept as the
 * "before" column of {@link KernelBench}.
 */
final class BaselineDense {
    private BaselineDense() {
    }

    /**
     * Affine map of a batch: {@code y = x W^T + b}.
     *
     * @param x input, (rows x in)
     * @param w weight, (out x in)
     * @param b bias, (out), or null for none
     * @param y output, (rows x out); overwritten
     */
    public static void affine(float[] x, int rows, int in, float[] w, float[] b, int out, float[] y) {
        for (int r = 0; r < rows; r++) {
            int xo = r * in;
            int yo = r * out;
            for (int o = 0; o < out; o++) {
                int wo = o * in;
                float s = 0f;
                for (int i = 0; i < in; i++) {
                    s += x[xo + i] * w[wo + i];
                }
                y[yo + o] = b == null ? s : s + b[o];
            }
        }
    }

    /**
     * Back-propagates through an affine map to its input: {@code dx = dy W}.
     *
     * @param dy upstream gradient, (rows x out)
     * @param w weight, (out x in)
     * @param dx output, (rows x in); overwritten
     */
    public static void affineInputGrad(float[] dy, int rows, int out, float[] w, int in, float[] dx) {
        java.util.Arrays.fill(dx, 0, rows * in, 0f);
        for (int r = 0; r < rows; r++) {
            int dyo = r * out;
            int dxo = r * in;
            for (int o = 0; o < out; o++) {
                float g = dy[dyo + o];
                if (g == 0f) {
                    continue;
                }
                int wo = o * in;
                for (int i = 0; i < in; i++) {
                    dx[dxo + i] += g * w[wo + i];
                }
            }
        }
    }

    /**
     * Accumulates the weight and bias gradients of an affine map:
     * {@code dW += dy^T x}, {@code db += sum_rows dy}.
     *
     * @param dy upstream gradient, (rows x out)
     * @param x layer input, (rows x in)
     * @param dw weight gradient, (out x in); accumulated into
     * @param db bias gradient, (out); accumulated into, or null
     */
    public static void affineWeightGrad(float[] dy, float[] x, int rows, int in, int out, float[] dw, float[] db) {
        for (int r = 0; r < rows; r++) {
            int dyo = r * out;
            int xo = r * in;
            for (int o = 0; o < out; o++) {
                float g = dy[dyo + o];
                if (g == 0f) {
                    continue;
                }
                if (db != null) {
                    db[o] += g;
                }
                int wo = o * in;
                for (int i = 0; i < in; i++) {
                    dw[wo + i] += g * x[xo + i];
                }
            }
        }
    }
}
