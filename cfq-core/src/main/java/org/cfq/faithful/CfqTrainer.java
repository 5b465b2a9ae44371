package org.cfq.faithful;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.model.Scores;
import org.cfq.math.Shuffle;
import org.cfq.train.Batches;
import org.cfq.data.Splits;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.MseCalibrator;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.mixed.BitAllocation;
import org.cfq.quant.mixed.BitAllocator;
import org.cfq.quant.mixed.LayerSensitivity;
import org.cfq.quant.mixed.SensitivityEstimator;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.AdamW;

/**
 * Counterfactual-faithful quantization (CFQ): fine-tunes a quantized, mixed-precision
 * student of a frozen float teacher so that the teacher's counterfactuals stay valid for it.
 *
 * <p>Order of use: build with a {@link CfqConfig}, call {@link #train} with the teacher, the
 * action space and recourse request of the dataset, the training and validation rows, and a
 * seeded generator. The teacher is never modified. One step, on a batch of {@code n} data rows:
 * <ol>
 *   <li>the batch's rows the teacher scores unfavorably get the teacher's counterfactuals
 *       {@code x + d_T} from the short pgd ({@link TeacherCounterfactuals}; searched once for the
 *       whole training split before the first epoch when the search draws no noise, which gives
 *       the same points, see {@link CfqConfig.Search#reuse()}); those found are appended
 *       to the batch, so the student runs one forward and one backward pass over
 *       {@code n + m} rows;</li>
 *   <li>each layer draws a hard Gumbel-softmax sample of its width at the epoch's temperature
 *       and uses that width's LSQ-quantized weight ({@link MixedPrecisionWeight}); hidden
 *       activations go through PACT clips when on;</li>
 *   <li>the loss is {@link FaithfulnessLoss} plus {@link BudgetPenalty}; AdamW updates the
 *       latent weights (with decay), biases, step sizes, selection logits and clips (without),
 *       and steps and clips are kept positive.</li>
 * </ol>
 * Two ablations of the paper add to step 1 and 3: with {@link CfqConfig.Search#directionNoise()} &gt; 0
 * every counterfactual row of a batch gets fresh Gaussian noise on its direction ({@link DirectionNoise},
 * the teacher-quality evaluation), and with {@link CfqConfig.Loss#studentMatch()} on, the student runs
 * its own short pgd from each of those factuals and the student-matching term and its hand-written
 * gradient through the unrolled steps are added ({@link StudentPgdMatch}).
 *
 * <p>After each epoch the widths are fixed (the argmax of the logits, or their exact projection
 * onto the budget), the student is built as a {@link QuantizedMlp} and scored on the
 * validation rows; the most accurate one is returned, and training stops after
 * {@link CfqConfig.Optimiser#patience()} epochs without improvement.
 *
 * <p>Randomness: the generator passed to {@link #train} is split into the PACT calibration
 * sample, the epoch shuffles, the Gumbel noise and the teacher-search seeds, in that order (then,
 * only when used, the sensitivity sample and the direction noise, so the published streams stay as they
 * were). Same
 * seed and data give bit-identical students. The trainer holds only its configuration.
 */
public final class CfqTrainer {
    /** Rows per call when the teacher is run (or searched) over the whole training split up front. */
    static final int SEARCH_CHUNK = 1024;
    /** Training rows (a seeded sample) behind the sensitivity allocation. */
    static final int SENSITIVITY_ROWS = 4096;

    private final CfqConfig config;

    /** Receives each finished epoch. */
    @FunctionalInterface
    public interface Listener {
        void onEpoch(CfqEpoch epoch);

        /** A listener that ignores everything. */
        static Listener none() {
            return e -> { };
        }
    }

