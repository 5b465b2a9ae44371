package org.cfq.faithful;

import java.util.Objects;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.recourse.gradient.PgdConfig;

/**
 * How CFQ runs. {@link #defaults()} is the published method; {@link #extended(double)} adds
 * this library's two options beyond it (distillation and the exact budget projection).
 *
 * @param budget             the average weight-bits budget B and the candidate widths
 * @param initialBits        the candidate the selection logits favor at the start
 * @param initialLogit       the logit of that candidate at the start (the others get 0), &gt;= 0
 * @param sensitivityInit    favor, per layer, the width of the exact accuracy-centric allocation under the budget
 *                           (the teacher's measured loss increase per layer and width, as the {@code mixed} method
 *                           allocates) instead of {@code initialBits}; the published method starts every layer at
 *                           4 bits, and its logits hardly move in 20 epochs
 * @param temperatureStart   Gumbel-softmax temperature of the first epoch, &gt; 0
 * @param temperatureEnd     temperature of the last epoch, &gt; 0; annealed geometrically per epoch
 * @param budgetWeight       lambda of the penalty {@code lambda * relu(E[bits] - B)^2}, &gt;= 0
 * @param pact               quantize hidden activations with PACT learned clips
 * @param activationBits     unsigned activation width under PACT, in [2, 8] (ignored without PACT)
 * @param granularity        one LSQ step per tensor or per output row
 * @param eta                weight of CE(student(x + d_T), favorable), &gt;= 0
 * @param teacherSearch      the short pgd on the frozen teacher that gives d_T each batch
 * @param hingeWeight        beta of {@code beta * relu(gamma - margin)} at the counterfactuals, &gt;= 0 (0 = off)
 * @param hingeMargin        gamma, &gt;= 0
 * @param matchWeight        mu of the student-teacher margin matching at the counterfactuals, &gt;= 0 (0 = off)
 * @param pathPoints         with matching on, also match the margins at this many interior points
 *                           {@code x + t_j d_T} of each recourse path, &gt;= 0 (0 = only at {@code x + d_T}); holds
 *                           the student's boundary where the teacher's recourse crosses it, so the student's own
 *                           recourse costs what the teacher's does
 * @param pathSpan           the path points are evenly spaced over the last {@code pathSpan} of the path:
 *                           {@code t_j = 1 - pathSpan * j / (pathPoints + 1)}, in (0, 1] (1 = the whole path)
 * @param pinBoundary        matching one-sided, as hinges: the student's margin may not fall below the teacher's
 *                           at {@code x + d_T} ({@code mu relu(m_T - m_S)}) nor rise above it at the path points
 *                           ({@code mu relu(m_S - m_T)}), which pins the student's boundary between them; off =
 *                           squared gaps at both
 * @param distillWeight      kappa of the distillation to the teacher at the data rows, &gt;= 0 (0 = off)
 * @param distillTemperature distillation temperature, &gt; 0
 * @param projectToBudget    choose the final widths by the exact allocator under B (scores: the
 *                           negative log-probabilities of the learned logits), so the student
 *                           never exceeds B; off = the published argmax widths
 * @param learningRate       AdamW step for every trained array, in (0, 1]
 * @param weightDecay        AdamW decoupled decay on the latent weights only, in [0, 1)
 * @param batchSize          data rows per step, &gt;= 1
 * @param epochs             passes over the training rows at most, &gt;= 1
 * @param patience           epochs without a better validation accuracy before stopping, &gt;= 1
 * @param calibrationRows    training rows (seeded sample) that set PACT's initial clips, &gt;= 1
 * @param reuseTeacherSearch when the teacher search draws no noise (one restart), search every
 *                           training row once before the first epoch instead of again in every
 *                           batch: the teacher is frozen, so d_T is bit-identical either way
 */
