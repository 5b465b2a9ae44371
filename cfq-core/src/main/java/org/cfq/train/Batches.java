package org.cfq.train;

/**
 * The mini-batch gathering every training loop shares: the rows of a batch, taken in a shuffled
 * order, copied into buffers allocated once (nothing is allocated per row or per batch).
 */
public final class Batches {
    private Batches() {
    }

    /** {@return the identity order 0, 1, ..., rows - 1, to be shuffled each epoch} */
    public static int[] order(int rows) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Copies the {@code n} rows {@code order[b0 .. b0 + n)} of {@code x} (and their labels) to the
     * front of the batch buffers.
     *
     * @param x     rows, (rows x width) row-major
     * @param y     labels, one per row
     * @param xb    batch rows, room for at least {@code n} rows
     * @param yb    batch labels, room for at least {@code n}
     */
    public static void gather(float[] x, int[] y, int width, int[] order, int b0, int n, float[] xb, int[] yb) {
        for (int i = 0; i < n; i++) {
            int r = order[b0 + i];
            System.arraycopy(x, r * width, xb, i * width, width);
            yb[i] = y[r];
        }
    }

    /**
     * Checks the shapes of a training call: at least one training row, and {@code width} floats a
     * row in both splits.
     *
     * @throws IllegalArgumentException naming the sizes when they disagree
     */
    public static void checkShapes(float[] x, int[] y, float[] xVal, int[] yVal, int width) {
        int rows = y.length;
        if (rows == 0 || x.length != rows * width) {
            throw new IllegalArgumentException("x must be " + rows + " x " + width + " floats with rows > 0, got "
                    + x.length);
        }
        if (xVal.length != yVal.length * width) {
            throw new IllegalArgumentException("validation x must be " + yVal.length + " x " + width + " floats, got "
                    + xVal.length);
        }
    }
}
