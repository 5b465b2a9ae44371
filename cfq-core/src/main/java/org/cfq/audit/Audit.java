package org.cfq.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.model.Scores;
import org.cfq.data.encode.ModelSpaceLayout;
import org.cfq.math.Dense;
import org.cfq.model.DenseLayer;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.recourse.Plausibility;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;

/**
 * The recourse audit of a teacher and a (quantized) student: a pure function of the two
 * models, the test rows, the recourse generator and its request.
 *
 * <ol>
 *   <li>Factuals: the test rows the teacher scores unfavorably, or the published first 512
 *       rows ({@link FactualSelection}).</li>
 *   <li>Teacher recourse x'_T for each factual; VD is the share of teacher-found x'_T the
 *       student scores at or below the decision threshold.</li>
 *   <li>Student recourse x'_S from the same x with the same generator and request; CRG over
 *       the factuals where both succeed, feasible rates reported separately; direction
 *       cosine and action overlap.</li>
 *   <li>Accuracy of both, fidelity and leniency on every test row.</li>
 *   <li>Margins at x'_T; the sound {@link MarginCertificate} with the intervals of
 *       {@link WeightIntervals}; the published sampled diagnostic, which is not sound.</li>
 * </ol>
 */
public final class Audit {
    private Audit() {
    }

    /**
     * Selects the factuals among the test rows of {@code splits} and computes the teacher's
     * recourse for them.
     *
     * @param settings the generator's settings, recorded in the report
     */
    public static TeacherRecourse teacherRecourse(Mlp teacher, EncodedSplits splits,
                                                  RecourseGenerator<DifferentiableClassifier> generator,
                                                  String settings, RecourseRequest request, AuditConfig config) {
        return teacherRecourse(teacher, splits.testX(), splits.testRows(), generator, settings, request, config);
    }

    /**
     * Audits a student on the test rows of {@code splits} against teacher recourse computed
     * before (shared across students).
     *
     * @param layout    the model-space layout (which columns form a feature, for action overlap)
     * @param generator the same generator the teacher's recourse came from
     */
    public static AuditReport run(Mlp teacher, DifferentiableClassifier student, EncodedSplits splits,
                                  ModelSpaceLayout layout, TeacherRecourse teacherRecourse,
                                  RecourseGenerator<DifferentiableClassifier> generator, AuditConfig config) {
        return run(teacher, student, splits.testX(), splits.testY(), layout, teacherRecourse, generator, config,
                System.nanoTime(), null);
    }

    /** {@link #run(Mlp, DifferentiableClassifier, EncodedSplits, ModelSpaceLayout, TeacherRecourse,
     * RecourseGenerator, AuditConfig)} that also scores the plausibility of both recourses (null: not measured). */
    public static AuditReport run(Mlp teacher, DifferentiableClassifier student, EncodedSplits splits,
                                  ModelSpaceLayout layout, TeacherRecourse teacherRecourse,
                                  RecourseGenerator<DifferentiableClassifier> generator, AuditConfig config,
                                  Plausibility plausibility) {
        return run(teacher, student, splits.testX(), splits.testY(), layout, teacherRecourse, generator, config,
                System.nanoTime(), plausibility);
    }