public record CfqConfig(BitBudget budget, int initialBits, double initialLogit, boolean sensitivityInit,
                        double temperatureStart,
                        double temperatureEnd, double budgetWeight, boolean pact, int activationBits,
                        Granularity granularity, double eta, PgdConfig teacherSearch, double hingeWeight,
                        double hingeMargin, double matchWeight, int pathPoints, double pathSpan, boolean pinBoundary, double distillWeight, double distillTemperature,
                        boolean projectToBudget, double learningRate, double weightDecay, int batchSize, int epochs,
                        int patience, int calibrationRows, boolean reuseTeacherSearch) {

    /** Most interior path points per counterfactual (each one is a row in every batch). */
    public static final int MAX_PATH_POINTS = 8;

    public CfqConfig {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(teacherSearch, "teacherSearch");
        if (!budget.candidates().contains(initialBits)) {
            throw new IllegalArgumentException("initialBits must be one of the candidates " + budget.candidates()
                    + ", got " + initialBits);
        }
        nonNegative("initialLogit", initialLogit);
        positive("temperatureStart", temperatureStart);
        positive("temperatureEnd", temperatureEnd);
        nonNegative("budgetWeight", budgetWeight);
        QuantSpec.checkBits(activationBits);
        nonNegative("eta", eta);
        nonNegative("hingeWeight", hingeWeight);
        nonNegative("hingeMargin", hingeMargin);
        nonNegative("matchWeight", matchWeight);
        if (!(pathSpan > 0 && pathSpan <= 1)) {
            throw new IllegalArgumentException("pathSpan must be in (0, 1], got " + pathSpan);
        }
        if (pathPoints < 0 || pathPoints > MAX_PATH_POINTS) {
            throw new IllegalArgumentException("pathPoints must be in [0, " + MAX_PATH_POINTS + "], got " + pathPoints);
        }
        nonNegative("distillWeight", distillWeight);
        positive("distillTemperature", distillTemperature);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
        }
        atLeastOne("batchSize", batchSize);
        atLeastOne("epochs", epochs);
        atLeastOne("patience", patience);
        atLeastOne("calibrationRows", calibrationRows);
    }

    /**
     * The published method at budget 4: candidates 2, 3, 4, 8 with logits initialised toward 4
     * bits (logit 2 for 4 bits, 0 elsewhere), temperature 5.0 to 0.25, lambda 1e-2, PACT 8-bit
     * activations, per-tensor steps, eta 1.0 with the teacher pgd of 3 steps of 0.08 and 1
     * restart, no hinge (gamma 0.25 when on), no matching, no distillation, argmax widths (no
     * projection), AdamW lr 1e-3 and decay 1e-4, batch 256, 20 epochs, patience 8, 2048 PACT
     * calibration rows.
     */
    public static CfqConfig defaults() {
        return new CfqConfig(BitBudget.of(4), 4, 2.0, false, 5.0, 0.25, 1e-2, true, 8, Granularity.TENSOR, 1.0,
                PgdConfig.cfqTraining(), 0, 0.25, 0, 0, 1.0, false, 0, 2.0, false, 1e-3, 1e-4, 256, 20, 8, 2048, true);
    }

    /** {@return the published method at budget B} */
    public static CfqConfig defaults(double budgetBits) {
        return defaults().withBudget(budgetBits);
    }

    /**
     * The published method plus this library's options, chosen on validation rows (Adult and
     * COMPAS at B = 3, seed 42; see docs/cfq.md): the exact projection of the widths onto the
     * budget (training samples included), distillation to the teacher's soft labels at the data
     * rows (weight 1, temperature 2), and the saturating hinge {@code relu(0.25 - margin)}
     * (weight 1) at the teacher's counterfactuals in place of the cross-entropy (eta 0), which
     * keeps pushing the student's margin there and so makes it lenient.
     */
    public static CfqConfig extended(double budgetBits) {
        return defaults(budgetBits).withDistillation(1.0, 2.0).withProjection(true).withEta(0).withHinge(1.0, 0.25);
    }

    /** {@return the same config at another budget, same candidates} */
    public CfqConfig withBudget(double budgetBits) {
        return withBudget(new BitBudget(budgetBits, budget.candidates()));
    }

    public CfqConfig withBudget(BitBudget b) {
        return new CfqConfig(b, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withEta(double e) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, e, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withPact(boolean on, int bits) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, on,
                bits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withGranularity(Granularity g) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, g, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withHinge(double beta, double gamma) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, beta, gamma, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withMatching(double mu) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, mu, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    /** {@return the same config with the selection logits initialised toward the sensitivity allocation, or not} */
    public CfqConfig withSensitivityInit(boolean on) {
        return new CfqConfig(budget, initialBits, initialLogit, on, temperatureStart, temperatureEnd, budgetWeight,
                pact, activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints,
                pathSpan, pinBoundary, distillWeight, distillTemperature, projectToBudget, learningRate, weightDecay,
                batchSize, epochs, patience, calibrationRows, reuseTeacherSearch);
    }

    /** {@return the same config with margin matching of weight mu at the counterfactual and at {@code points} path points over its last {@code span}} */
    public CfqConfig withPathMatching(double mu, int points, double span, boolean pin) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, mu, points, span, pin, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withDistillation(double weight, double temperature) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, weight,
                temperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withProjection(boolean on) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, on, learningRate, weightDecay, batchSize, epochs, patience, calibrationRows,
                reuseTeacherSearch);
    }

    public CfqConfig withTeacherSearch(PgdConfig pgd) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, pgd, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    public CfqConfig withReuseTeacherSearch(boolean on) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, on);
    }

    public CfqConfig withTraining(int epochsMax, int batch, double lr) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, budgetWeight, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, lr, weightDecay, batch, epochsMax, patience, calibrationRows,
                reuseTeacherSearch);
    }

    public CfqConfig withBudgetWeight(double lambda) {
        return new CfqConfig(budget, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd, lambda, pact,
                activationBits, granularity, eta, teacherSearch, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                distillTemperature, projectToBudget, learningRate, weightDecay, batchSize, epochs, patience,
                calibrationRows, reuseTeacherSearch);
    }

    /**
     * {@return the temperature of a 1-based epoch out of {@link #epochs()}: geometric from
     * {@link #temperatureStart()} at epoch 1 to {@link #temperatureEnd()} at the last}
     */
    public double temperature(int epoch) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch must be in [1, " + epochs + "], got " + epoch);
        }
        if (epochs == 1) {
            return temperatureStart;
        }
        double t = (double) (epoch - 1) / (epochs - 1);
        return temperatureStart * Math.pow(temperatureEnd / temperatureStart, t);
    }

    /** A one-line summary for logs and provenance. */
    public String summary() {
        return "cfq B=" + budget.averageBits() + " candidates=" + budget.candidates() + " init=" + (sensitivityInit ? "sensitivity" : initialBits) + "@"
                + initialLogit + " tau=" + temperatureStart + "->" + temperatureEnd + " lambda=" + budgetWeight
                + " pact=" + (pact ? activationBits + "bit" : "off") + " eta=" + eta + " pgd=" + teacherSearch.steps()
                + "x" + teacherSearch.step() + "/" + teacherSearch.restarts() + " hinge=" + hingeWeight + "@"
                + hingeMargin + " match=" + matchWeight + (pathPoints > 0 ? "+path" + pathPoints + "@" + pathSpan : "") + (pinBoundary ? "(pin)" : "") + " distill=" + distillWeight + "@T" + distillTemperature
                + " project=" + projectToBudget + " lr=" + learningRate + " wd=" + weightDecay + " batch=" + batchSize
                + " epochs<=" + epochs + " patience=" + patience;
    }

    private static void positive(String name, double v) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }

    private static void atLeastOne(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }
}
