package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.cfq.audit.Audit;
import org.cfq.audit.AuditReport;
import org.cfq.audit.Shifts;
import org.cfq.audit.Subgroups;
import org.cfq.audit.TeacherRecourse;
import org.cfq.audit.TheoryDiagnostics;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;

/**
 * The stress evaluations of issue 14 ({@code shift}, {@code tightness}) and the theory
 * diagnostics ({@code theory}), each an audit of the cell's student under changed conditions,
 * with the published settings written into the row.
 */
final class StressEvaluations {
    /** Feature-noise sigma on the actionable model-space columns. */
    static final double NOISE_SIGMA = 0.1;
    /** Share the reweighted subgroup takes in the shifted test set. */
    static final double REWEIGHT_SHARE = 0.75;
    /** Favorable share after the label-prior shift. */
    static final double LABEL_PRIOR = 0.20;
    /** Box scales of the tightness evaluation (fractions of the span, about the centre). */
    static final double[] BOX_SCALES = {0.35, 0.75};
    /** Sparsity moves of the tightness evaluation. */
    static final int[] SPARSITY_MOVES = {-2, 2};

    static final String SHIFT_TABLE = "Distribution shift";
    static final String TIGHTNESS_TABLE = "Constraint tightness";
    static final String THEORY_TABLE = "Theory diagnostics";

    private StressEvaluations() {
    }

    static void put(String id, ObjectNode row, ObjectNode metrics, Evaluations.Input in) {
        switch (id) {
            case "shift" -> shift(row.putObject("shift"), metrics, in);
            case "tightness" -> tightness(row.putObject("tightness"), metrics, in);
            case "theory" -> theory(row.putObject("theory"), metrics, in);
            default -> throw new IllegalArgumentException("not a stress evaluation: " + id);
        }
    }

    private static void shift(ObjectNode o, ObjectNode metrics, Evaluations.Input in) {
        TeacherContext c = in.context();
        float[] x = c.splits().testX();
        int[] y = c.splits().testY();
        o.put("noise_sigma", NOISE_SIGMA);
        o.put("reweight_share", REWEIGHT_SHARE);
        o.put("label_prior", LABEL_PRIOR);
        ArrayNode a = o.putArray("sets");
        audit(a, metrics, SHIFT_TABLE, "noise sigma " + NOISE_SIGMA, in, Shifts.featureNoise(x, y, c.space(),
                NOISE_SIGMA, in.rng().split()), c.space(), in.teacherRecourse().request());
        String feature = DatasetRegistry.builtIn().subgroupFeature(in.dataset());
        if (feature != null) {
            Subgroups g = Subgroups.of(c.data().train(), c.data().test(), feature);
            int target = smallestGroup(g);
            audit(a, metrics, SHIFT_TABLE, String.format(Locale.ROOT, "%s = %s at %.0f%%", feature,
                    g.names().get(target), 100 * REWEIGHT_SHARE), in, Shifts.reweight(x, y, g.groupOfRow(), target,
                    REWEIGHT_SHARE, in.rng().split()), c.space(), in.teacherRecourse().request());
        }
        audit(a, metrics, SHIFT_TABLE, String.format(Locale.ROOT, "favorable at %.0f%%", 100 * LABEL_PRIOR), in,
                Shifts.labelPrior(x, y, LABEL_PRIOR, in.rng().split()), c.space(), in.teacherRecourse().request());
    }

