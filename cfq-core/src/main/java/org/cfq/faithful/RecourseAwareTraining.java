package org.cfq.faithful;

import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.Losses;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;

/**
 * The full-precision reference models of the paper's recourse-aware baselines, each trained from
 * scratch with the teacher's architecture and then quantized by {@code mixedprec}:
 * <ul>
 *   <li>{@link #margin} ({@code r-margin}): task cross-entropy plus {@code 0.5 relu(0.25 - m(x + d))}
 *       at the model's own recourse points {@code x + d}, found in the loop (each batch) by the short
 *       pgd on the current weights for the batch rows it rejects; a recourse-margin regulariser in
 *       the spirit of robust recourse training (Upadhyay, Joshi, Lakkaraju, "Towards Robust and
 *       Reliable Algorithmic Recourse", NeurIPS 2021);</li>
 *   <li>{@link #consistency} ({@code r-consistency}): two peer networks (different initialisations)
 *       trained jointly on their cross-entropies plus {@code 0.5} times the symmetric KL between
 *       their predictions at the recourse points of both (each peer's pgd for the rows it rejects),
 *       so that recourse found on one stays valid on the other (model-multiplicity consistency,
 *       Pawelczyk et al., "On Counterfactual Explanations under Predictive Multiplicity", UAI 2020).</li>
 * </ul>
 * Each term is a per-row loss averaged over the batch's data rows (a row with a recourse
 * point adds its hinge or KL; the others add nothing), so the recourse terms weigh what their
 * share of the batch does. The in-loop search is {@link PgdConfig#cfqTraining()} (3 steps of 0.08, 1 restart) under the
 * caller's recourse request (cost, sparsity); the recourse points are constants of the loss (no
 * gradient flows through the search).
 */
public final class RecourseAwareTraining {
    /** Weight of the margin hinge ({@code r-margin}). */
    public static final double HINGE_WEIGHT = 0.5;
    /** Target margin of the hinge. */
    public static final double HINGE_MARGIN = 0.25;
    /** Weight of the symmetric KL ({@code r-consistency}). */
    public static final double CONSISTENCY_WEIGHT = 0.5;

    private RecourseAwareTraining() {
    }

    /** Two jointly trained peers: {@code first} is the one quantized and audited against. */
    public record Peers(TrainingResult first, Mlp second, long recoursePoints) {
        public Peers {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }

