package org.cfq.faithful;

import java.util.Objects;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.recourse.gradient.PgdConfig;

/**
 * How CFQ runs, in five parts read by name: the width {@link Budget} and its selection, the
 * {@link Quantizers}, the {@link Loss}, the teacher {@link Search} and the {@link Optimiser}.
 * {@link #defaults()} is the published method; {@link #extended(double)} adds this library's
 * two options beyond it (distillation and the exact budget projection).
 */
public record CfqConfig(Budget budget, Quantizers quantizers, Loss loss, Search search, Optimiser optimiser) {

    /** Most interior path points per counterfactual (each one is a row in every batch). */
    public static final int MAX_PATH_POINTS = 8;

    public CfqConfig {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(quantizers, "quantizers");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(optimiser, "optimiser");
    }

    /**
     * The average weight-bits budget and the learned per-layer width selection.
     *
     * @param bits             the average weight-bits budget B and the candidate widths
     * @param initialBits      the candidate the selection logits favor at the start
     * @param initialLogit     the logit of that candidate at the start (the others get 0), &gt;= 0
     * @param sensitivityInit  favor, per layer, the width of the exact accuracy-centric allocation under the budget
     *                         (the teacher's measured loss increase per layer and width, as the {@code mixed} method
     *                         allocates) instead of {@code initialBits}; the published method starts every layer at
     *                         4 bits, and its logits hardly move in 20 epochs
     * @param temperatureStart Gumbel-softmax temperature of the first epoch, &gt; 0
     * @param temperatureEnd   temperature of the last epoch, &gt; 0; annealed geometrically per epoch
     * @param penaltyWeight    lambda of the penalty {@code lambda * relu(E[bits] - B)^2}, &gt;= 0
     * @param projectToBudget  choose the final widths by the exact allocator under B (scores: the negative
     *                         log-probabilities of the learned logits), so the student never exceeds B; off = the
     *                         published argmax widths
     */
    public record Budget(BitBudget bits, int initialBits, double initialLogit, boolean sensitivityInit,
                         double temperatureStart, double temperatureEnd, double penaltyWeight,
                         boolean projectToBudget) {
        public Budget {
            Objects.requireNonNull(bits, "bits");
            if (!bits.candidates().contains(initialBits)) {
                throw new IllegalArgumentException("initialBits must be one of the candidates " + bits.candidates()
                        + ", got " + initialBits);
            }
            nonNegative("initialLogit", initialLogit);
            positive("temperatureStart", temperatureStart);
            positive("temperatureEnd", temperatureEnd);
            nonNegative("budgetWeight", penaltyWeight);
        }

        /** Budget 4 over candidates 2, 3, 4, 8, logit 2 toward 4 bits, temperature 5.0 to 0.25, lambda 1e-2, argmax widths. */
        public static Budget defaults() {
            return new Budget(BitBudget.of(4), 4, 2.0, false, 5.0, 0.25, 1e-2, false);
        }

        public Budget withBits(BitBudget b) {
            return new Budget(b, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd,
                    penaltyWeight, projectToBudget);
        }

        public Budget withSensitivityInit(boolean on) {
            return new Budget(bits, initialBits, initialLogit, on, temperatureStart, temperatureEnd, penaltyWeight,
                    projectToBudget);
        }

        public Budget withPenaltyWeight(double lambda) {
            return new Budget(bits, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd,
                    lambda, projectToBudget);
        }

        public Budget withProjection(boolean on) {
            return new Budget(bits, initialBits, initialLogit, sensitivityInit, temperatureStart, temperatureEnd,
                    penaltyWeight, on);
        }
    }