    private static TeacherRecourse teacherRecourse(Mlp teacher, float[] testX, int testRows,
                                                  RecourseGenerator<DifferentiableClassifier> generator,
                                                  String settings, RecourseRequest request, AuditConfig config) {
        int w = teacher.inputDim();
        checkRows("testX", testX, testRows, w);
        float[] m = teacher.margins(testX, testRows);
        int[] idx = config.factuals().select(m, request.threshold(), config.maxFactuals());
        float[] factuals = new float[idx.length * w];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(testX, idx[i] * w, factuals, i * w, w);
        }
        long t0 = System.nanoTime();
        RecourseBatch batch = idx.length == 0 ? new RecourseBatch(w, List.of())
                : generator.generate(teacher, factuals, idx.length, request);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new TeacherRecourse(config.factuals(), idx, factuals, w, batch, request, generator.name(), settings,
                seconds);
    }

    /**
     * Runs the whole audit on the test rows of {@code splits}, the teacher's recourse included.
     *
     * @param layout   the model-space layout (which columns form a feature, for action overlap)
     * @param settings the generator's settings, recorded in the report
     */
    public static AuditReport run(Mlp teacher, DifferentiableClassifier student, EncodedSplits splits,
                                  ModelSpaceLayout layout, RecourseGenerator<DifferentiableClassifier> generator,
                                  String settings, RecourseRequest request, AuditConfig config) {
        long t0 = System.nanoTime();
        TeacherRecourse tr = teacherRecourse(teacher, splits, generator, settings, request, config);
        return run(teacher, student, splits.testX(), splits.testY(), layout, tr, generator, config, t0, null);
    }

    private static AuditReport run(Mlp teacher, DifferentiableClassifier student, float[] testX, int[] testY,
                                   ModelSpaceLayout layout, TeacherRecourse tr,
                                   RecourseGenerator<DifferentiableClassifier> generator, AuditConfig config,
                                   long t0, Plausibility plausibility) {
        Objects.requireNonNull(student, "student");
        int w = teacher.inputDim();
        if (student.inputDim() != w || layout.width() != w || tr.width() != w) {
            throw new IllegalArgumentException("widths disagree: teacher " + w + ", student " + student.inputDim()
                    + ", layout " + layout.width() + ", teacher recourse " + tr.width());
        }
        if (!generator.name().equals(tr.generator())) {
            throw new IllegalArgumentException("the teacher's recourse came from '" + tr.generator()
                    + "' but the student's would come from '" + generator.name() + "'");
        }
        int testRows = testY.length;
        checkRows("testX", testX, testRows, w);
        RecourseRequest request = tr.request();
        double threshold = request.threshold();

        int[] teacherPred = decisions(teacher.margins(testX, testRows), threshold);
        int[] studentPred = decisions(student.margins(testX, testRows), threshold);
        double teacherAcc = Scores.accuracy(teacherPred, testY);
        double studentAcc = Scores.accuracy(studentPred, testY);
        Fidelity fidelity = Fidelity.of(teacherPred, studentPred);

        int n = tr.size();
        float[] x = tr.factuals();
        RecourseBatch tb = tr.batch();
        boolean[] tFound = tb.foundMask();
        float[] cfT = n == 0 ? new float[0] : tb.counterfactualsOrFactuals(x);
        float[] studentAtT = student.margins(cfT, n);
        float[] teacherAtT = teacher.margins(cfT, n);
        ValidityDrop vd = ValidityDrop.of(tFound, studentAtT, threshold);

        long s0 = System.nanoTime();
        RecourseBatch sb = n == 0 ? new RecourseBatch(w, List.of()) : generator.generate(student, x, n, request);
        double studentSeconds = (System.nanoTime() - s0) / 1e9;
        boolean[] sFound = sb.foundMask();
        float[] cfS = n == 0 ? new float[0] : sb.counterfactualsOrFactuals(x);
        RecourseGap gap = RecourseGap.of(tFound, tb.costs(), sFound, sb.costs());
        boolean[] both = new boolean[n];
        for (int i = 0; i < n; i++) {
            both[i] = tFound[i] && sFound[i];
        }
        DirectionStability direction = DirectionStability.of(layout, x, cfT, cfS, both);

        int found = tb.foundCount();
        float[] foundRows = new float[found * w];
        double[] tm = new double[found];
        double[] sm = new double[found];
        for (int i = 0, k = 0; i < n; i++) {
            if (tFound[i]) {
                System.arraycopy(cfT, i * w, foundRows, k * w, w);
                tm[k] = teacherAtT[i];
                sm[k] = studentAtT[i];
                k++;
            }
        }
        AuditReport.Margins margins = new AuditReport.Margins(Stats.median(tm), Stats.quantile(tm, 0.1),
                Stats.median(sm));

        Optional<WeightIntervals> intervals = WeightIntervals.between(teacher, student);
        AuditReport.Certificate certificate = certificate(teacher, intervals, foundRows, found, threshold);
        float[] foundFactuals = new float[found * w];
        for (int i = 0, k = 0; i < n; i++) {
            if (tFound[i]) {
                System.arraycopy(x, i * w, foundFactuals, k++ * w, w);
            }
        }
        AuditReport.NeighbourhoodCertificate nbCert = NeighbourhoodCertificates.of(teacher, student,
                config.neighbourhood(), foundFactuals, foundRows, found, threshold);
        AuditReport.Diagnostic diagnostic = diagnostic(teacher, student, intervals, foundRows, found, tm,
                config.sampledNetworks(), new SplittableRandom(config.seed()));
        AuditReport.Plausible plausible = null;
        if (plausibility != null) {
            double[] pt = plausibility.means(tb);
            double[] ps = plausibility.means(sb);
            plausible = new AuditReport.Plausible(pt[0], pt[1], ps[0], ps[1]);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new AuditReport(tr.selection(), n, testRows, tr.generator(), tr.settings(), request, teacherAcc,
                studentAcc, fidelity, found, sb.foundCount(), vd, gap, direction, margins, certificate, nbCert,
                diagnostic, tr.seconds(), studentSeconds, seconds, plausible);
    }

    /**
     * Lower bounds of the favorable margin, over every network inside the intervals around
     * the teacher that contain the student, at the given rows.
     *
     * @return empty when the student's weights cannot be read
     */
    public static Optional<double[]> certifiedMarginBounds(Mlp teacher, DifferentiableClassifier student, float[] x,
                                                           int rows) {
        return WeightIntervals.between(teacher, student).map(iv -> iv.marginLowerBounds(teacher, x, rows));
    }

    private static AuditReport.Certificate certificate(Mlp teacher, Optional<WeightIntervals> intervals,
                                                       float[] rows, int n, double threshold) {
        if (intervals.isEmpty()) {
            return new AuditReport.Certificate(false, "the student's weights cannot be read: no certificate", 0, 0,
                    List.of(), List.of(), false, Double.NaN);
        }
        WeightIntervals iv = intervals.get();
        double[] bound = iv.marginLowerBounds(teacher, rows, n);
        int certified = 0;
        for (double b : bound) {
            if (b > threshold) {
                certified++;
            }
        }
        String note = iv.activationsQuantized()
                ? "sound: weight and bias intervals, activation quantizers propagated as monotone maps, "
                        + "float32 rounding included"
                : "sound: weight and bias intervals, float activations, float32 rounding included";
        return new AuditReport.Certificate(true, note, n, certified, iv.weightRadius(), iv.biasRadius(),
                iv.activationsQuantized(), Stats.median(bound));
    }

    private static AuditReport.Diagnostic diagnostic(Mlp teacher, DifferentiableClassifier student,
                                                     Optional<WeightIntervals> intervals, float[] rows, int n,
                                                     double[] teacherMargin, int networks, SplittableRandom rng) {
        if (n == 0) { // no teacher counterfactual (e.g. no actionable feature): nothing to check
            return new AuditReport.Diagnostic(0, 0, 0, Double.NaN);
        }
        float[] tLogits = new float[n * 2];
        teacher.logits(rows, n, tLogits);
        double[] eps = new double[n];
        float[] logits = new float[n * 2];
        student.logits(rows, n, logits);
        accumulateEpsilon(tLogits, logits, eps);
        int evaluated = 1;
        if (intervals.isPresent()) {
            for (int k = 1; k < networks; k++) {
                forward(sample(teacher, intervals.get(), rng.split()), intervals.get().activationMaps(), rows, n,
                        logits);
                accumulateEpsilon(tLogits, logits, eps);
                evaluated++;
            }
        }
        int passed = 0;
        for (int i = 0; i < n; i++) {
            if (teacherMargin[i] > 2 * eps[i]) {
                passed++;
            }
        }
        return new AuditReport.Diagnostic(evaluated, n, passed, Stats.median(eps));
    }

    private static void accumulateEpsilon(float[] teacher, float[] other, double[] eps) {
        for (int i = 0; i < eps.length; i++) {
            double d0 = Math.abs((double) other[2 * i] - teacher[2 * i]);
            double d1 = Math.abs((double) other[2 * i + 1] - teacher[2 * i + 1]);
            eps[i] = Math.max(eps[i], Math.max(d0, d1));
        }
    }

    /** A network drawn uniformly inside the intervals (weights and biases). */
    static List<DenseLayer> sample(Mlp teacher, WeightIntervals iv, SplittableRandom rng) {
        List<DenseLayer> out = new ArrayList<>();
        double[] wr = iv.weightRadii();
        double[] br = iv.biasRadii();
        for (int l = 0; l < teacher.layers().size(); l++) {
            DenseLayer t = teacher.layers().get(l);
            out.add(new DenseLayer(t.in(), t.out(), jitter(t.weight(), wr[l], rng), jitter(t.bias(), br[l], rng)));
        }
        return out;
    }

    private static float[] jitter(float[] a, double r, SplittableRandom rng) {
        float[] b = a.clone();
        if (r > 0) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (a[i] + (rng.nextDouble() * 2 - 1) * r);
            }
        }
        return b;
    }

    /**
     * Logits of a float network whose hidden ReLU outputs pass through the given maps,
     * computed like {@link org.cfq.quant.QuantizedMlp}'s forward pass.
     *
     * @param out (rows x 2), overwritten
     */
    static void forward(List<DenseLayer> layers, List<MonotoneMap> maps, float[] x, int rows, float[] out) {
        float[] in = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            float[] y = l == layers.size() - 1 ? out : new float[rows * layer.out()];
            Dense.affine(in, rows, layer.in(), layer.weight(), layer.bias(), layer.out(), y);
            if (l < layers.size() - 1) {
                MonotoneMap f = maps.get(l);
                for (int i = 0; i < rows * layer.out(); i++) {
                    float v = Math.max(0f, y[i]);
                    y[i] = f == MonotoneMap.IDENTITY ? v : (float) f.apply(v);
                }
            }
            in = y;
        }
    }

    private static int[] decisions(float[] margins, double threshold) {
        int[] d = new int[margins.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = margins[i] > threshold ? 1 : 0;
        }
        return d;
    }

    private static void checkRows(String name, float[] x, int rows, int width) {
        if (x.length != rows * width) {
            throw new IllegalArgumentException(name + " must hold " + rows + " x " + width + " = " + rows * width
                    + " floats, got " + x.length);
        }
    }
}
