package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.io.json.Json;
import org.cfq.quant.ModelSize;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.QatConfig;

/**
 * The JSON object of one quantization of a teacher file ({@code cfq quantize}): the method, the
 * widths, the size by part against the float model's, accuracy, agreement and timing.
 */
public final class QuantizeJson {
    private QuantizeJson() {
    }

    /** {@return the quantization by a uniform or mixed method ({@link TeacherQuantization#method})} */
    public static ObjectNode method(TeacherQuantization.Result<QuantizationOutcome> r, QuantizeRequest request,
                                    String dataset, double bits, long seed, Path out, Path teacher) {
        QuantizationOutcome o = r.run();
        QuantizedMlp q = r.student();
        QatConfig t = request.training();
        ObjectNode root = head(request.method().id(), dataset, bits, q);
        root.set("bits_per_layer", Json.snakeCase(q.bitsPerLayer()));
        root.put("activation_bits", request.effectiveActivationBits())
                .put("granularity", request.granularity().name().toLowerCase(Locale.ROOT));
        putSizeAndAccuracy(root, q.size(), r.scores());
        root.put("seconds", o.seconds());
        if (!o.epochSeconds().isEmpty()) {
            root.put("seconds_per_epoch", o.secondsPerEpoch()).put("epochs_run", o.epochSeconds().size())
                    .put("best_epoch", o.bestEpoch()).put("distill", t.distillWeight())
                    .put("temperature", t.temperature()).put("selection", t.selection().id());
        }
        if (o.sensitivity() != null) {
            TeacherQuantization.putSensitivity(root.putObject("sensitivity"), o.sensitivity(),
                    Math.min(request.sensitivityRows(), r.splits().trainRows()));
        }
        return root.put("seed", seed).put("out", out.toString()).put("teacher", teacher.toString());
    }

    /** {@return the quantization by CFQ ({@link TeacherQuantization#cfq})} */
    public static ObjectNode cfq(TeacherQuantization.Result<CfqResult> res, CfqConfig config, String dataset,
                                 double bits, long seed, Path out, Path teacher) {
        CfqResult r = res.run();
        QuantizedMlp q = res.student();
        ObjectNode root = head("cfq", dataset, bits, q);
        root.put("within_budget", r.withinBudget()).set("bits_per_layer", Json.snakeCase(q.bitsPerLayer()));
        root.put("activation_bits", config.quantizers().pact() ? config.quantizers().activationBits() : 0)
                .put("granularity", config.quantizers().granularity().name().toLowerCase(Locale.ROOT));
        putSizeAndAccuracy(root, q.size(), res.scores());
        return root.put("seconds", r.seconds()).put("seconds_per_epoch", r.secondsPerEpoch())
                .put("epochs_run", r.epochsRun()).put("best_epoch", r.bestEpoch())
                .put("teacher_search_seconds", r.teacherSearchSeconds()).put("config", config.summary())
                .put("seed", seed).put("out", out.toString()).put("teacher", teacher.toString());
    }

    private static ObjectNode head(String method, String dataset, double bits, QuantizedMlp q) {
        return Json.mapper().createObjectNode().put("method", method).put("dataset", dataset)
                .put("budget_bits", bits).put("average_bits", q.averageBits());
    }

    private static void putSizeAndAccuracy(ObjectNode root, ModelSize size, TeacherQuantization.Scored s) {
        putSizeAndAccuracy(root, size, s.teacherAccuracy(), s.testAccuracy(), s.agreement());
    }

    /**
     * Puts a quantized model's size (all of it, and by part, against the float model's) and its
     * test accuracy and agreement beside the teacher's accuracy: the part every method writes.
     */
    public static void putSizeAndAccuracy(ObjectNode root, ModelSize size, double teacherAcc, double testAcc,
                                          double agreement) {
        root.put("model_bits", size.totalBits()).put("model_bytes", size.totalBytes())
                .put("weight_bits", size.weightBits()).put("scale_bits", size.scaleBits())
                .put("bias_bits", size.biasBits()).put("float_model_bits", size.floatBits())
                .put("teacher_accuracy", teacherAcc).put("test_accuracy", testAcc)
                .put("agreement_with_teacher", agreement);
    }
}