    /**
     * The student's quantizers.
     *
     * @param pact            quantize hidden activations with PACT learned clips
     * @param activationBits  unsigned activation width under PACT, in [2, 8] (ignored without PACT)
     * @param granularity     one LSQ step per tensor or per output row
     * @param calibrationRows training rows (seeded sample) that set PACT's initial clips, &gt;= 1
     */
    public record Quantizers(boolean pact, int activationBits, Granularity granularity, int calibrationRows) {
        public Quantizers {
            QuantSpec.checkBits(activationBits);
            Objects.requireNonNull(granularity, "granularity");
            atLeastOne("calibrationRows", calibrationRows);
        }

        /** PACT 8-bit activations, per-tensor steps, 2048 calibration rows. */
        public static Quantizers defaults() {
            return new Quantizers(true, 8, Granularity.TENSOR, 2048);
        }

        public Quantizers withPact(boolean on, int bits) {
            return new Quantizers(on, bits, granularity, calibrationRows);
        }

        public Quantizers withGranularity(Granularity g) {
            return new Quantizers(pact, activationBits, g, calibrationRows);
        }
    }

    /**
     * The weights of the faithfulness loss's terms beside the data cross-entropy.
     *
     * @param eta                weight of CE(student(x + d_T), favorable), &gt;= 0
     * @param hingeWeight        beta of {@code beta * relu(gamma - margin)} at the counterfactuals, &gt;= 0 (0 = off)
     * @param hingeMargin        gamma, &gt;= 0
     * @param matchWeight        mu of the student-teacher margin matching at the counterfactuals, &gt;= 0 (0 = off)
     * @param pathPoints         with matching on, also match the margins at this many interior points
     *                           {@code x + t_j d_T} of each recourse path, in [0, {@value #MAX_PATH_POINTS}] (0 = only
     *                           at {@code x + d_T}); holds the student's boundary where the teacher's recourse crosses
     *                           it, so the student's own recourse costs what the teacher's does
     * @param pathSpan           the path points are evenly spaced over the last {@code pathSpan} of the path:
     *                           {@code t_j = 1 - pathSpan * j / (pathPoints + 1)}, in (0, 1] (1 = the whole path)
     * @param pinBoundary        matching one-sided, as hinges: the student's margin may not fall below the teacher's
     *                           at {@code x + d_T} ({@code mu relu(m_T - m_S)}) nor rise above it at the path points
     *                           ({@code mu relu(m_S - m_T)}), which pins the student's boundary between them; off =
     *                           squared gaps at both
     * @param distillWeight      kappa of the distillation to the teacher at the data rows, &gt;= 0 (0 = off)
     * @param distillTemperature distillation temperature, &gt; 0
     * @param studentMatch       the published student-matching ablation ({@code cfq-match}): the student's own short
     *                           pgd from each factual, differentiated through; off by default
     */
    public record Loss(double eta, double hingeWeight, double hingeMargin, double matchWeight, int pathPoints,
                       double pathSpan, boolean pinBoundary, double distillWeight, double distillTemperature,
                       StudentMatch studentMatch) {
        public Loss {
            Objects.requireNonNull(studentMatch, "studentMatch");
            nonNegative("eta", eta);
            nonNegative("hingeWeight", hingeWeight);
            nonNegative("hingeMargin", hingeMargin);
            nonNegative("matchWeight", matchWeight);
            if (!(pathSpan > 0 && pathSpan <= 1)) {
                throw new IllegalArgumentException("pathSpan must be in (0, 1], got " + pathSpan);
            }
            if (pathPoints < 0 || pathPoints > MAX_PATH_POINTS) {
                throw new IllegalArgumentException("pathPoints must be in [0, " + MAX_PATH_POINTS + "], got "
                        + pathPoints);
            }
            nonNegative("distillWeight", distillWeight);
            positive("distillTemperature", distillTemperature);
        }

        /** eta 1.0, no hinge (gamma 0.25 when on), no matching, no distillation (temperature 2 when on). */
        public static Loss defaults() {
            return new Loss(1.0, 0, 0.25, 0, 0, 1.0, false, 0, 2.0, StudentMatch.off());
        }

        public Loss withEta(double e) {
            return new Loss(e, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary,
                    distillWeight, distillTemperature, studentMatch);
        }

        public Loss withHinge(double beta, double gamma) {
            return new Loss(eta, beta, gamma, matchWeight, pathPoints, pathSpan, pinBoundary, distillWeight,
                    distillTemperature, studentMatch);
        }

        /** {@return matching of weight mu at the counterfactual and at {@code points} path points over its last {@code span}} */
        public Loss withMatching(double mu, int points, double span, boolean pin) {
            return new Loss(eta, hingeWeight, hingeMargin, mu, points, span, pin, distillWeight, distillTemperature,
                    studentMatch);
        }

        public Loss withDistillation(double weight, double temperature) {
            return new Loss(eta, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary, weight,
                    temperature, studentMatch);
        }

        public Loss withStudentMatch(StudentMatch m) {
            return new Loss(eta, hingeWeight, hingeMargin, matchWeight, pathPoints, pathSpan, pinBoundary,
                    distillWeight, distillTemperature, m);
        }
    }

