package org.cfq.faithful;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.PercentileCalibrator;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.lsq.LearnedClip;
import org.cfq.quant.mixed.BitAllocation;
import org.cfq.quant.mixed.BitAllocator;
import org.cfq.quant.mixed.LayerSensitivity;
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
 *       {@code x + d_T} from the short pgd ({@link TeacherCounterfactuals}); those found are
 *       appended to the batch, so the student runs one forward and one backward pass over
 *       {@code n + m} rows;</li>
 *   <li>each layer draws a hard Gumbel-softmax sample of its width at the epoch's temperature
 *       and uses that width's LSQ-quantized weight ({@link MixedPrecisionWeight}); hidden
 *       activations go through PACT clips when on;</li>
 *   <li>the loss is {@link FaithfulnessLoss} plus {@link BudgetPenalty}; AdamW updates the
 *       latent weights (with decay), biases, step sizes, selection logits and clips (without),
 *       and steps and clips are kept positive.</li>
 * </ol>
 * After each epoch the widths are fixed (the argmax of the logits, or their exact projection
 * onto the budget), the student is built as a {@link QuantizedMlp} and scored on the
 * validation rows; the most accurate one is returned, and training stops after
 * {@link CfqConfig#patience()} epochs without improvement.
 *
 * <p>Randomness: the generator passed to {@link #train} is split into the PACT calibration
 * sample, the epoch shuffles, the Gumbel noise and the teacher-search seeds, in that order. Same
 * seed and data give bit-identical students. The trainer holds only its configuration.
 */
public final class CfqTrainer {
    /** Rows per call when the teacher counterfactuals of the whole training split are searched up front. */
    static final int SEARCH_CHUNK = 1024;

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

    /** {@link #train(Mlp, ActionSpace, RecourseRequest, float[], int[], float[], int[], SplittableRandom, Listener)} without progress. */
    public CfqResult train(Mlp teacher, ActionSpace space, RecourseRequest request, float[] x, int[] y, float[] xVal,
                           int[] yVal, SplittableRandom rng) {
        return train(teacher, space, request, x, y, xVal, yVal, rng, Listener.none());
    }

    /**
     * Quantizes the teacher.
     *
     * @param teacher  the float teacher; read only
     * @param space    the dataset's action space (model-space width, constraints, costs)
     * @param request  margin, cost and sparsity of the teacher search (its seed is not used)
     * @param x        training rows, (y.length x width); read only
     * @param y        training labels 0/1
     * @param xVal     validation rows for model selection; may be empty (the last epoch is kept)
     * @param yVal     validation labels
     * @param rng      the only source of randomness
     * @throws IllegalArgumentException when shapes disagree or labels are not 0/1
     */
    public CfqResult train(Mlp teacher, ActionSpace space, RecourseRequest request, float[] x, int[] y, float[] xVal,
                           int[] yVal, SplittableRandom rng, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        long t0 = System.nanoTime();
        int width = teacher.inputDim();
        int rows = y.length;
        if (rows == 0 || x.length != rows * width) {
            throw new IllegalArgumentException("x must be " + rows + " x " + width + " floats with rows > 0, got "
                    + x.length);
        }
        if (xVal.length != yVal.length * width) {
            throw new IllegalArgumentException("validation x must be " + yVal.length + " x " + width + " floats, got "
                    + xVal.length);
        }
        checkLabels(y, "training");
        checkLabels(yVal, "validation");
        SplittableRandom calibRng = rng.split();
        SplittableRandom shuffleRng = rng.split();
        SplittableRandom gumbelRng = rng.split();
        SplittableRandom searchRng = rng.split();

        Student st = new Student(teacher, x, rows, calibRng);
        AdamW opt = new AdamW(config.learningRate(), config.weightDecay());
        st.register(opt);

        // The teacher is frozen: its logits at the training rows are computed once.
        float[] teacherLogits = new float[rows * 2];
        teacher.logits(x, rows, teacherLogits);
        boolean wantCf = config.eta() > 0 || config.hingeWeight() > 0 || config.matchWeight() > 0;
        TeacherCounterfactuals tc = wantCf ? new TeacherCounterfactuals(teacher, space, config.teacherSearch(),
                request) : null;
        Cache cache = null;
        double searchSeconds = 0;
        if (wantCf && config.reuseTeacherSearch() && !tc.random()) {
            long s0 = System.nanoTime();
            cache = Cache.build(tc, x, rows, width, teacherLogits, searchRng);
            searchSeconds = (System.nanoTime() - s0) / 1e9;
        }

        int batch = Math.min(config.batchSize(), rows);
        int capacity = wantCf ? 2 * batch : batch;
        float[] xb = new float[capacity * width];
        int[] yb = new int[batch];
        float[] tb = new float[batch * 2];
        float[] tMargin = new float[batch];
        float[] dLogits = new float[capacity * 2];
        float[] negX = wantCf && cache == null ? new float[batch * width] : null;
        float[] negCf = wantCf && cache == null ? new float[batch * width] : null;
        boolean[] negFound = new boolean[batch];
        float[] negMargin = new float[batch];
        Buffers buf = new Buffers(teacher.layers(), capacity);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }

        List<CfqEpoch> history = new ArrayList<>();
        QuantizedMlp best = null;
        int[] bestBits = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long e0 = System.nanoTime();
            double tau = config.temperature(epoch);
            shuffle(order, shuffleRng);
            double lossSum = 0;
            double dataSum = 0;
            double cfSum = 0;
            double distillSum = 0;
            int batches = 0;
            int cfRows = 0;
            int cfValid = 0;
            for (int b0 = 0; b0 < rows; b0 += batch) {
                int n = Math.min(batch, rows - b0);
                for (int i = 0; i < n; i++) {
                    int r = order[b0 + i];
                    System.arraycopy(x, r * width, xb, i * width, width);
                    yb[i] = y[r];
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
                                tMargin[m] = negMargin[i];
                                m++;
                            }
                        }
                    }
                }
                st.sample(gumbelRng, tau);
                float[] logits = st.forward(xb, n + m, buf);
                FaithfulnessLoss.Parts parts = FaithfulnessLoss.evaluate(logits, yb, n, m, tb, tMargin, config,
                        dLogits);
                opt.zeroGradients();
                st.backward(xb, n + m, buf, dLogits);
                BudgetPenalty.Value pen = BudgetPenalty.apply(st.mix, config.budget().averageBits(),
                        config.budgetWeight(), true);
                opt.step();
                st.keepPositive();
                lossSum += parts.total() + pen.penalty();
                dataSum += parts.data();
                cfSum += parts.counterfactual() + parts.hinge() + parts.match();
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
            double expected = BudgetPenalty.apply(st.mix, config.budget().averageBits(), 0, false).expectedBits();
            CfqEpoch e = new CfqEpoch(epoch, tau, lossSum / batches, dataSum / batches, cfSum / batches,
                    distillSum / batches, expected, student.averageBits(), student.bitsPerLayer(), cfRows,
                    cfRows == 0 ? Double.NaN : (double) cfValid / cfRows, acc, improved, seconds);
            history.add(e);
            listener.onEpoch(e);
            if (epoch - bestEpoch >= config.patience()) {
                break;
            }
        }
        return new CfqResult(best, bestBits, best.averageBits(), bestEpoch, history, searchSeconds,
                (System.nanoTime() - t0) / 1e9, config);
    }

    /** {@return the share of rows whose decision (margin &gt; 0) equals the label} */
    static double accuracy(QuantizedMlp model, float[] x, int[] y) {
        int[] p = model.predict(x, y.length);
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            if (p[i] == y[i]) {
                ok++;
            }
        }
        return (double) ok / y.length;
    }

    private static boolean unfavorable(float[] logits, int r) {
        return !(logits[2 * r + 1] - logits[2 * r] > 0f);
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
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

    /** Per-step buffers for up to {@code capacity} rows. */
    private static final class Buffers {
        final float[][] wHat;
        final float[][] dWHat;
        final float[][] pre;
        final float[][] act;
        final float[][] delta;

        Buffers(List<DenseLayer> layers, int capacity) {
            int n = layers.size();
            wHat = new float[n][];
            dWHat = new float[n][];
            pre = new float[n][];
            act = new float[n][];
            delta = new float[n][];
            for (int l = 0; l < n; l++) {
                DenseLayer d = layers.get(l);
                wHat[l] = new float[d.weight().length];
                dWHat[l] = new float[d.weight().length];
                pre[l] = new float[capacity * d.out()];
                act[l] = new float[capacity * d.out()];
                delta[l] = new float[capacity * d.out()];
            }
        }
    }

    /** The trained student: mixed-precision weights, biases, PACT clips, and their gradients. */
    private final class Student {
        final int layers;
        final int[] in;
        final int[] out;
        final MixedPrecisionWeight[] mix;
        final float[][] b;
        final float[][] gb;
        final float[][] alpha;
        final float[][] gAlpha;
        final int actQmax;
        final int[] candidates;

        Student(Mlp teacher, float[] x, int rows, SplittableRandom calibRng) {
            List<DenseLayer> tl = teacher.layers();
            layers = tl.size();
            in = new int[layers];
            out = new int[layers];
            mix = new MixedPrecisionWeight[layers];
            b = new float[layers][];
            gb = new float[layers][];
            alpha = new float[layers][];
            gAlpha = new float[layers][];
            candidates = config.budget().candidateArray();
            QuantSpec actSpec = QuantSpec.unsignedActivations(config.activationBits());
            actQmax = actSpec.qmax();
            for (int l = 0; l < layers; l++) {
                DenseLayer d = tl.get(l);
                in[l] = d.in();
                out[l] = d.out();
                mix[l] = new MixedPrecisionWeight(d.in(), d.out(), d.weight(), candidates, config.granularity(),
                        config.initialBits(), (float) config.initialLogit());
                b[l] = d.bias().clone();
                gb[l] = new float[b[l].length];
            }
            if (config.pact() && layers > 1) {
                // PACT starts each clip at the percentile range of the teacher's activations on a seeded sample.
                int sample = Math.min(config.calibrationRows(), rows);
                float[] xs = PostTrainingQuantizer.sampleRows(x, rows, teacher.inputDim(), sample, calibRng);
                Mlp.Workspace ws = teacher.workspace(sample);
                teacher.forward(xs, sample, ws);
                PercentileCalibrator cal = PercentileCalibrator.defaults();
                for (int l = 0; l < layers - 1; l++) {
                    float[] a = Arrays.copyOf(ws.activation(l), sample * out[l]);
                    float s = cal.calibrate(a, 1, actSpec).scale(0);
                    alpha[l] = new float[] {LearnedClip.keepPositive(s * actQmax)};
                    gAlpha[l] = new float[1];
                }
            }
        }

        void register(AdamW opt) {
            for (int l = 0; l < layers; l++) {
                opt.register(mix[l].weight(), mix[l].weightGrad(), true);
                opt.register(b[l], gb[l], false);
                for (int k = 0; k < candidates.length; k++) {
                    opt.register(mix[l].steps(k), mix[l].stepGrad(k), false);
                }
                opt.register(mix[l].logits(), mix[l].logitGrad(), false);
                if (alpha[l] != null) {
                    opt.register(alpha[l], gAlpha[l], false);
                }
            }
        }

        void sample(SplittableRandom rng, double tau) {
            for (MixedPrecisionWeight m : mix) {
                m.sample(rng, tau, true);
            }
        }

        float[] forward(float[] xb, int n, Buffers buf) {
            float[] input = xb;
            for (int l = 0; l < layers; l++) {
                mix[l].forward(buf.wHat[l]);
                Dense.affine(input, n, in[l], buf.wHat[l], b[l], out[l], buf.pre[l]);
                int cnt = n * out[l];
                float[] a = buf.act[l];
                if (l == layers - 1) {
                    System.arraycopy(buf.pre[l], 0, a, 0, cnt);
                } else if (alpha[l] != null) {
                    LearnedClip.forward(buf.pre[l], cnt, alpha[l][0], actQmax, a);
                } else {
                    System.arraycopy(buf.pre[l], 0, a, 0, cnt);
                    Dense.relu(a, cnt);
                }
                input = a;
            }
            return buf.act[layers - 1];
        }

        void backward(float[] xb, int n, Buffers buf, float[] dLogits) {
            float[] delta = buf.delta[layers - 1];
            System.arraycopy(dLogits, 0, delta, 0, n * 2);
            for (int l = layers - 1; l >= 0; l--) {
                float[] input = l == 0 ? xb : buf.act[l - 1];
                Arrays.fill(buf.dWHat[l], 0f);
                Dense.affineWeightGrad(delta, input, n, in[l], out[l], buf.dWHat[l], gb[l]);
                mix[l].backward(buf.dWHat[l]);
                if (l == 0) {
                    break;
                }
                float[] prev = buf.delta[l - 1];
                Dense.affineInputGrad(delta, n, out[l], buf.wHat[l], in[l], prev);
                float[] pre = buf.pre[l - 1];
                int cnt = n * in[l];
                if (alpha[l - 1] != null) {
                    gAlpha[l - 1][0] += (float) LearnedClip.backward(pre, cnt, alpha[l - 1][0], prev, prev);
                } else {
                    Dense.reluGrad(pre, prev, cnt);
                }
                delta = prev;
            }
        }

        void keepPositive() {
            for (int l = 0; l < layers; l++) {
                mix[l].keepPositive();
                if (alpha[l] != null) {
                    alpha[l][0] = LearnedClip.keepPositive(alpha[l][0]);
                }
            }
        }

        /** {@return the candidate index of each layer: argmax of the logits, or its exact projection onto B} */
        int[] allocation() {
            int[] k = new int[layers];
            for (int l = 0; l < layers; l++) {
                k[l] = mix[l].argmax();
            }
            if (!config.projectToBudget()) {
                return k;
            }
            return project(mix, config);
        }

        QuantizedMlp snapshot(int[] choice) {
            List<QuantizedLayer> ql = new ArrayList<>(layers);
            QuantSpec actSpec = QuantSpec.unsignedActivations(config.activationBits());
            for (int l = 0; l < layers; l++) {
                int k = choice[l];
                MixedPrecisionWeight m = mix[l];
                UniformQuantizer wq = new UniformQuantizer(m.spec(k), QuantParams.symmetric(m.steps(k)));
                UniformQuantizer aq = null;
                if (l < layers - 1 && alpha[l] != null) {
                    aq = new UniformQuantizer(actSpec, QuantParams.symmetric(LearnedClip.step(alpha[l][0], actQmax)));
                }
                ql.add(new QuantizedLayer(in[l], out[l], wq, wq.quantize(m.weight()), b[l], aq));
            }
            return new QuantizedMlp(ql);
        }
    }

    /**
     * The exact projection of the learned width choice onto the budget: the allocation that
     * maximizes {@code sum_l log softmax(alpha_l)_k} (the most probable joint choice under the
     * learned logits) subject to {@code sum_l n_l b_l <= floor(B * sum_l n_l)}, found by
     * {@link BitAllocator}. It equals the argmax whenever the argmax is within budget.
     *
     * @return the candidate index of each layer
     */
    static int[] project(MixedPrecisionWeight[] mix, CfqConfig config) {
        int layers = mix.length;
        int[] cand = config.budget().candidateArray();
        double[][] scores = new double[layers][cand.length];
        int[] weights = new int[layers];
        for (int l = 0; l < layers; l++) {
            float[] a = mix[l].logits();
            double max = Double.NEGATIVE_INFINITY;
            for (float v : a) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : a) {
                sum += Math.exp(v - max);
            }
            double lse = max + Math.log(sum);
            for (int k = 0; k < cand.length; k++) {
                scores[l][k] = lse - a[k];
            }
            weights[l] = mix[l].size();
        }
        BitAllocation alloc = BitAllocator.allocate(weights, new LayerSensitivity(cand, scores, "cfq-logits"),
                config.budget());
        int[] bits = alloc.bits();
        int[] k = new int[layers];
        for (int l = 0; l < layers; l++) {
            k[l] = Arrays.binarySearch(cand, bits[l]);
        }
        return k;
    }
}
