package org.cfq.train;

import java.util.SplittableRandom;

/** Seeded toy classification data for trainer tests. */
final class ToyData {
    final float[] x;
    final int[] y;
    final int width;

    private ToyData(float[] x, int[] y, int width) {
        this.x = x;
        this.y = y;
        this.width = width;
    }

    /**
     * Points uniform in [-1, 1]^width labelled 1 when {@code x0 + 0.5 x1 > 0}; rows within
     * 0.05 of the boundary are pushed off it, so the classes are separable with a margin.
     */
    static ToyData linearlySeparable(int rows, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                x[r * width + c] = (float) (rng.nextDouble() * 2 - 1);
            }
            double s = x[r * width] + 0.5 * x[r * width + 1];
            if (Math.abs(s) < 0.05) {
                x[r * width] += (float) (s >= 0 ? 0.1 : -0.1);
                s = x[r * width] + 0.5 * x[r * width + 1];
            }
            y[r] = s > 0 ? 1 : 0;
        }
        return new ToyData(x, y, width);
    }

    /** The same rows with every label flipped. */
    ToyData flipped() {
        int[] f = new int[y.length];
        for (int r = 0; r < y.length; r++) {
            f[r] = 1 - y[r];
        }
        return new ToyData(x.clone(), f, width);
    }
}