    /**
     * The paper's student-matching ablation: from each factual whose teacher counterfactual
     * {@code x + d_T} is in the batch, the student runs its own short pgd ({@code steps} steps of
     * the teacher search's step rule, from {@code d = 0}) to {@code d_S}, and the loss adds
     * {@code distanceWeight |d_S - d_T|_1 + costWeight |cost(d_S) - cost(d_T)|} (mean over those
     * rows), differentiated through the unrolled steps ({@link StudentPgdMatch}).
     *
     * @param distanceWeight a1, &gt;= 0
     * @param costWeight     a2, &gt;= 0
     * @param steps          K, the student's pgd steps, &gt;= 1
     */
    public record StudentMatch(double distanceWeight, double costWeight, int steps) {
        public StudentMatch {
            nonNegative("distanceWeight", distanceWeight);
            nonNegative("costWeight", costWeight);
            atLeastOne("steps", steps);
        }

        /** Off (both weights 0). */
        public static StudentMatch off() {
            return new StudentMatch(0, 0, 3);
        }

        /**
         * a1 = a2 = 1 with K = 3 (the teacher search's depth). Our choice: the weights of the
         * published ablation are not in our sources; both terms are L1 quantities in the same
         * standardized units, of the order of the cross-entropy term at these depths.
         */
        public static StudentMatch defaults() {
            return new StudentMatch(1.0, 1.0, 3);
        }

        /** {@return whether either weight is positive} */
        public boolean on() {
            return distanceWeight > 0 || costWeight > 0;
        }
    }

    /**
     * The teacher search that gives d_T.
     *
     * @param pgd   the short pgd on the frozen teacher that gives d_T each batch
     * @param reuse when the search draws no noise (one restart), search every training row once before the
     *              first epoch instead of again in every batch: the teacher is frozen, so d_T is bit-identical
     *              either way
     * @param directionNoise sigma of the Gaussian noise added to every teacher direction d_T each time a batch
     *              uses it (the paper's teacher-quality evaluation), on the mutable columns, then projected onto
     *              the action set; 0 = off (and no random draw at all), &gt;= 0
     */
    public record Search(PgdConfig pgd, boolean reuse, double directionNoise) {
        public Search {
            Objects.requireNonNull(pgd, "teacherSearch");
            nonNegative("directionNoise", directionNoise);
        }

        public Search(PgdConfig pgd, boolean reuse) {
            this(pgd, reuse, 0);
        }

        /** The teacher pgd of 3 steps of 0.08 and 1 restart, searched once, no direction noise. */
        public static Search defaults() {
            return new Search(PgdConfig.cfqTraining(), true, 0);
        }
    }

