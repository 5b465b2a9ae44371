package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.model.Mlp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The logistic teacher as published ({@link TrainingConfig#logistic()}, nothing overridden) on a
 * dataset shaped like German Credit (600 training rows, so 3 batches per epoch; 48 standardised
 * columns; a noisy linear truth) against the maximum-likelihood logistic regression of the same
 * rows, fitted here by Newton's method. At the MLP's learning rate the teacher stopped far from that
 * fit (the suite's German logistic teachers: 65.0 +- 7.5 % test accuracy against about 75 %).
 */
class LogisticTeacherTest {
    private static final int WIDTH = 48;
    private final ToyData train = ToyData.noisyLogistic(600, WIDTH, 11);
    private final ToyData val = ToyData.noisyLogistic(110, WIDTH, 12);
    private final ToyData heldOut = ToyData.noisyLogistic(20_000, WIDTH, 13);

    @ParameterizedTest
    @ValueSource(longs = {42, 123, 2024})
    void logistic_smallDataset_reachesTheReferenceFitOnHeldOutRows(long seed) {
        double[] ref = newtonFit(train);
        double refAcc = accuracy(ref, heldOut);
        double refLoss = meanLoss(ref, heldOut);

        Mlp teacher = new MlpTrainer(TrainingConfig.logistic().withSeed(seed))
                .train(train.x, train.y, val.x, val.y).model();
        double[] fitted = coefficients(teacher);

        // the reference itself must be a sane fit of this problem (the truth's accuracy is 0.719)
        assertThat(refAcc).isBetween(0.66, 0.74);
        // measured: 0.693-0.697 and 0.578-0.582 against the reference's 0.704 and 0.575; at the
        // MLP's rate (1e-3) the teacher reached 0.548-0.580 and 0.786-0.810
        assertThat(accuracy(fitted, heldOut)).as("held-out accuracy, reference %.4f", refAcc)
                .isGreaterThanOrEqualTo(refAcc - 0.03);
        assertThat(meanLoss(fitted, heldOut)).as("held-out loss, reference %.4f", refLoss)
                .isLessThanOrEqualTo(refLoss + 0.03);
    }

    /** {@code [b, w_0 .. w_{d-1}]} of the teacher's logit difference {@code z_1 - z_0}. */
    private static double[] coefficients(Mlp m) {
        float[] w = m.layers().get(0).weight();
        float[] b = m.layers().get(0).bias();
        int d = m.inputDim();
        double[] beta = new double[d + 1];
        beta[0] = b[1] - b[0];
        for (int j = 0; j < d; j++) {
            // weight is (out x in) row-major: row o holds the weights into logit o
            beta[j + 1] = w[d + j] - w[j];
        }
        return beta;
    }

    /**
     * The unregularised maximum-likelihood logistic regression by Newton's method (IRLS; Hastie,
     * Tibshirani and Friedman, The Elements of Statistical Learning, section 4.4.1), from zero.
     */
    static double[] newtonFit(ToyData d) {
        int n = d.y.length;
        int p = d.width + 1;
        double[] beta = new double[p];
        for (int it = 0; it < 50; it++) {
            double[] g = new double[p];
            double[][] h = new double[p][p];
            double[] row = new double[p];
            for (int r = 0; r < n; r++) {
                row[0] = 1;
                for (int j = 0; j < d.width; j++) {
                    row[j + 1] = d.x[r * d.width + j];
                }
                double pr = sigmoid(dot(beta, row));
                double wgt = pr * (1 - pr);
                for (int i = 0; i < p; i++) {
                    g[i] += (d.y[r] - pr) * row[i];
                    for (int j = 0; j < p; j++) {
                        h[i][j] += wgt * row[i] * row[j];
                    }
                }
            }
            double[] step = solve(h, g);
            double size = 0;
            for (int i = 0; i < p; i++) {
                beta[i] += step[i];
                size = Math.max(size, Math.abs(step[i]));
            }
            if (size < 1e-10) {
                break;
            }
        }
        return beta;
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting ({@code a}, {@code b} overwritten). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    private static double accuracy(double[] beta, ToyData d) {
        int ok = 0;
        for (int r = 0; r < d.y.length; r++) {
            ok += (logit(beta, d, r) > 0 ? 1 : 0) == d.y[r] ? 1 : 0;
        }
        return (double) ok / d.y.length;
    }

    /** Mean cross-entropy of the logistic model {@code beta} on the rows of {@code d}. */
    private static double meanLoss(double[] beta, ToyData d) {
        double s = 0;
        for (int r = 0; r < d.y.length; r++) {
            double z = logit(beta, d, r);
            // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, computed without overflow
            double m = d.y[r] == 1 ? -z : z;
            s += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
        }
        return s / d.y.length;
    }

    private static double logit(double[] beta, ToyData d, int r) {
        double z = beta[0];
        for (int j = 0; j < d.width; j++) {
            z += beta[j + 1] * d.x[r * d.width + j];
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
