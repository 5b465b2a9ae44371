package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.InvalidInputException;
import org.cfq.audit.Fidelity;
import org.cfq.audit.RecourseGap;
import org.cfq.audit.ValidityDrop;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqEpoch;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq cfq-quantize} (hidden): runs CFQ on a teacher (read from {@code --model}, or
 * trained here with the default teacher settings and {@code --seed}) and reports what a
 * quick check needs: accuracy, agreement and leniency against the teacher, and the validity
 * drop at the teacher's published-pgd counterfactuals for its unfavorable test rows.
 *
 * <p>The full audit and the model file belong to {@code cfq audit} and {@code cfq quantize
 * --method cfq}; this command is the CFQ engineer's measuring tool.
 */
@Command(name = "cfq-quantize", hidden = true, mixinStandardHelpOptions = true,
        description = "Quantize a teacher with CFQ and report accuracy, fidelity, leniency and validity drop.")
final class CfqQuantizeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Mixin
    SeedOption seed;

    @Mixin
    CfqOptions cfq;

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

    @Option(names = "--distill-temperature", paramLabel = "T", defaultValue = "2",
            description = "Distillation temperature (default ${DEFAULT-VALUE}).")
    double distillTemperature;

    @Option(names = "--activation-bits", paramLabel = "A", defaultValue = "8",
            description = "PACT activation bits (default ${DEFAULT-VALUE}).")
    int activationBits;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 20).")
    Integer epochs;

    @Option(names = "--compare", paramLabel = "METHODS", split = ",",
            description = "Also run these quantization methods (e.g. lsq,pact,mixed) on the same teacher with their "
                    + "defaults at the same budget (uniform methods: the largest width <= B) and report the same "
                    + "numbers for them.")
    List<String> compare = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CfqConfig config = config();
        QuantizeCommand.checkBits(bits);
        FileChecks.readable(model, "--model");
        FileChecks.output(saveTeacher, "--save-teacher", FileChecks.OutputKind.MODEL, common.force,
                QuantizeCommand.inputs(model, data));
        Dataset d = data.load();
        PrintWriter err = spec.commandLine().getErr();
        SavedModel saved = model == null ? null : ModelFile.read(model, d.schema());
        Encoder enc = saved != null ? saved.encoder() : Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = enc.encode(d.train());
        int[] y = d.train().labels();
        float[] xv = enc.encode(d.validation());
        int[] yv = d.validation().labels();
        boolean onValidation = "validation".equalsIgnoreCase(evalSplit);
        if (!onValidation && !"test".equalsIgnoreCase(evalSplit)) {
            throw new InvalidInputException("--eval " + evalSplit, "unknown split", "Use test or validation");
        }
        // Choosing CFQ options by their effect must look at validation rows, never at the test rows.
        float[] xt = enc.encode(onValidation ? d.validation() : d.test());
        int[] yt = onValidation ? yv : d.test().labels();
        Mlp teacher;
        if (saved == null) {
            TrainingConfig tc = TrainingConfig.defaults().withSeed(seed.seed);
            err.printf(Locale.ROOT, "cfq: training the teacher (%s)%n", tc.summary());
            err.flush();
            teacher = new MlpTrainer(tc).train(x, y, xv, yv).model();
            if (saveTeacher != null) {
                ModelFile.write(saveTeacher, new SavedModel(teacher, enc, tc, Provenance.of(seed.seed, tc.summary(),
                        DatasetFingerprint.of(d.train()), Provenance.now())));
            }
        } else {
            teacher = saved.model();
        }
        ActionSpace space = ActionSpace.of(enc, d.train());
        RecourseRequest request = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity(d.name())).withSeed(seed.seed);

        err.printf(Locale.ROOT, "cfq: %s on %s (seed %d)%n", config.summary(), d.name(), seed.seed);
        err.flush();
        CfqResult r = new CfqTrainer(config).train(teacher, space, request, x, y, xv, yv,
                new SplittableRandom(seed.seed), e -> {
                    err.println("  " + e);
                    err.flush();
                });
        QuantizedMlp s = r.student();
        if (!r.withinBudget()) {
            err.printf(Locale.ROOT, "cfq: warning: the student's %.3f average bits exceed the budget %s "
                    + "(published argmax widths); pass --project-budget to stay within it%n", r.averageBits(), bits);
        }

        int[] td = teacher.predict(xt, yt.length);
        float[] neg = rows(xt, td, enc.width());
        int k = neg.length / enc.width();
        // The same search gives the teacher's recourse and, in Scores, each student's own.
        PgdGenerator search = new PgdGenerator(space, PgdConfig.defaults());
        RecourseBatch tr = search.generate(teacher, neg, k, request);
        float[] cfs = tr.counterfactualsOrFactuals(neg);
        Scores sc = Scores.of(s, td, xt, yt, tr, cfs, neg, k, request, search);
        Fidelity fid = sc.fidelity;
        ValidityDrop vd = sc.vd;
        int[] sd = sc.decisions;
        ObjectNode root = JsonOutput.object();
        root.put("method", "cfq");
        root.put("dataset", d.name());
        root.put("seed", seed.seed);
        root.put("eval_split", onValidation ? "validation" : "test");
        root.put("budget_bits", bits);
        ArrayNode bpl = root.putArray("bits_per_layer");
        for (int b : r.bitsPerLayer()) {
            bpl.add(b);
        }
        root.put("average_bits", r.averageBits());
        root.put("within_budget", r.withinBudget());
        root.put("teacher_accuracy", accuracy(td, yt));
        root.put("test_accuracy", accuracy(sd, yt));
        root.put("agreement_with_teacher", fid.agreement());
        root.put("leniency", fid.leniency());
        root.put("factuals", k);
        root.put("teacher_feasible", tr.foundCount());
        root.put("vd", vd.value());
        root.put("vd_invalidated", vd.invalidated());
        root.put("crg_ratio_of_means", sc.gap.ratioOfMeans());
        root.put("crg", sc.gap.mean());
        root.put("epochs_run", r.epochsRun());
        root.put("best_epoch", r.bestEpoch());
        root.put("seconds_per_epoch", r.secondsPerEpoch());
        root.put("teacher_search_seconds", r.teacherSearchSeconds());
        root.put("seconds", r.seconds());
        root.put("config", config.summary());
        ArrayNode hist = root.putArray("history");
        for (CfqEpoch e : r.history()) {
            ObjectNode h = hist.addObject();
            h.put("epoch", e.epoch());
            h.put("temperature", e.temperature());
            h.put("loss", e.loss());
            h.put("expected_bits", e.expectedBits());
            h.put("average_bits", e.averageBits());
            h.put("counterfactual_rows", e.counterfactualRows());
            h.put("counterfactual_validity", e.counterfactualValidity());
            h.put("validation_accuracy", e.validationAccuracy());
            h.put("seconds", e.seconds());
        }
        ArrayNode baselines = root.putArray("baselines");
        for (String name : compare) {
            QuantMethod m = parseMethod(name);
            double b = m == QuantMethod.MIXED ? bits : Math.min(8, Math.floor(bits + 1e-9));
            err.printf(Locale.ROOT, "cfq: baseline %s at %s bits%n", m.id(), b);
            err.flush();
            QuantizationOutcome o = Quantization.run(teacher, QuantizeRequest.of(m, b), x, y, xv, yv,
                    new SplittableRandom(seed.seed), (e, n, loss, acc, secs) -> {
                        err.printf(Locale.ROOT, "  epoch %d/%d loss %.4f valAcc %.4f %.2fs%n", e, n, loss, acc, secs);
                        err.flush();
                    });
            Scores bs = Scores.of(o.model(), td, xt, yt, tr, cfs, neg, k, request, search);
            ObjectNode n = baselines.addObject();
            n.put("method", m.id());
            n.put("bits", b);
            ArrayNode bb = n.putArray("bits_per_layer");
            for (int v : o.model().bitsPerLayer()) {
                bb.add(v);
            }
            n.put("average_bits", o.model().averageBits());
            n.put("test_accuracy", accuracy(bs.decisions, yt));
            n.put("agreement_with_teacher", bs.fidelity.agreement());
            n.put("leniency", bs.fidelity.leniency());
            n.put("vd", bs.vd.value());
            n.put("vd_invalidated", bs.vd.invalidated());
            n.put("crg_ratio_of_means", bs.gap.ratioOfMeans());
            n.put("seconds_per_epoch", o.epochSeconds().isEmpty() ? Double.NaN : o.secondsPerEpoch());
            n.put("seconds", o.seconds());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (common.json) {
            JsonOutput.print(out, root);
        } else {
            out.printf(Locale.ROOT, "cfq on %s: bits %s (average %.3f, budget %s%s)%n", d.name(), root.get("bits_per_layer"),
                    r.averageBits(), bits, r.withinBudget() ? "" : ", OVER BUDGET");
            out.printf(Locale.ROOT, "test accuracy %.4f (teacher %.4f), agreement %.4f, leniency %.4f%n",
                    accuracy(sd, yt), accuracy(td, yt), fid.agreement(), fid.leniency());
            out.printf(Locale.ROOT, "validity drop %.4f (%d of %d teacher counterfactuals, %d factuals)%n", vd.value(),
                    vd.invalidated(), vd.teacherFound(), k);
            out.printf(Locale.ROOT, "%d epochs (best %d), %.2fs per epoch, %.1fs in all%n", r.epochsRun(),
                    r.bestEpoch(), r.secondsPerEpoch(), r.seconds());
            for (var n : baselines) {
                out.printf(Locale.ROOT, "%s at %s bits: test accuracy %.4f, agreement %.4f, leniency %.4f, "
                        + "validity drop %.4f%n", n.get("method").asText(), n.get("bits").asText(),
                        n.get("test_accuracy").asDouble(), n.get("agreement_with_teacher").asDouble(),
                        n.get("leniency").asDouble(), n.get("vd").asDouble());
            }
            out.flush();
        }
        return CliErrors.OK;
    }

    /**
     * A student's decisions, fidelity, validity drop at the teacher's counterfactuals, and the
     * recourse gap of its own pgd recourse from the same factuals.
     */
    private record Scores(int[] decisions, Fidelity fidelity, ValidityDrop vd, RecourseGap gap) {
        static Scores of(DifferentiableClassifier student, int[] teacherDecisions, float[] xt, int[] yt,
                         RecourseBatch tr, float[] cfs, float[] factuals, int k, RecourseRequest request,
                         PgdGenerator search) {
            int[] sd = student.predict(xt, yt.length);
            float[] sm = student.margins(cfs, k);
            RecourseBatch sr = search.generate(student, factuals, k, request);
            RecourseGap gap = RecourseGap.of(tr.foundMask(), tr.costs(), sr.foundMask(), sr.costs());
            return new Scores(sd, Fidelity.of(teacherDecisions, sd),
                    ValidityDrop.of(tr.foundMask(), sm, request.threshold()), gap);
        }

    }

    private static QuantMethod parseMethod(String name) {
        try {
            return QuantMethod.parse(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--compare " + name, "unknown method",
                    "Use ptq, qat, lsq, pact or mixed");
        }
    }

    private CfqConfig config() {
        try {
            CfqConfig c = CfqConfig.defaults(bits).withDistillation(distill, distillTemperature)
                    .withPact(true, activationBits);
            if (epochs != null) {
                c = c.withTraining(epochs, c.batchSize(), c.learningRate());
            }
            return cfq.apply(c);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("CFQ options", e.getMessage(), "Fix the option value named above");
        }
    }

    private static float[] rows(float[] x, int[] decisions, int width) {
        int k = 0;
        for (int v : decisions) {
            if (v == 0) {
                k++;
            }
        }
        float[] out = new float[k * width];
        int j = 0;
        for (int r = 0; r < decisions.length; r++) {
            if (decisions[r] == 0) {
                System.arraycopy(x, r * width, out, j * width, width);
                j++;
            }
        }
        return out;
    }

    private static double accuracy(int[] decisions, int[] y) {
        return org.cfq.model.Scores.accuracy(decisions, y);
    }
}
