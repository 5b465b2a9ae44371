package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.cfq.data.Dataset;
import org.cfq.experiment.QuantizeJson;
import org.cfq.experiment.TeacherQuantization;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.report.QuantizeText;
import org.cfq.report.progress.Progress;

/**
 * {@code cfq quantize --method cfq}: CFQ on the teacher file, written as an ordinary quantized
 * model file (method "cfq"). The shared options of {@link QuantizeCommand} map onto CFQ's
 * config by {@link org.cfq.experiment.QuantizeSettings#cfq}; {@link CfqOptions} holds the rest.
 * Without options it is the published method.
 */
final class CfqQuantization {
    private CfqQuantization() {
    }

    static int run(QuantizeCommand c) throws IOException {
        CfqConfig config = c.tune.settings().cfq(c.bits, c.cfq.settings());
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
