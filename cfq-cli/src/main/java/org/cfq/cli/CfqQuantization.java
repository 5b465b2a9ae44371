package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.experiment.QuantizeJson;
import org.cfq.experiment.TeacherQuantization;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.report.QuantizeText;
import org.cfq.report.progress.Progress;

/**
 * {@code cfq quantize --method cfq}: CFQ on the teacher file, written as an ordinary quantized
 * model file (method "cfq"). The shared options of {@link QuantizeCommand} map onto
 * {@link CfqConfig}: {@code --bits} and {@code --candidates} are the budget,
 * {@code --activation-bits} the PACT width (0 = CFQ's default 8), {@code --granularity},
 * {@code --epochs}, {@code --learning-rate}, {@code --distill} and {@code --temperature} as
 * named; {@link CfqOptions} holds the rest. Without options it is the published method.
 */
final class CfqQuantization {
    static final String ID = "cfq";

    private CfqQuantization() {
    }

    static boolean isCfq(String method) {
        return method != null && ID.equalsIgnoreCase(method.trim());
    }

    static CfqConfig config(QuantizeCommand c) {
        try {
            CfqConfig base = CfqConfig.defaults().withBudget(new BitBudget(c.bits, c.tune.candidates))
                    .withGranularity(c.tune.parseGranularity());
            // Without --distill, CFQ keeps its own default (the published method: no distillation).
            CfqConfig cfg = base.withDistillation(c.tune.distill != null ? c.tune.distill : base.loss().distillWeight(), c.tune.temperature);
            if (c.tune.activationBits != 0) {
                cfg = cfg.withPact(true, c.tune.activationBits);
            }
            if (c.tune.epochs != null || c.tune.learningRate != null) {
                cfg = cfg.withTraining(c.tune.epochs != null ? c.tune.epochs : cfg.optimiser().epochs(), cfg.optimiser().batchSize(),
                        c.tune.learningRate != null ? c.tune.learningRate : cfg.optimiser().learningRate());
            }
            return c.cfq.apply(cfg);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method cfq --bits " + c.bits + " --candidates " + c.tune.candidates,
                    e.getMessage(), "Fix the option values");
        }
    }

    static int run(QuantizeCommand c) throws IOException {
        CfqConfig config = config(c);
        Dataset d = c.data.load();
        SavedModel teacher = ModelFile.read(c.model, d.schema());
        PrintWriter err = c.spec.commandLine().getErr();
        err.printf(Locale.ROOT, "cfq: quantizing %s with %s (seed %d)%n", c.model, config.summary(), c.seed.seed);
        err.flush();
        TeacherQuantization.Result<CfqResult> res;
        try (Progress p = Progress.start(err, "cfq", config.optimiser().epochs(), "epoch")) {
            res = TeacherQuantization.cfq(teacher, d, config, c.bits, c.seed.seed, e -> p.stepTo(e.epoch(), "  " + e));
        }
        CfqResult r = res.run();
        if (!r.withinBudget()) {
            err.printf(Locale.ROOT, "cfq: warning: %.3f average bits exceed the budget %s (published argmax widths); "
                    + "pass --project-budget to stay within it%n", r.averageBits(), c.bits);
            err.flush();
        }
        QuantizedModelFile.write(c.out, res.file());
        ObjectNode root = QuantizeJson.cfq(res, config, d.name(), c.bits, c.seed.seed, c.out, c.model);
        JsonOutput.emit(c.spec.commandLine().getOut(), c.common.json, root, () -> QuantizeText.cfq(root, c.bits));
        return CliErrors.OK;
    }
}