    /** The group with the fewest test rows (the one a reweighting to 75% shifts most). */
    private static int smallestGroup(Subgroups g) {
        int[] count = new int[g.names().size()];
        for (int r : g.groupOfRow()) {
            count[r]++;
        }
        int best = 0;
        for (int i = 1; i < count.length; i++) {
            if (count[i] < count[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void tightness(ObjectNode o, ObjectNode metrics, Evaluations.Input in) {
        TeacherContext c = in.context();
        Shifts.Shifted test = new Shifts.Shifted(c.splits().testX(), c.splits().testY(), c.splits().testY().length);
        ArrayNode a = o.putArray("settings");
        RecourseRequest base = in.teacherRecourse().request();
        for (double s : BOX_SCALES) {
            Encoder e = Shifts.scaledBox(c.encoder(), s);
            audit(a, metrics, TIGHTNESS_TABLE, "box x" + s, in, test, Teachers.actionSpace(e, c.data()), base);
        }
        int k = base.sparsity();
        for (int d : SPARSITY_MOVES) {
            if (k == 0) {
                break; // no published limit: nothing to move
            }
            int kk = Math.max(1, k + d);
            audit(a, metrics, TIGHTNESS_TABLE, "sparsity " + kk + " (k" + (d > 0 ? "+" : "") + d + ")", in, test,
                    c.space(), base.withSparsity(kk));
        }
    }

    /**
     * Audits the cell's student on a test set under an action space and request: the teacher's
     * recourse is searched again on that set, then the student is audited against it.
     */
    private static void audit(ArrayNode out, ObjectNode metrics, String table, String label, Evaluations.Input in,
                              Shifts.Shifted test, ActionSpace space, RecourseRequest request) {
        TeacherContext c = in.context();
        RecourseGenerator<DifferentiableClassifier> g = in.generator();
        RecourseGenerator<DifferentiableClassifier> gen = space == c.space() ? g : generatorFor(in, space);
        EncodedSplits split = EncodedSplits.testOnly(test.x(), test.y(), c.teacher().inputDim());
        TeacherRecourse tr = Audit.teacherRecourse(c.teacher(), split, gen, in.teacherRecourse().settings(), request,
                in.audit());
        AuditReport r = Audit.run(c.teacher(), in.student(), split, c.encoder().layout(), tr, gen, in.audit());
        ObjectNode n = out.addObject();
        n.put("name", label);
        n.put("test_rows", test.rows());
        n.put("sparsity", request.sparsity());
        AuditJson.num(n, "teacher_accuracy", r.teacherAccuracy());
        AuditJson.num(n, "student_accuracy", r.studentAccuracy());
        AuditJson.num(n, "fidelity", r.fidelity().agreement());
        AuditJson.num(n, "leniency", r.fidelity().leniency());
        n.put("factuals", r.factuals());
        AuditJson.num(n, "teacher_feasible", r.teacherFeasible());
        AuditJson.num(n, "student_feasible", r.studentFeasible());
        AuditJson.num(n, "vd", r.validityDrop().value());
        AuditJson.num(n, "crg", r.recourseGap().mean());
        AuditJson.num(n, "crg_ratio_of_means", r.recourseGap().ratioOfMeans());
        ObjectNode l = Evaluations.line(metrics, table, label);
        AuditJson.num(l, "S acc %", 100 * r.studentAccuracy());
        AuditJson.num(l, "fidelity %", 100 * r.fidelity().agreement());
        AuditJson.num(l, "leniency %", 100 * r.fidelity().leniency());
        AuditJson.num(l, "T feas %", 100 * r.teacherFeasible());
        AuditJson.num(l, "S feas %", 100 * r.studentFeasible());
        AuditJson.num(l, "VD %", 100 * r.validityDrop().value());
        AuditJson.num(l, "CRG ratio %", 100 * r.recourseGap().ratioOfMeans());
    }

    /** The cell's generator kind over another action space (the tightened box). */
    private static RecourseGenerator<DifferentiableClassifier> generatorFor(Evaluations.Input in, ActionSpace space) {
        return in.generatorFactory().apply(space);
    }

    private static void theory(ObjectNode o, ObjectNode metrics, Evaluations.Input in) {
        TeacherContext c = in.context();
        TheoryDiagnostics d = TheoryDiagnostics.of(c.teacher(), in.student(), in.teacherRecourse(),
                in.teacherRecourse().request().threshold(), in.rng().split());
        o.put("neighbours", TheoryDiagnostics.NEIGHBOURS);
        o.put("radius", TheoryDiagnostics.RADIUS);
        o.put("sound", false);
        o.put("found", d.found());
        AuditJson.num(o, "epsilon_mean", d.epsilonMean());
        AuditJson.num(o, "epsilon_median", d.epsilonMedian());
        AuditJson.num(o, "teacher_margin_mean", d.teacherMarginMean());
        AuditJson.num(o, "student_margin_mean", d.studentMarginMean());
        AuditJson.num(o, "transfer_rate", d.transferRate());
        AuditJson.num(o, "condition_rate_not_sound", d.conditionRate());
        AuditJson.num(o, "condition_precision", d.conditionPrecision());
        ArrayNode layers = o.putArray("layer_weight_error");
        ObjectNode l = Evaluations.line(metrics, THEORY_TABLE, "at x'_T");
        AuditJson.num(l, "eps mean", d.epsilonMean());
        AuditJson.num(l, "eps median", d.epsilonMedian());
        AuditJson.num(l, "T margin mean", d.teacherMarginMean());
        AuditJson.num(l, "S margin mean", d.studentMarginMean());
        AuditJson.num(l, "transfer %", 100 * d.transferRate());
        AuditJson.num(l, "m_T > 2 eps % (NOT sound)", 100 * d.conditionRate());
        AuditJson.num(l, "its precision %", 100 * d.conditionPrecision());
        for (TheoryDiagnostics.LayerError e : d.layers()) {
            ObjectNode n = layers.addObject();
            n.put("layer", e.layer());
            n.put("linf", e.linf());
            n.put("l2", e.l2());
            AuditJson.num(l, "L" + e.layer() + " dW inf", e.linf());
            AuditJson.num(l, "L" + e.layer() + " dW L2", e.l2());
        }
    }
}