    /** What {@link #margin} returns: the trained model and how many recourse points the hinge saw. */
    public record Margin(TrainingResult result, long recoursePoints, long hingeActive) {
        public Margin {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * Trains the {@code r-margin} reference model.
     *
     * @param config   architecture, optimiser, epochs and patience (its seed is not used)
     * @param space    the dataset's action space
     * @param request  cost and sparsity of the in-loop search (margin and seed are not used)
     * @param rng      the only source of randomness (initialisation, shuffles, search seeds)
     */
    public static Margin margin(TrainingConfig config, ActionSpace space, RecourseRequest request, float[] x,
                                int[] y, float[] xVal, int[] yVal, SplittableRandom rng) {
        return margin(Mlp.initialize(space.width(), config.hiddenArray(), rng.split()), config, space, request, x, y,
                xVal, yVal, rng);
    }

    /** {@link #margin} from given weights ({@code start} is trained in place; pass a copy to keep it). */
    public static Margin margin(Mlp start, TrainingConfig config, ActionSpace space, RecourseRequest request,
                                float[] x, int[] y, float[] xVal, int[] yVal, SplittableRandom rng) {
        int width = space.width();
        Mlp net = start;
        SplittableRandom shuffle = rng.split();
        SplittableRandom search = rng.split();
        PgdGenerator pgd = new PgdGenerator(space, PgdConfig.cfqTraining());
        int batch = Math.min(config.batchSize(), y.length);
        float[] dLogits = new float[2 * batch * 2];
        float[] neg = new float[batch * width];
        long[] counts = new long[2];
        MlpTrainer.Objective obj = new MlpTrainer.Objective() {
            @Override
            public int capacity(int b) {
                return 2 * b;
            }

            @Override
            public double step(Mlp m, Mlp.Workspace ws, Mlp.Gradients grads, float[] xb, int[] yb, int n) {
                int k = recoursePoints(m, pgd, request, search.nextLong(), xb, n, neg, width);
                m.forward(xb, n + k, ws);
                float[] lg = ws.logits();
                double loss = Losses.softmaxCrossEntropy(lg, yb, 0, n, 1.0 / n, dLogits) / n;
                for (int i = n; i < n + k; i++) {
                    double mg = (double) lg[2 * i + 1] - lg[2 * i];
                    double g = 0;
                    // per-row loss averaged over the batch: a row with a recourse point adds its hinge
                    if (mg < HINGE_MARGIN) {
                        loss += HINGE_WEIGHT * (HINGE_MARGIN - mg) / n;
                        g = -HINGE_WEIGHT / n;
                        counts[1]++;
                    }
                    dLogits[2 * i + 1] = (float) g;
                    dLogits[2 * i] = (float) -g;
                }
                counts[0] += k;
                m.backward(xb, n + k, ws, dLogits, grads, null);
                return loss;
            }
        };
        TrainingResult r = new MlpTrainer(config).train(net, obj, x, y, xVal, yVal, shuffle);
        return new Margin(r, counts[0], counts[1]);
    }

    /**
     * Trains the two {@code r-consistency} peers jointly (same batches; the second peer has its own
     * optimiser). The first peer is selected on its validation accuracy; the second is returned as
     * it is at the end.
     */
    public static Peers consistency(TrainingConfig config, ActionSpace space, RecourseRequest request, float[] x,
                                    int[] y, float[] xVal, int[] yVal, SplittableRandom rng) {
        int width = space.width();
        Mlp first = Mlp.initialize(width, config.hiddenArray(), rng.split());
        Mlp second = Mlp.initialize(width, config.hiddenArray(), rng.split());
        SplittableRandom shuffle = rng.split();
        SplittableRandom search = rng.split();
        PgdGenerator pgd = new PgdGenerator(space, PgdConfig.cfqTraining());
        int batch = Math.min(config.batchSize(), y.length);
        int cap = 3 * batch;
        Mlp.Workspace ws2 = second.workspace(cap);
        Mlp.Gradients g2 = new Mlp.Gradients(second);
        org.cfq.train.AdamW opt2 = new org.cfq.train.AdamW(config.learningRate(), config.weightDecay());
        opt2.registerMlp(second, g2);
        float[] d1 = new float[cap * 2];
        float[] d2 = new float[cap * 2];
        float[] neg = new float[batch * width];
        long[] points = new long[1];
        MlpTrainer.Objective obj = new MlpTrainer.Objective() {
            @Override
            public int capacity(int b) {
                return 3 * b;
            }

            @Override
            public double step(Mlp a, Mlp.Workspace ws, Mlp.Gradients grads, float[] xb, int[] yb, int n) {
                long seed = search.nextLong();
                int ka = recoursePoints(a, pgd, request, seed, xb, n, neg, width);
                int kb = recoursePoints(second, pgd, request, seed, xb, n, n + ka, neg, width);
                int k = ka + kb;
                a.forward(xb, n + k, ws);
                second.forward(xb, n + k, ws2);
                float[] la = ws.logits();
                float[] lb = ws2.logits();
                double loss = (Losses.softmaxCrossEntropy(la, yb, 0, n, 1.0 / n, d1)
                        + Losses.softmaxCrossEntropy(lb, yb, 0, n, 1.0 / n, d2)) / n;
                for (int i = n; i < n + k; i++) {
                    double ma = (double) la[2 * i + 1] - la[2 * i];
                    double mb = (double) lb[2 * i + 1] - lb[2 * i];
                    double[] gs = symmetricKlGradients(ma, mb);
                    loss += CONSISTENCY_WEIGHT * gs[0] / n;
                    double ga = CONSISTENCY_WEIGHT * gs[1] / n;
                    double gb = CONSISTENCY_WEIGHT * gs[2] / n;
                    d1[2 * i + 1] = (float) ga;
                    d1[2 * i] = (float) -ga;
                    d2[2 * i + 1] = (float) gb;
                    d2[2 * i] = (float) -gb;
                }
                points[0] += k;
                a.backward(xb, n + k, ws, d1, grads, null);
                g2.zero();
                second.backward(xb, n + k, ws2, d2, g2, null);
                opt2.step();
                return loss;
            }
        };
        TrainingResult r = new MlpTrainer(config).train(first, obj, x, y, xVal, yVal, shuffle);
        return new Peers(r, second, points[0]);
    }

    /**
     * The symmetric KL {@code KL(p||q) + KL(q||p) = (p - q)(logit p - logit q)} of two Bernoulli
     * predictions with favorable margins {@code a} (p = sigmoid(a)) and {@code b}, and its
     * derivatives: {@code {value, d/da, d/db}}.
     */
    static double[] symmetricKlGradients(double a, double b) {
        double p = Losses.sigmoid(a);
        double q = Losses.sigmoid(b);
        double v = (p - q) * (a - b);
        double da = p * (1 - p) * (a - b) + (p - q);
        double db = -q * (1 - q) * (a - b) - (p - q);
        return new double[] {v, da, db};
    }

    /**
     * Appends to {@code xb} (after row {@code at}) the pgd recourse points of the rows among the
     * first {@code n} that {@code model} rejects; {@return how many were found}
     */
    static int recoursePoints(Mlp model, PgdGenerator pgd, RecourseRequest request, long seed, float[] xb, int n,
                              float[] neg, int width) {
        return recoursePoints(model, pgd, request, seed, xb, n, n, neg, width);
    }

    /** The same, reading the first {@code dataRows} rows and appending after row {@code at}. */
    static int recoursePoints(Mlp model, PgdGenerator pgd, RecourseRequest request, long seed, float[] xb,
                                      int dataRows, int at, float[] neg, int width) {
        float[] m = model.margins(java.util.Arrays.copyOf(xb, dataRows * width), dataRows);
        int k = 0;
        for (int i = 0; i < dataRows; i++) {
            if (!(m[i] > 0f)) {
                System.arraycopy(xb, i * width, neg, k * width, width);
                k++;
            }
        }
        if (k == 0) {
            return 0;
        }
        RecourseBatch b = pgd.generate(model, neg, k, request.withMargin(0).withSeed(seed));
        int found = 0;
        for (int i = 0; i < k; i++) {
            if (b.get(i) instanceof RecourseResult.Found f) {
                f.copyTo(xb, (at + found) * width);
                found++;
            }
        }
        return found;
    }
}
