package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.cfq.audit.AuditReport;

/**
 * The JSON form of an {@link AuditReport}: flat snake-case metric keys first (the ones
 * scripts read), then the certificate, the diagnostic and the recourse settings. NaN
 * (undefined, e.g. a gap over zero pairs) is written as null.
 */
public final class AuditJson {
    /** How the published diagnostic's sampled epsilon is defined, written beside it. */
    public static final String DIAGNOSTIC_DEFINITION = "passes when teacher margin at x'_T > 2 * eps(x'_T), eps = max over "
            + "both logits and over the student plus networks drawn uniformly inside the certificate's intervals of "
            + "|logit change|; NOT sound (sampling can miss the worst network)";

    private AuditJson() {
    }

    /** Writes the report's fields into {@code o}. */
    public static void put(ObjectNode o, AuditReport r) {
        o.put("factual_selection", r.selection().id());
        o.put("factuals", r.factuals());
        o.put("test_rows", r.testRows());
        num(o, "teacher_accuracy", r.teacherAccuracy());
        num(o, "student_accuracy", r.studentAccuracy());
        num(o, "fidelity", r.fidelity().agreement());
        num(o, "leniency", r.fidelity().leniency());
        o.put("teacher_unfavorable", r.fidelity().teacherUnfavorable());
        num(o, "teacher_feasible", r.teacherFeasible());
        num(o, "student_feasible", r.studentFeasible());
        o.put("teacher_found", r.teacherFound());
        o.put("student_found", r.studentFound());
        num(o, "vd", r.validityDrop().value());
        o.put("vd_invalidated", r.validityDrop().invalidated());
        num(o, "crg", r.recourseGap().mean());
        num(o, "crg_median", r.recourseGap().median());
        num(o, "crg_ratio_of_means", r.recourseGap().ratioOfMeans());
        num(o, "crg_abs", r.recourseGap().meanAbsolute());
        o.put("crg_pairs", r.recourseGap().bothFound());
        num(o, "direction_cosine", r.direction().cosine());
        num(o, "action_overlap", r.direction().actionOverlap());
        o.put("direction_pairs", r.direction().compared());
        num(o, "teacher_margin_median", r.margins().teacherMedian());
        num(o, "teacher_margin_p10", r.margins().teacherP10());
        num(o, "student_margin_median", r.margins().studentMedian());
        num(o, "certified_fraction", r.certificate().certifiedFraction());
        num(o, "certified_vd_upper_bound", r.certificate().vdUpperBound());
        num(o, "published_diagnostic_fraction_not_sound", r.diagnostic().fraction());
        ObjectNode c = o.putObject("certificate");
        c.put("sound", true);
        c.put("available", r.certificate().available());
        c.put("note", r.certificate().note());
        c.put("checked", r.certificate().checked());
        c.put("certified", r.certificate().certified());
        doubles(c.putArray("weight_radius"), r.certificate().weightRadius());
        doubles(c.putArray("bias_radius"), r.certificate().biasRadius());
        c.put("activations_quantized", r.certificate().activationsQuantized());
        num(c, "median_margin_lower_bound", r.certificate().medianBound());
        ObjectNode d = o.putObject("published_diagnostic");
        d.put("sound", false);
        d.put("definition", DIAGNOSTIC_DEFINITION);
        d.put("networks", r.diagnostic().networks());
        d.put("checked", r.diagnostic().checked());
        d.put("passed", r.diagnostic().passed());
        num(d, "fraction", r.diagnostic().fraction());
        num(d, "median_epsilon", r.diagnostic().medianEpsilon());
        ObjectNode g = o.putObject("recourse");
        g.put("generator", r.generator());
        g.put("settings", r.generatorSettings());
        g.put("margin", r.request().margin());
        g.put("threshold", r.request().threshold());
        g.put("cost", r.request().cost().name().toLowerCase(Locale.ROOT));
        g.put("sparsity", r.request().sparsity());
        g.put("seed", r.request().seed());
        o.put("teacher_recourse_seconds", r.teacherSeconds());
        o.put("student_recourse_seconds", r.studentSeconds());
        o.put("seconds", r.seconds());
    }

    public static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static void doubles(ArrayNode a, List<Double> v) {
        v.forEach(a::add);
    }
}