    /**
     * AdamW and the epochs.
     *
     * @param learningRate AdamW step for every trained array, in (0, 1]
     * @param weightDecay  AdamW decoupled decay on the latent weights only, in [0, 1)
     * @param batchSize    data rows per step, &gt;= 1
     * @param epochs       passes over the training rows at most, &gt;= 1
     * @param patience     epochs without a better validation accuracy before stopping, &gt;= 1
     */
    public record Optimiser(double learningRate, double weightDecay, int batchSize, int epochs, int patience) {
        public Optimiser {
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
            }
            if (!(weightDecay >= 0 && weightDecay < 1)) {
                throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
            }
            atLeastOne("batchSize", batchSize);
            atLeastOne("epochs", epochs);
            atLeastOne("patience", patience);
        }

        /** lr 1e-3, decay 1e-4, batch 256, 20 epochs, patience 8. */
        public static Optimiser defaults() {
            return new Optimiser(1e-3, 1e-4, 256, 20, 8);
        }

        public Optimiser withTraining(int epochsMax, int batch, double lr) {
            return new Optimiser(lr, weightDecay, batch, epochsMax, patience);
        }
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
        return new CfqConfig(Budget.defaults(), Quantizers.defaults(), Loss.defaults(), Search.defaults(),
                Optimiser.defaults());
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

    public CfqConfig withBudget(Budget b) {
        return new CfqConfig(b, quantizers, loss, search, optimiser);
    }

    public CfqConfig withQuantizers(Quantizers q) {
        return new CfqConfig(budget, q, loss, search, optimiser);
    }

    public CfqConfig withLoss(Loss l) {
        return new CfqConfig(budget, quantizers, l, search, optimiser);
    }

    public CfqConfig withSearch(Search s) {
        return new CfqConfig(budget, quantizers, loss, s, optimiser);
    }

    public CfqConfig withOptimiser(Optimiser o) {
        return new CfqConfig(budget, quantizers, loss, search, o);
    }

    /** {@return the same config at another budget, same candidates} */
    public CfqConfig withBudget(double budgetBits) {
        return withBudget(new BitBudget(budgetBits, budget.bits().candidates()));
    }

    public CfqConfig withBudget(BitBudget b) {
        return withBudget(budget.withBits(b));
    }

    /** {@return the same config with the selection logits initialised toward the sensitivity allocation, or not} */
    public CfqConfig withSensitivityInit(boolean on) {
        return withBudget(budget.withSensitivityInit(on));
    }

    public CfqConfig withBudgetWeight(double lambda) {
        return withBudget(budget.withPenaltyWeight(lambda));
    }

    public CfqConfig withProjection(boolean on) {
        return withBudget(budget.withProjection(on));
    }

    public CfqConfig withPact(boolean on, int bits) {
        return withQuantizers(quantizers.withPact(on, bits));
    }

    public CfqConfig withGranularity(Granularity g) {
        return withQuantizers(quantizers.withGranularity(g));
    }

    public CfqConfig withEta(double e) {
        return withLoss(loss.withEta(e));
    }

    public CfqConfig withHinge(double beta, double gamma) {
        return withLoss(loss.withHinge(beta, gamma));
    }

    public CfqConfig withMatching(double mu) {
        return withLoss(loss.withMatching(mu, loss.pathPoints(), loss.pathSpan(), loss.pinBoundary()));
    }

    /** {@return the same config with margin matching of weight mu at the counterfactual and at {@code points} path points over its last {@code span}} */
    public CfqConfig withPathMatching(double mu, int points, double span, boolean pin) {
        return withLoss(loss.withMatching(mu, points, span, pin));
    }

    public CfqConfig withDistillation(double weight, double temperature) {
        return withLoss(loss.withDistillation(weight, temperature));
    }

    public CfqConfig withTeacherSearch(PgdConfig pgd) {
        return withSearch(new Search(pgd, search.reuse(), search.directionNoise()));
    }

    public CfqConfig withReuseTeacherSearch(boolean on) {
        return withSearch(new Search(search.pgd(), on, search.directionNoise()));
    }

