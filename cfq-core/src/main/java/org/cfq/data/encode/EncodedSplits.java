package org.cfq.data.encode;

import java.util.Objects;
import org.cfq.data.Dataset;

/**
 * A dataset's train, validation and test splits in a model's space (rows x width, row-major)
 * with their labels: what trainers, quantizers and audits take. The arrays are shared, not
 * copied (they can be large and are read in hot loops): callers must treat them as read only.
 */
public final class EncodedSplits {
    private final float[] trainX;
    private final int[] trainY;
    private final float[] validationX;
    private final int[] validationY;
    private final float[] testX;
    private final int[] testY;
    private final int width;

    /**
     * @param width model-space columns per row, &gt;= 1; every x array holds its labels' count of rows
     * @throws IllegalArgumentException when an array's length does not match its labels and the width
     */
    public EncodedSplits(float[] trainX, int[] trainY, float[] validationX, int[] validationY, float[] testX,
                         int[] testY, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        this.trainX = check("train", trainX, trainY, width);
        this.trainY = trainY;
        this.validationX = check("validation", validationX, validationY, width);
        this.validationY = validationY;
        this.testX = check("test", testX, testY, width);
        this.testY = testY;
        this.width = width;
    }

    /** {@return the three splits of {@code d} encoded by {@code enc}} */
    public static EncodedSplits of(Encoder enc, Dataset d) {
        return new EncodedSplits(enc.encode(d.train()), d.train().labels(), enc.encode(d.validation()),
                d.validation().labels(), enc.encode(d.test()), d.test().labels(), enc.width());
    }

    /** {@return training and validation rows without test rows: what trainers and quantizers read} */
    public static EncodedSplits trainingOnly(float[] trainX, int[] trainY, float[] validationX, int[] validationY,
                                             int width) {
        return new EncodedSplits(trainX, trainY, validationX, validationY, new float[0], new int[0], width);
    }

    /** {@return test rows alone: what an audit reads} */
    public static EncodedSplits testOnly(float[] testX, int[] testY, int width) {
        return new EncodedSplits(new float[0], new int[0], new float[0], new int[0], testX, testY, width);
    }

    private static float[] check(String split, float[] x, int[] y, int width) {
        Objects.requireNonNull(x, split + " rows");
        Objects.requireNonNull(y, split + " labels");
        if (x.length != (long) y.length * width) {
            throw new IllegalArgumentException(split + " rows must hold " + y.length + " x " + width + " = "
                    + (long) y.length * width + " values, got " + x.length);
        }
        return x;
    }

    public float[] trainX() {
        return trainX;
    }

    public int[] trainY() {
        return trainY;
    }

    public float[] validationX() {
        return validationX;
    }

    public int[] validationY() {
        return validationY;
    }

    public float[] testX() {
        return testX;
    }

    public int[] testY() {
        return testY;
    }

    /** {@return model-space columns per row} */
    public int width() {
        return width;
    }

    public int trainRows() {
        return trainY.length;
    }

    public int validationRows() {
        return validationY.length;
    }

    public int testRows() {
        return testY.length;
    }
}
