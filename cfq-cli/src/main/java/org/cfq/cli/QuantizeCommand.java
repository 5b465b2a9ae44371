package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.data.Dataset;
import org.cfq.experiment.QuantizeJson;
import org.cfq.experiment.QuantizeSettings;
import org.cfq.experiment.TeacherQuantization;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.model.Classifier;
import org.cfq.model.Scores;
import org.cfq.quant.ModelSize;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.report.QuantizeText;
import org.cfq.report.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq quantize}: quantizes a float teacher with one method and writes the quantized
 * model file; reports accuracy, agreement with the teacher and the size.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a trained teacher (ptq, qat, lsq, pact, mixed precision under an average-bits "
                + "budget, or cfq: counterfactual-faithful mixed precision) and write the quantized model file.")
final class QuantizeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DatasetOptions data;
    @Mixin SeedOption seed;
    @Mixin CfqOptions cfq;
    @Mixin FineTuneOptions tune;

    @Option(names = "--model", required = true, paramLabel = "TEACHER", description = "The teacher model file (from 'cfq train').")
    Path model;

    @Option(names = "--method", required = true, paramLabel = "ptq|qat|lsq|pact|mixed|cfq",
            description = "Quantization method (cfq: counterfactual-faithful, mixed precision under the budget).")
    String method;

    @Option(names = "--bits", required = true, paramLabel = "B", description = "Weight bits: a whole width in "
            + "[2, 8] for the uniform methods; the average-bits budget (>= 2, may be fractional) for mixed.")
    double bits;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the quantized model.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        QuantizeSettings.checkBits(bits);
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.QUANTIZED_MODEL, common.force, data.files(model));
        if (QuantizeSettings.isCfq(method)) {
            return CfqQuantization.run(this);
        }
        QuantizeRequest request = tune.settings().request(method, bits);
        QuantMethod m = request.method();
        Dataset d = data.load();
        var teacher = ModelFile.read(model, d.schema());
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "cfq: quantizing %s with %s at %s bits (seed %d)%n", model, m.id(),
                TeacherQuantization.bits(bits), seed.seed);
        err.flush();
        TeacherQuantization.Result<QuantizationOutcome> r;
        try (Progress p = Progress.start(err, "quantize", m == QuantMethod.PTQ ? 0 : request.training().epochs(),
                "epoch")) {
            r = TeacherQuantization.method(teacher, d, request, bits, seed.seed, (e, n, loss, acc, s) -> p.stepTo(e,
                    String.format(Locale.ROOT, "  epoch %d/%d  loss %.4f  validation accuracy %.4f  %.2fs", e, n,
                            loss, acc, s)));
        }
        QuantizedModelFile.write(out, r.file());
        ObjectNode root = QuantizeJson.method(r, request, d.name(), bits, seed.seed, out, model);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> QuantizeText.method(root));
        return CliErrors.OK;
    }

    /**
     * Puts a quantized model's size and its test accuracy and agreement beside the teacher's
     * accuracy, by {@link QuantizeJson#putSizeAndAccuracy}.
     */
    static void putSizeAndAccuracy(ObjectNode root, ModelSize size, double teacherAcc, double testAcc,
                                   double agreement) {
        QuantizeJson.putSizeAndAccuracy(root, size, teacherAcc, testAcc, agreement);
    }

    /** {@return the classifier's accuracy, by {@link Scores}} */
    static double accuracy(Classifier c, float[] x, int[] y) {
        return Scores.accuracy(c, x, y);
    }
}