    /** {@return the same config with Gaussian noise of sigma added to the teacher's directions in training} */
    public CfqConfig withDirectionNoise(double sigma) {
        return withSearch(new Search(search.pgd(), search.reuse(), sigma));
    }

    /** {@return the same config with the student-matching ablation's term} */
    public CfqConfig withStudentMatch(StudentMatch m) {
        return withLoss(loss.withStudentMatch(m));
    }

    /**
     * {@return the same config with one candidate width, {@code bits}, at average budget {@code bits}}
     * The paper's "uniform bits" ablation: the width choice (Gumbel-softmax over one candidate) and
     * the budget penalty have nothing to decide, the rest of CFQ is unchanged.
     */
    public CfqConfig withUniformWidth(int bits) {
        Budget b = budget();
        return withBudget(new Budget(new BitBudget(bits, java.util.List.of(bits)), bits, b.initialLogit(),
                false, b.temperatureStart(), b.temperatureEnd(), b.penaltyWeight(), b.projectToBudget()));
    }

    /**
     * {@return the same config whose teacher search runs {@code steps} pgd steps (the depth K)
     * with {@code restarts} restarts} With more than one restart the restarts start from seeded
     * noise (the pgd's 0.1), so the search is redone in every batch (the published way).
     */
    public CfqConfig withTeacherSteps(int steps, int restarts) {
        return withTeacherSearch(search().pgd().withSteps(steps).withRestarts(restarts));
    }

    public CfqConfig withTraining(int epochsMax, int batch, double lr) {
        return withOptimiser(optimiser.withTraining(epochsMax, batch, lr));
    }

    /**
     * {@return the temperature of a 1-based epoch out of the optimiser's epochs: geometric from
     * the budget's {@code temperatureStart} at epoch 1 to its {@code temperatureEnd} at the last}
     */
    public double temperature(int epoch) {
        int epochs = optimiser.epochs();
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch must be in [1, " + epochs + "], got " + epoch);
        }
        if (epochs == 1) {
            return budget.temperatureStart();
        }
        double t = (double) (epoch - 1) / (epochs - 1);
        return budget.temperatureStart() * Math.pow(budget.temperatureEnd() / budget.temperatureStart(), t);
    }

    /** A one-line summary for logs and provenance. */
    public String summary() {
        Budget b = budget;
        Loss l = loss;
        PgdConfig pgd = search.pgd();
        Optimiser o = optimiser;
        return "cfq B=" + b.bits().averageBits() + " candidates=" + b.bits().candidates() + " init="
                + (b.sensitivityInit() ? "sensitivity" : b.initialBits()) + "@" + b.initialLogit()
                + " tau=" + b.temperatureStart() + "->" + b.temperatureEnd() + " lambda=" + b.penaltyWeight()
                + " pact=" + (quantizers.pact() ? quantizers.activationBits() + "bit" : "off") + " eta=" + l.eta()
                + " pgd=" + pgd.steps() + "x" + pgd.step() + "/" + pgd.restarts()
                + " hinge=" + l.hingeWeight() + "@" + l.hingeMargin() + " match=" + l.matchWeight()
                + (l.pathPoints() > 0 ? "+path" + l.pathPoints() + "@" + l.pathSpan() : "")
                + (l.pinBoundary() ? "(pin)" : "")
                + (l.studentMatch().on() ? " student-match=" + l.studentMatch().distanceWeight() + "/"
                        + l.studentMatch().costWeight() + "@K" + l.studentMatch().steps() : "")
                + (search.directionNoise() > 0 ? " direction-noise=" + search.directionNoise() : "") + " distill=" + l.distillWeight() + "@T" + l.distillTemperature()
                + " project=" + b.projectToBudget() + " lr=" + o.learningRate() + " wd=" + o.weightDecay()
                + " batch=" + o.batchSize() + " epochs<=" + o.epochs() + " patience=" + o.patience();
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
