package org.cfq.model;

/**
 * Accuracy and decision agreement: the one implementation every trainer, audit and command
 * scores with. Empty inputs give NaN (undefined), never 0 or 1.
 */
public final class Scores {
    private Scores() {
    }

    /** {@return the share of rows whose decision equals the label, NaN for none} */
    public static double accuracy(int[] decisions, int[] labels) {
        if (decisions.length != labels.length) {
            throw new IllegalArgumentException("decisions and labels must have the same length, got "
                    + decisions.length + " and " + labels.length);
        }
        if (labels.length == 0) {
            return Double.NaN;
        }
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (decisions[i] == labels[i]) {
                ok++;
            }
        }
        return (double) ok / labels.length;
    }

    /** {@return the classifier's accuracy on rows x (rows x inputDim, row-major) with labels y, NaN for none} */
    public static double accuracy(Classifier c, float[] x, int[] y) {
        return y.length == 0 ? Double.NaN : accuracy(c.predict(x, y.length), y);
    }

    /**
     * {@return the share of the most frequent label, NaN for none}: the accuracy of always
     * predicting that label, the floor any useful classifier must clear
     */
    public static double majorityRate(int[] labels) {
        if (labels.length == 0) {
            return Double.NaN;
        }
        int positives = 0;
        for (int y : labels) {
            if (y == 1) {
                positives++;
            }
        }
        return (double) Math.max(positives, labels.length - positives) / labels.length;
    }

    /** {@return the share of rows on which two classifiers decide alike, NaN for none} */
    public static double agreement(Classifier a, Classifier b, float[] x, int rows) {
        return rows == 0 ? Double.NaN : accuracy(a.predict(x, rows), b.predict(x, rows));
    }
}
