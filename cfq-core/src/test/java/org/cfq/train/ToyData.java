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

    /**
     * A noisy logistic-regression problem shaped like a small credit dataset: standard normal
     * columns (as after standard scaling), labels drawn from {@code sigmoid(0.8 + 0.3 (x_0 - x_1 + x_2 -
     * ... - x_11))}, so about 66% favorable, the other columns pure noise. The true model is the same
     * for every seed; the seed draws the rows and labels.
     */
    static ToyData noisyLogistic(int rows, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            double z = 0.8;
            for (int c = 0; c < width; c++) {
                float v = (float) gaussian(rng);
                x[r * width + c] = v;
                z += c < 12 ? (c % 2 == 0 ? 0.3 : -0.3) * v : 0;
            }
            y[r] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new ToyData(x, y, width);
    }

    /** A standard normal draw (Box-Muller), from the caller's generator. */
    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
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
