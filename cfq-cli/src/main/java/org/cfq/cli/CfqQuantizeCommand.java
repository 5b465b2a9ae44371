package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.experiment.CfqCheck;
import org.cfq.experiment.QuantizeSettings;
import org.cfq.experiment.Teachers;
import org.cfq.faithful.CfqConfig;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.report.CfqCheckText;
import org.cfq.quant.method.QuantMethod;
import org.cfq.recourse.RecourseRequest;
import org.cfq.report.progress.Progress;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq cfq-quantize} (hidden): the CFQ engineer's measuring tool, {@link CfqCheck} on a
 * teacher file (or one trained here with {@code --seed}); the audit belongs to {@code cfq audit}.
 */
@Command(name = "cfq-quantize", hidden = true, mixinStandardHelpOptions = true,
        description = "Quantize a teacher with CFQ and report accuracy, fidelity, leniency and validity drop.")
final class CfqQuantizeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin DatasetOptions data;
    @Mixin SeedOption seed;
    @Mixin CfqOptions cfq;

    @Option(names = "--model", paramLabel = "TEACHER",
            description = "Teacher model file; without it a teacher is trained with the default settings and --seed.")
    Path model;

    @Option(names = "--save-teacher", paramLabel = "FILE",
            description = "Write the teacher trained here (no --model) to this model file, for later runs.")
    Path saveTeacher;

    @Option(names = "--eval", paramLabel = "test|validation", defaultValue = "test",
            description = "Rows the measures are taken on (default ${DEFAULT-VALUE}; use validation to choose options).")
    String evalSplit = "test";

    @Option(names = "--bits", required = true, paramLabel = "B", description = "Average weight-bits budget (>= 2).")
    double bits;

    @Option(names = "--distill", paramLabel = "W", defaultValue = "0",
            description = "Weight of distillation to the teacher at the data rows (default ${DEFAULT-VALUE}: off).")
    double distill;

    @Option(names = "--distill-temperature", paramLabel = "T", defaultValue = "2", description = "Default 2.")
    double distillTemperature;

    @Option(names = "--activation-bits", paramLabel = "A", defaultValue = "8", description = "PACT bits (8).")
    int activationBits;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 20).")
    Integer epochs;

    @Option(names = "--compare", paramLabel = "METHODS", split = ",",
            description = "Also run these methods (e.g. lsq,pact,mixed) with their defaults at the same budget "
                    + "(uniform methods: the largest width <= B).")
    List<String> compare = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CfqConfig config = cfq.settings().check(bits, distill, distillTemperature, activationBits, epochs);
        QuantizeSettings.checkBits(bits);
        FileChecks.readable(model, "--model");
        FileChecks.output(saveTeacher, "--save-teacher", FileChecks.OutputKind.MODEL, common.force,
                data.files(model));
        List<QuantMethod> baselines = compare.stream().map(m -> InvalidInputException.parse("--compare", m,
                QuantMethod::parse, "unknown method", "Use ptq, qat, lsq, pact or mixed")).toList();
        boolean onValidation = CfqCheck.onValidation(evalSplit);
        Dataset d = data.load();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig tc = TrainingConfig.defaults().withSeed(seed.seed);
        // Training is seeded, so a teacher saved by an earlier run with this seed is the one trained now.
        var saved = model != null ? ModelFile.read(model, d.schema()) : Teachers.cached(saveTeacher, d, tc,
                tc.summary(), m -> { }, line -> err.println("cfq: teacher (" + tc.summary() + "): " + line));
        EncodedSplits split = EncodedSplits.of(saved.encoder(), d);
        RecourseRequest request = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn()
                .publishedSparsity(d.name())).withSeed(seed.seed);
        err.printf(Locale.ROOT, "cfq: %s on %s (seed %d)%n", config.summary(), d.name(), seed.seed);
        err.flush();
        CfqCheck.Report rep;
        try (Progress p = Progress.start(err, "cfq", config.optimiser().epochs(), "epoch")) {
            rep = CfqCheck.run(saved.model(), Teachers.actionSpace(Teachers.withSchema(saved.encoder(), d.schema()), d),
                    request, split, onValidation, config, bits, baselines, seed.seed, e -> p.step("  " + e), (e, n, loss, acc, secs) -> p.note(
                            String.format(Locale.ROOT, "  epoch %d/%d loss %.4f valAcc %.4f %.2fs", e, n, loss, acc,
                                    secs)), line -> p.note("cfq: " + line));
        }
        var r = rep.cfq();
        if (!r.withinBudget()) {
            err.printf(Locale.ROOT, "cfq: warning: the student's %.3f average bits exceed the budget %s "
                    + "(published argmax widths); pass --project-budget to stay within it%n", r.averageBits(), bits);
        }
        ObjectNode root = rep.json(d.name(), seed.seed, onValidation, bits, config);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, root, () -> CfqCheckText.render(rep, d.name(), bits));
        return CliErrors.OK;
    }
}
