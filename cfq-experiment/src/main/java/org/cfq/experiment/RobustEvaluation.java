package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.audit.RobustRecourse;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.StepPerturbation;
import org.cfq.recourse.robust.VariantEnsemble;

/**
 * The {@code robust} evaluation: the paper's robust recourse over quantization variants
 * ({@link RobustRecourse}, published settings: 5 variants, sigma 0.03 on the raw step, worst
 * cross-entropy) for the cell's student, on its rejected test rows (at most the audit's factual
 * limit), with the cell's generator and request.
 */
final class RobustEvaluation {
    static final String TABLE = "Robust recourse over quantization variants";

    private RobustEvaluation() {
    }

    static void put(ObjectNode row, ObjectNode metrics, Evaluations.Input in) {
        ObjectNode o = row.putObject("robust");
        if (!(in.student() instanceof QuantizedMlp q)) {
            o.put("available", false);
            o.put("reason", "the student is not a fake-quantized model, so it has no step sizes to perturb");
            return;
        }
        TeacherContext c = in.context();
        RobustRecourse.Report r = RobustRecourse.evaluate(q, c.splits().testX(), c.splits().testY().length,
                in.audit().maxFactuals(), in.generator(), in.teacherRecourse().request(),
                StepPerturbation.PUBLISHED_VARIANTS, StepPerturbation.PUBLISHED_SIGMA,
                VariantEnsemble.Aggregate.WORST, in.rng().split());
        o.put("available", true);
        o.put("variants", r.variants());
        o.put("sigma", r.sigma());
        o.put("aggregate", r.aggregate().name().toLowerCase(java.util.Locale.ROOT));
        o.put("factuals", r.factuals());
        side(o.putObject("standard"), metrics, "standard recourse", r.standard(), r, false);
        side(o.putObject("robust"), metrics, "robust recourse", r.robust(), r, true);
    }

    private static void side(ObjectNode o, ObjectNode metrics, String line, RobustRecourse.Scored s,
                             RobustRecourse.Report r, boolean robust) {
        o.put("found", s.found());
        o.put("nominal_valid", s.nominalValid());
        o.put("robust_valid", s.robustValid());
        AuditJson.num(o, "nominal_success", r.nominalSuccess(robust));
        AuditJson.num(o, "robust_success", r.robustSuccess(robust));
        AuditJson.num(o, "mean_cost", s.meanCost());
        ObjectNode l = Evaluations.line(metrics, TABLE, line);
        AuditJson.num(l, "nominal success %", 100 * r.nominalSuccess(robust));
        AuditJson.num(l, "robust success %", 100 * r.robustSuccess(robust));
        AuditJson.num(l, "mean cost", s.meanCost());
    }
}
