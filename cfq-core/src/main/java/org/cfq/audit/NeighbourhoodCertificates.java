package org.cfq.audit;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;
import org.cfq.bounds.BoundEngine;
import org.cfq.bounds.BoundNetwork;
import org.cfq.bounds.InputSplitting;
import org.cfq.bounds.Neighbourhood;
import org.cfq.model.Classifier;
import org.cfq.model.DeployedClassifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedBounds;
import org.cfq.quant.QuantizedMlp;

/**
 * The audit's headline certificates (sound): at each teacher counterfactual, over the
 * applicant's neighbourhood, (a) the student's favorable margin is bounded below, and (b) the
 * paper's transfer condition is checked with bounds instead of samples: the teacher's margin
 * lower bound must exceed twice a sound bound on {@code max_k |z_S,k - z_T,k|}, computed on the
 * two networks side by side ({@link BoundNetwork#stack}) so the shared input is kept.
 */
public final class NeighbourhoodCertificates {
    private static final double[][] LOGIT_DIFFERENCES = {{-1, 0, 1, 0}, {1, 0, -1, 0}, {0, -1, 0, 1}, {0, 1, 0, -1}};

    private NeighbourhoodCertificates() {
    }

    /**
     * The network whose bounds cover what a classifier computes: a float {@link Mlp}, a
     * {@link QuantizedMlp}, or a {@link DeployedClassifier} whose runtime provably computes its
     * twin's network (the integer engine; an ONNX graph of the same weights in float32).
     *
     * @return empty for any other classifier
     */
    public static Optional<BoundNetwork> network(Classifier c) {
        if (c instanceof DeployedClassifier d) {
            return d.boundsTransfer() ? network(d.twin()) : Optional.empty();
        }
        if (c instanceof QuantizedMlp q) {
            return Optional.of(QuantizedBounds.network(q));
        }
        if (c instanceof Mlp m) {
            return Optional.of(BoundNetwork.of(m));
        }
        return Optional.empty();
    }

    static AuditReport.NeighbourhoodCertificate of(Mlp teacher, Classifier student, Neighbourhood nb,
                                                    float[] factuals, float[] cfs, int n, double threshold) {
        String tolerance = nb == null || nb.isPoint() ? "exact point" : describe(nb);
        Optional<BoundNetwork> sn = network(student);
        if (sn.isEmpty()) {
            return new AuditReport.NeighbourhoodCertificate(false, "the student's network cannot be read: no "
                    + "certificate", tolerance, 0, 0, 0, Double.NaN, Double.NaN);
        }
        BoundNetwork tNet = BoundNetwork.of(teacher);
        BoundNetwork sNet = sn.get();
        BoundNetwork pair = BoundNetwork.stack(tNet, sNet);
        int w = teacher.inputDim();
        double[] sBound = new double[n];
        double[] tBound = new double[n];
        double[] eps = new double[n];
        int block = 32;
        IntStream.range(0, (n + block - 1) / block).parallel().forEach(b -> {
            BoundEngine se = new BoundEngine(sNet);
            InputSplitting split = new InputSplitting(se, InputSplitting.DEFAULT_MAX_BOXES);
            BoundEngine te = new BoundEngine(tNet);
            BoundEngine pe = new BoundEngine(pair);
            float[] lo = new float[w];
            float[] hi = new float[w];
            double[] one = new double[1];
            double[] four = new double[4];
            for (int r = b * block; r < Math.min(n, (b + 1) * block); r++) {
                if (nb == null) {
                    System.arraycopy(cfs, r * w, lo, 0, w);
                    System.arraycopy(cfs, r * w, hi, 0, w);
                } else {
                    nb.box(factuals, r * w, cfs, r * w, lo, hi, 0);
                }
                se.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.BEST, one);
                sBound[r] = split.refine(lo, hi, 0, one[0], threshold);
                te.lowerBounds(lo, hi, 0, BoundEngine.MARGIN, BoundEngine.Method.BEST, one);
                tBound[r] = one[0];
                pe.lowerBounds(lo, hi, 0, LOGIT_DIFFERENCES, BoundEngine.Method.BEST, four);
                double e = 0;
                for (double v : four) {
                    e = Math.max(e, -v);
                }
                eps[r] = e;
            }
        });
        int certified = 0;
        int transfer = 0;
        for (int r = 0; r < n; r++) {
            if (sBound[r] > threshold) {
                certified++;
            }
            if (tBound[r] - threshold > 2 * eps[r]) {
                transfer++;
            }
        }
        String note = "sound: the student's own weights, float32 rounding in any order"
                + (sNet.quantizesActivations() ? ", activation quantizers as monotone steps" : "")
                + "; interval and CROWN bounds over the neighbourhood, refined by input splitting (up to "
                + InputSplitting.DEFAULT_MAX_BOXES + " boxes) where they fall short";
        return new AuditReport.NeighbourhoodCertificate(true, note, tolerance, n, certified, transfer,
                Stats.median(sBound), Stats.median(eps));
    }

    private static String describe(Neighbourhood nb) {
        double[] t = nb.tolerances();
        StringBuilder sb = new StringBuilder("changed numeric features within ");
        double first = -1;
        boolean same = true;
        for (double v : t) {
            if (v > 0) {
                if (first < 0) {
                    first = v;
                } else if (v != first) {
                    same = false;
                }
            }
        }
        if (same) {
            return sb.append(first).append(" original unit(s)").toString();
        }
        return sb.append(Arrays.toString(t)).append(" (per feature, original units)").toString();
    }
}