    public CfqTrainer(CfqConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public CfqConfig config() {
        return config;
    }

    /**
     * Trains the student on the training rows of {@code splits}, selecting on its validation
     * rows (the test rows are never read), reporting to no listener.
     */
    public CfqResult train(Mlp teacher, ActionSpace space, RecourseRequest request, EncodedSplits splits,
                           SplittableRandom rng) {
        return train(teacher, space, request, splits, rng, Listener.none());
    }

    /**
     * Quantizes the teacher, training on the training rows of {@code splits} and selecting on
     * its validation rows, which may be empty (then the last epoch is kept); the test rows are
     * never read.
     *
     * @param teacher  the float teacher; read only
     * @param space    the dataset's action space (model-space width, constraints, costs)
     * @param request  margin, cost and sparsity of the teacher search (its seed is not used)
     * @param splits   the rows in the teacher's model space; read only
     * @param rng      the only source of randomness
     * @throws IllegalArgumentException when the widths disagree, there are no training rows or
     *                                  labels are not 0/1
     */
    public CfqResult train(Mlp teacher, ActionSpace space, RecourseRequest request, EncodedSplits splits,
                           SplittableRandom rng, Listener listener) {
        float[] x = splits.trainX();
        int[] y = splits.trainY();
        float[] xVal = splits.validationX();
        int[] yVal = splits.validationY();
        Objects.requireNonNull(listener, "listener");
        long t0 = System.nanoTime();
        int width = teacher.inputDim();
        int rows = y.length;
        Batches.checkShapes(x, y, xVal, yVal, width);
        checkLabels(y, "training");
        checkLabels(yVal, "validation");
        SplittableRandom calibRng = rng.split();
        SplittableRandom shuffleRng = rng.split();
        SplittableRandom gumbelRng = rng.split();
        SplittableRandom searchRng = rng.split();
        // Split only when used, so the published configuration's streams stay as they were.
        int[] initialBits = config.budget().sensitivityInit() ? sensitivityAllocation(teacher, x, y, rows, rng.split()) : null;
        double sigma = config.search().directionNoise();
        SplittableRandom noiseRng = sigma > 0 ? rng.split() : null;
        CfqConfig.StudentMatch sm = config.loss().studentMatch();

        int batch = Math.min(config.optimiser().batchSize(), rows);
        boolean wantCf = config.loss().eta() > 0 || config.loss().hingeWeight() > 0 || config.loss().matchWeight() > 0
                || sm.on();
        // Path points ride with their counterfactuals: k interior points per counterfactual row.
        int pathPoints = config.loss().matchWeight() > 0 ? config.loss().pathPoints() : 0;
        int capacity = wantCf ? (2 + pathPoints) * batch : batch;
        CfqStudent st = new CfqStudent(teacher, config, x, rows, calibRng, capacity, initialBits);
        AdamW opt = new AdamW(config.optimiser().learningRate(), config.optimiser().weightDecay());
        st.register(opt);

        // The teacher is frozen: its logits at the training rows are computed once.
        float[] teacherLogits = teacherLogits(teacher, x, rows, width);
        TeacherCounterfactuals tc = wantCf ? new TeacherCounterfactuals(teacher, space, config.search().pgd(),
                request) : null;
        Cache cache = null;
        double searchSeconds = 0;
        if (wantCf && config.search().reuse() && !tc.random()) {
            long s0 = System.nanoTime();
            cache = Cache.build(tc, x, rows, width, teacherLogits, searchRng);
            searchSeconds = (System.nanoTime() - s0) / 1e9;
        }

        float[] xb = new float[capacity * width];
        int[] yb = new int[batch];
        float[] tb = new float[batch * 2];
        float[] tMargin = new float[batch];
        float[] dLogits = new float[capacity * 2];
        float[] negX = wantCf && cache == null ? new float[batch * width] : null;
        float[] negCf = wantCf && cache == null ? new float[batch * width] : null;
        boolean[] negFound = new boolean[batch];
        boolean needFrom = pathPoints > 0 || sm.on() || sigma > 0;
        float[] cfFrom = needFrom ? new float[batch * width] : null;
        DirectionNoise noise = wantCf && sigma > 0 ? new DirectionNoise(space, sigma, request.sparsity(),
                space.cost(request.cost()).weights()) : null;
        Mlp.Workspace noiseWs = noise != null ? teacher.workspace(batch) : null;
        StudentPgdMatch spm = null;
        StudentPgdMatch.Grad smGrad = null;
        float[] cfPoints = null;
        if (sm.on()) {
            int layers = teacher.layers().size();
            int[] lin = new int[layers];
            int[] lout = new int[layers];
            for (int l = 0; l < layers; l++) {
                lin[l] = teacher.layers().get(l).in();
                lout[l] = teacher.layers().get(l).out();
            }
            spm = new StudentPgdMatch(space, config.search().pgd(), request, sm, lin, lout, batch);
            smGrad = StudentPgdMatch.Grad.zeros(lin, lout);
            cfPoints = new float[batch * width];
        }
        float[] pathMargin = pathPoints > 0 ? new float[batch * pathPoints] : null;
        float[] pathRows = pathPoints > 0 ? new float[batch * pathPoints * width] : null;
        Mlp.Workspace teacherWs = pathPoints > 0 ? teacher.workspace(batch * pathPoints) : null;
        float[] negMargin = new float[batch];
        int[] order = Batches.order(rows);

        List<CfqEpoch> history = new ArrayList<>();
        QuantizedMlp best = null;
        int[] bestBits = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= config.optimiser().epochs(); epoch++) {
            long e0 = System.nanoTime();
            double tau = config.temperature(epoch);
            Shuffle.shuffle(order, shuffleRng);
            double lossSum = 0;
            double dataSum = 0;
            double cfSum = 0;
            double distillSum = 0;
            double studentMatchSum = 0;
            int batches = 0;
            int cfRows = 0;
            int cfValid = 0;
            for (int b0 = 0; b0 < rows; b0 += batch) {
                int n = Math.min(batch, rows - b0);
                Batches.gather(x, y, width, order, b0, n, xb, yb);
                for (int i = 0; i < n; i++) {
                    int r = order[b0 + i];
                    tb[2 * i] = teacherLogits[2 * r];
                    tb[2 * i + 1] = teacherLogits[2 * r + 1];
                }
                int m = 0;
                if (wantCf) {
                    if (cache != null) {
                        for (int i = 0; i < n; i++) {
                            int r = order[b0 + i];
                            int c = cache.slot[r];
                            if (c >= 0 && cache.found[c]) {
                                System.arraycopy(cache.points, c * width, xb, (n + m) * width, width);
                                if (cfFrom != null) {
                                    System.arraycopy(x, r * width, cfFrom, m * width, width);
                                }
                                tMargin[m] = cache.margin[c];
                                m++;
                            }
                        }
                    } else {
                        int k = 0;
                        for (int i = 0; i < n; i++) {
                            if (unfavorable(tb, i)) {
                                System.arraycopy(xb, i * width, negX, k * width, width);
                                k++;
                            }
                        }
                        tc.search(negX, k, searchRng.nextLong(), negCf, negFound, negMargin);
                        for (int i = 0; i < k; i++) {
                            if (negFound[i]) {
                                System.arraycopy(negCf, i * width, xb, (n + m) * width, width);
                                if (cfFrom != null) {
                                    System.arraycopy(negX, i * width, cfFrom, m * width, width);
                                }
                                tMargin[m] = negMargin[i];
                                m++;
                            }
                        }
                    }
                }
                if (noise != null && m > 0) {
                    // the teacher-quality evaluation: noisy directions, fresh in every batch, and the teacher's
                    // margins at the noisy points (the hinge and matching terms read them)
                    noise.apply(xb, n * width, cfFrom, m, noiseRng);
                    float[] pts = Arrays.copyOfRange(xb, n * width, (n + m) * width);
                    teacher.forward(pts, m, noiseWs);
                    float[] lg = noiseWs.logits();
                    for (int i = 0; i < m; i++) {
                        tMargin[i] = lg[2 * i + 1] - lg[2 * i];
                    }
                }
                int p = pathPoints * m;
                if (p > 0) {
                    appendPath(xb, n, m, cfFrom, pathPoints, (float) config.loss().pathSpan(), width, teacher, teacherWs,
                            pathRows, pathMargin);
                }
                st.sample(gumbelRng, tau, true);
                float[] logits = st.forward(xb, n + m + p);
                FaithfulnessLoss.Parts parts = FaithfulnessLoss.evaluate(logits, yb, n, m, p, tb, tMargin, pathMargin,
                        config.loss(), dLogits);
                opt.zeroGradients();
                st.backward(xb, n + m + p, dLogits);
                double studentMatch = 0;
                if (spm != null && m > 0) {
                    System.arraycopy(xb, n * width, cfPoints, 0, m * width);
                    smGrad.clear();
                    studentMatch = spm.run(st.net(), cfFrom, cfPoints, m, smGrad).loss();
                    st.backwardEffective(smGrad);
                }
                BudgetPenalty.Value pen = BudgetPenalty.apply(st.mix, config.budget().bits().averageBits(),
                        config.budget().penaltyWeight(), true);
                opt.step();
                st.keepPositive();
                lossSum += parts.total() + pen.penalty() + studentMatch;
                dataSum += parts.data();
                cfSum += parts.counterfactual() + parts.hinge() + parts.match() + studentMatch;
                studentMatchSum += studentMatch;
                distillSum += parts.distill();
                cfRows += parts.cfRows();
                cfValid += parts.cfValid();
                batches++;
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            int[] choice = st.allocation();
            QuantizedMlp student = st.snapshot(choice);
            double acc = yVal.length > 0 ? accuracy(student, xVal, yVal) : Double.NaN;
            boolean improved = yVal.length == 0 || acc > bestAcc;
            if (improved) {
                best = student;
                bestBits = student.bitsPerLayer();
                bestAcc = acc;
                bestEpoch = epoch;
            }
            double expected = BudgetPenalty.apply(st.mix, config.budget().bits().averageBits(), 0, false).expectedBits();
            CfqEpoch e = new CfqEpoch(epoch, tau, lossSum / batches, dataSum / batches, cfSum / batches,
                    distillSum / batches, studentMatchSum / batches, expected, student.averageBits(),
                    student.bitsPerLayer(), cfRows,
                    cfRows == 0 ? Double.NaN : (double) cfValid / cfRows, acc, improved, seconds);
            history.add(e);
            listener.onEpoch(e);
            if (epoch - bestEpoch >= config.optimiser().patience()) {
                break;
            }
        }
        return new CfqResult(best, bestBits, best.averageBits(), bestEpoch, history, searchSeconds,
                (System.nanoTime() - t0) / 1e9, config);
    }

    /**
     * Writes the interior points {@code f + t (c - f)}, {@code t = 1 - span j / (k + 1)}, of each of the
     * {@code m} recourse paths (factual {@code f} in {@code from}, counterfactual {@code c} at batch
     * row {@code n + i}) after the counterfactual rows, path-major, and the teacher's margins there.
     * {@code pts} is scratch of at least {@code m k width} floats.
     */
    static void appendPath(float[] xb, int n, int m, float[] from, int k, float span, int width, Mlp teacher,
                           Mlp.Workspace ws, float[] pts, float[] teacherMargin) {
        for (int i = 0; i < m; i++) {
            int f = i * width;
            int c = (n + i) * width;
            for (int j = 1; j <= k; j++) {
                float t = 1f - span * j / (k + 1);
                int o = (i * k + j - 1) * width;
                for (int q = 0; q < width; q++) {
                    pts[o + q] = from[f + q] + t * (xb[c + q] - from[f + q]);
                }
            }
        }
        int p = m * k;
        System.arraycopy(pts, 0, xb, (n + m) * width, p * width);
        teacher.forward(pts, p, ws);
        float[] lg = ws.logits();
        for (int r = 0; r < p; r++) {
            teacherMargin[r] = lg[2 * r + 1] - lg[2 * r];
        }
    }

    /**
     * The widths the {@code mixed} method would deploy: the exact allocation under the budget of
     * the teacher's measured loss increase per layer and candidate width (MSE-calibrated
     * per-tensor/channel weights as configured), on a seeded sample of at most
     * {@link #SENSITIVITY_ROWS} training rows.
     */
    int[] sensitivityAllocation(Mlp teacher, float[] x, int[] y, int rows, SplittableRandom rng) {
        int width = teacher.inputDim();
        int n = Math.min(rows, SENSITIVITY_ROWS);
        int[] idx = Splits.sampleIndices(rows, n, rng);
        float[] xs = new float[n * width];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, idx[i] * width, xs, i * width, width);
            ys[i] = y[idx[i]];
        }
        int[] cand = config.budget().bits().candidateArray();
        LayerSensitivity sens = SensitivityEstimator.lossIncrease(teacher, xs, ys, n, cand,
                b -> QuantSpec.weights(b, config.quantizers().granularity()), MseCalibrator.defaults());
        return BitAllocator.allocate(Quantization.weightCounts(teacher), sens, config.budget().bits()).bits();
    }

    /** {@return the teacher's logits at every row, (rows x 2), computed in bounded chunks} */
    private static float[] teacherLogits(Mlp teacher, float[] x, int rows, int width) {
        float[] out = new float[rows * 2];
        int chunk = Math.min(rows, SEARCH_CHUNK);
        Mlp.Workspace ws = teacher.workspace(chunk);
        float[] xc = new float[chunk * width];
        for (int r0 = 0; r0 < rows; r0 += chunk) {
            int n = Math.min(chunk, rows - r0);
            System.arraycopy(x, r0 * width, xc, 0, n * width);
            teacher.forward(xc, n, ws);
            System.arraycopy(ws.logits(), 0, out, r0 * 2, n * 2);
        }
        return out;
    }

    /** {@return the share of rows whose decision (margin &gt; 0) equals the label} */
    static double accuracy(QuantizedMlp model, float[] x, int[] y) {
        return Scores.accuracy(model, x, y);
    }

    private static boolean unfavorable(float[] logits, int r) {
        return !(logits[2 * r + 1] - logits[2 * r] > 0f);
    }

    private static void checkLabels(int[] y, String split) {
        for (int r = 0; r < y.length; r++) {
            if (y[r] != 0 && y[r] != 1) {
                throw new IllegalArgumentException(split + " label at row " + r + " must be 0 or 1, got " + y[r]);
            }
        }
    }

    /** The teacher counterfactuals of every unfavorable training row, searched once. */
    private static final class Cache {
        final int[] slot;
        final float[] points;
        final boolean[] found;
        final float[] margin;

        private Cache(int[] slot, float[] points, boolean[] found, float[] margin) {
            this.slot = slot;
            this.points = points;
            this.found = found;
            this.margin = margin;
        }

        static Cache build(TeacherCounterfactuals tc, float[] x, int rows, int width, float[] teacherLogits,
                           SplittableRandom rng) {
            int[] slot = new int[rows];
            int neg = 0;
            for (int r = 0; r < rows; r++) {
                slot[r] = unfavorable(teacherLogits, r) ? neg++ : -1;
            }
            float[] negX = new float[neg * width];
            for (int r = 0; r < rows; r++) {
                if (slot[r] >= 0) {
                    System.arraycopy(x, r * width, negX, slot[r] * width, width);
                }
            }
            float[] points = new float[neg * width];
            boolean[] found = new boolean[neg];
            float[] margin = new float[neg];
            int chunk = Math.min(SEARCH_CHUNK, Math.max(1, neg));
            float[] cx = new float[chunk * width];
            float[] cp = new float[chunk * width];
            boolean[] cf = new boolean[chunk];
            float[] cm = new float[chunk];
            // The search draws no noise here; the seed is passed for form only.
            long seed = rng.nextLong();
            for (int c0 = 0; c0 < neg; c0 += chunk) {
                int k = Math.min(chunk, neg - c0);
                System.arraycopy(negX, c0 * width, cx, 0, k * width);
                tc.search(cx, k, seed, cp, cf, cm);
                for (int i = 0; i < k; i++) {
                    found[c0 + i] = cf[i];
                    margin[c0 + i] = cm[i];
                    if (cf[i]) {
                        System.arraycopy(cp, i * width, points, (c0 + i) * width, width);
                    }
                }
            }
            return new Cache(slot, points, found, margin);
        }
    }

    /**
     * The exact projection of a width choice onto the budget: per layer the candidate {@code k}
     * maximizing {@code sum_l (alpha_lk + g_lk)} subject to
     * {@code sum_l n_l b_l <= floor(B * sum_l n_l)}, found by {@link BitAllocator}. With the noise
     * it is the Gumbel-max sample restricted to the budget; without it, the most probable joint
     * choice under the learned logits ({@code log softmax} differs from the logit by a per-layer
     * constant). It equals the unconstrained argmax whenever that is within budget.
     *
     * @param withNoise add each layer's current Gumbel noise to its logits
     * @return the candidate index of each layer
     */
    static int[] project(MixedPrecisionWeight[] mix, CfqConfig config, boolean withNoise) {
        int layers = mix.length;
        int[] cand = config.budget().bits().candidateArray();
        double[][] scores = new double[layers][cand.length];
        int[] weights = new int[layers];
        for (int l = 0; l < layers; l++) {
            for (int k = 0; k < cand.length; k++) {
                scores[l][k] = -(withNoise ? mix[l].perturbedLogit(k) : mix[l].logits()[k]);
            }
            weights[l] = mix[l].size();
        }
        BitAllocation alloc = BitAllocator.allocate(weights, new LayerSensitivity(cand, scores, "cfq-logits"),
                config.budget().bits());
        int[] bits = alloc.bits();
        int[] k = new int[layers];
        for (int l = 0; l < layers; l++) {
            k[l] = Arrays.binarySearch(cand, bits[l]);
        }
        return k;
    }
}
