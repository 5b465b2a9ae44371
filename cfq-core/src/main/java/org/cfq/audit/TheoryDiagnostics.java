package org.cfq.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cfq.model.Classifier;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.recourse.RecourseBatch;

/**
 * The paper's theory diagnostics at the teacher's counterfactuals (issue 14, "Theory
 * diagnostics"): the published sampled epsilon, the margins, the transfer rate, and the
 * per-layer weight error of the student.
 *
 * <p>Sampled epsilon, as the authors' code computes it: at each found counterfactual x'_T,
 * {@code eps = max |z_S,k(u) - z_T,k(u)|} over both logits k and over u = x'_T and
 * {@value #NEIGHBOURS} points drawn uniformly from the L-infinity ball of radius
 * {@value #RADIUS} around it (model-space units). The transfer condition of the paper's
 * argument is {@code m_T(x'_T) > 2 eps}: if no logit moves by more than eps, the margin moves
 * by at most 2 eps. eps is sampled, not bounded, so the condition is <b>not sound</b>; its
 * precision (share of passing points that really stay valid) is reported beside it.
 *
 * @param found              teacher counterfactuals examined
 * @param epsilonMean        mean sampled epsilon
 * @param epsilonMedian      median sampled epsilon
 * @param teacherMarginMean  mean teacher margin at x'_T
 * @param studentMarginMean  mean student margin at x'_T
 * @param transferRate       share of x'_T the student accepts (1 - VD)
 * @param conditionRate      share of x'_T meeting {@code m_T > 2 eps} (not sound)
 * @param conditionPrecision among those, the share the student accepts (NaN when none pass)
 * @param layers             per-layer weight error of the student against the teacher, empty
 *                           when the student's weights cannot be read
 */
public record TheoryDiagnostics(int found, double epsilonMean, double epsilonMedian, double teacherMarginMean,
                                double studentMarginMean, double transferRate, double conditionRate,
                                double conditionPrecision, List<LayerError> layers) {
    /** Input neighbours per counterfactual in the published sampled epsilon. */
    public static final int NEIGHBOURS = 8;
    /** Their L-infinity radius, in model-space units. */
    public static final double RADIUS = 0.05;

    public TheoryDiagnostics {
        layers = List.copyOf(layers);
    }

    /**
     * One layer's weight error {@code W_S - W_T} (dequantized student weights).
     *
     * @param linf largest absolute entry
     * @param l2   Frobenius norm
     */
    public record LayerError(int layer, double linf, double l2) {
    }

    /**
     * Computes the diagnostics at the teacher's found counterfactuals.
     *
     * @param threshold the decision threshold of the favorable margin
     */
    public static TheoryDiagnostics of(Mlp teacher, Classifier student, TeacherRecourse tr, double threshold,
                                       SplittableRandom rng) {
        int w = teacher.inputDim();
        RecourseBatch b = tr.batch();
        boolean[] mask = b.foundMask();
        float[] cf = tr.size() == 0 ? new float[0] : b.counterfactualsOrFactuals(tr.factuals());
        int found = b.foundCount();
        float[] pts = new float[found * w];
        for (int i = 0, k = 0; i < tr.size(); i++) {
            if (mask[i]) {
                System.arraycopy(cf, i * w, pts, k++ * w, w);
            }
        }
        List<LayerError> layers = layerErrors(teacher, student);
        if (found == 0) {
            return new TheoryDiagnostics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, layers);
        }
        // The points and their neighbours in one batch: row (i * (N + 1) + j), j = 0 is x'_T itself.
        int per = NEIGHBOURS + 1;
        float[] batch = new float[found * per * w];
        for (int i = 0; i < found; i++) {
            for (int j = 0; j < per; j++) {
                int o = (i * per + j) * w;
                for (int c = 0; c < w; c++) {
                    float noise = j == 0 ? 0f : (float) ((2 * rng.nextDouble() - 1) * RADIUS);
                    batch[o + c] = pts[i * w + c] + noise;
                }
            }
        }
        int rows = found * per;
        float[] zt = new float[rows * 2];
        float[] zs = new float[rows * 2];
        teacher.logits(batch, rows, zt);
        student.logits(batch, rows, zs);
        double[] eps = new double[found];
        double epsSum = 0;
        double tmSum = 0;
        double smSum = 0;
        int valid = 0;
        int pass = 0;
        int passValid = 0;
        for (int i = 0; i < found; i++) {
            double e = 0;
            for (int j = 0; j < per; j++) {
                int r = i * per + j;
                e = Math.max(e, Math.max(Math.abs(zs[2 * r] - zt[2 * r]), Math.abs(zs[2 * r + 1] - zt[2 * r + 1])));
            }
            eps[i] = e;
            epsSum += e;
            int r0 = i * per;
            double tm = zt[2 * r0 + 1] - zt[2 * r0];
            double sm = zs[2 * r0 + 1] - zs[2 * r0];
            tmSum += tm;
            smSum += sm;
            boolean ok = sm > threshold;
            valid += ok ? 1 : 0;
            if (tm - threshold > 2 * e) {
                pass++;
                passValid += ok ? 1 : 0;
            }
        }
        return new TheoryDiagnostics(found, epsSum / found, Stats.median(eps), tmSum / found, smSum / found,
                (double) valid / found, (double) pass / found, pass == 0 ? Double.NaN : (double) passValid / pass,
                layers);
    }

    /** {@return the per-layer weight error, empty when the student is neither a QuantizedMlp nor an Mlp of the same shape} */
    static List<LayerError> layerErrors(Mlp teacher, Classifier student) {
        Optional<Mlp> s = student instanceof QuantizedMlp q ? Optional.of(q.dequantizedMlp())
                : student instanceof Mlp m ? Optional.of(m) : Optional.empty();
        List<LayerError> out = new ArrayList<>();
        if (s.isEmpty() || s.get().layers().size() != teacher.layers().size()) {
            return out;
        }
        for (int l = 0; l < teacher.layers().size(); l++) {
            DenseLayer t = teacher.layers().get(l);
            DenseLayer q = s.get().layers().get(l);
            if (t.in() != q.in() || t.out() != q.out()) {
                return List.of();
            }
            float[] a = t.weight();
            float[] b = q.weight();
            double linf = 0;
            double ss = 0;
            for (int i = 0; i < a.length; i++) {
                double d = (double) b[i] - a[i];
                linf = Math.max(linf, Math.abs(d));
                ss += d * d;
            }
            out.add(new LayerError(l, linf, Math.sqrt(ss)));
        }
        return out;
    }
}
