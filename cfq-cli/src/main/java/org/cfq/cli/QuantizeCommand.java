package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.cfq.model.Scores;
import org.cfq.io.files.Digests;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.model.Classifier;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.Granularity;
import org.cfq.quant.ModelSize;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.ModelSelection;
import org.cfq.quant.qat.QatConfig;
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
    @Mixin
    CommonOptions common;

    @Mixin
    DatasetOptions data;

    @Mixin
    SeedOption seed;

    @Mixin
    CfqOptions cfq;

    @Option(names = "--model", required = true, paramLabel = "TEACHER", description = "The teacher model file (from 'cfq train').")
    Path model;

    @Option(names = "--method", required = true, paramLabel = "ptq|qat|lsq|pact|mixed|cfq",
            description = "Quantization method (cfq: counterfactual-faithful, mixed precision under the budget).")
    String method;

    @Option(names = "--bits", required = true, paramLabel = "B",
            description = "Weight bits: a whole width in [2, 8] for the uniform methods; the average-bits budget "
                    + "(>= 2, may be fractional) for mixed.")
    double bits;

    @Option(names = "--activation-bits", paramLabel = "A", defaultValue = "0",
            description = "Bits of the hidden activations (unsigned); 0 keeps them in float (pact: default B).")
    int activationBits;

    @Option(names = "--granularity", paramLabel = "tensor|channel", defaultValue = "tensor",
            description = "One weight scale per tensor (default) or per output channel.")
    String granularity;

    @Option(names = "--candidates", paramLabel = "LIST", split = ",", defaultValue = "2,3,4,8",
            description = "Widths mixed precision chooses from (default ${DEFAULT-VALUE}).")
    List<Integer> candidates;

    @Option(names = "--sensitivity", paramLabel = "loss|hutchinson", defaultValue = "loss",
            description = "How mixed precision scores each layer at each width: measured loss increase (default) "
                    + "or Hutchinson Hessian-trace estimate.")
    String sensitivity;

    @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs (default "
            + "8, cfq 20; ignored by ptq).")
    Integer epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "AdamW step for fine-tuning (default 5e-4, cfq 1e-3).")
    Double learningRate;

    @Option(names = "--distill", paramLabel = "W",
            description = "Weight in [0, 1] of distillation from the teacher; the task loss gets 1 - W (default 1 "
                    + "for lsq, pact, mixed: distillation only; qat and cfq: 0).")
    Double distill;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "2",
            description = "Distillation temperature (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--selection", paramLabel = "fidelity|accuracy",
            description = "Which fine-tuning epoch to keep, on the validation rows (epoch 0, the starting "
                    + "quantization, included): fidelity = lowest distillation loss to the teacher (default for "
                    + "lsq, pact, mixed), accuracy = highest accuracy (default for qat).")
    String selection;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the quantized model.")
    Path out;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkBits(bits);
        FileChecks.readable(model, "--model");
        FileChecks.output(out, "--out", FileChecks.OutputKind.QUANTIZED_MODEL, common.force, inputs(model, data));
        if (CfqQuantization.isCfq(method)) {
            return CfqQuantization.run(this);
        }
        QuantMethod m = parseMethod();
        Granularity g = parseGranularity();
        QatConfig training = QuantizeRequest.defaultTraining(m);
        if (epochs != null) {
            if (epochs < 1) {
                throw new InvalidInputException("--epochs " + epochs, "it must be at least 1", "Pass --epochs 1 or more");
            }
            training = training.withEpochs(epochs);
        }
        if (learningRate != null) {
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new InvalidInputException("--learning-rate " + learningRate, "it must be in (0, 1]",
                        "Pass a value such as 5e-4");
            }
            training = training.withLearningRate(learningRate);
        }
        double w = distill != null ? distill : training.distillWeight();
        if (!(w >= 0 && w <= 1) || !(temperature > 0 && temperature < 1e6)) {
            throw new InvalidInputException("--distill " + w + " --temperature " + temperature,
                    "distill must be in [0, 1] and temperature > 0", "Pass e.g. --distill 0.5 --temperature 2");
        }
        training = training.withDistillation(w, temperature);
        if (selection != null) {
            training = training.withSelection(parseSelection());
        }
        QuantizeRequest request;
        try {
            request = QuantizeRequest.of(m, bits).withActivationBits(activationBits).withGranularity(g)
                    .withTraining(training);
            request = request.withCandidates(candidates).withSensitivity(parseSensitivity());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method " + m.id() + " --bits " + bits + " --activation-bits "
                    + activationBits + " --candidates " + candidates, e.getMessage(), "Fix the option values");
        }

        Dataset d = data.load();
        SavedModel teacher = ModelFile.read(model, d.schema());
        var enc = teacher.encoder();
        EncodedSplits split = EncodedSplits.of(enc, d);

        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "cfq: quantizing %s with %s at %s bits (seed %d)%n", model, m.id(), fmt(bits),
                seed.seed);
        err.flush();
        QuantizationOutcome o = Quantization.run(teacher.model(), request, split.trainX(), split.trainY(), split.validationX(), split.validationY(),
                new SplittableRandom(seed.seed), (e, n, loss, acc, s) -> {
                    err.printf(Locale.ROOT, "  epoch %d/%d  loss %.4f  validation accuracy %.4f  %.2fs%n",
                            e, n, loss, acc, s);
                    err.flush();
                });
        QuantizedMlp q = o.model();
        ModelSize size = q.size();
        double teacherAcc = accuracy(teacher.model(), split.testX(), split.testY());
        double testAcc = accuracy(q, split.testX(), split.testY());
        double agreement = Scores.agreement(teacher.model(), q, split.testX(), split.testY().length);

        String config = "quantize method=" + m.id() + " bits=" + fmt(bits) + " activation_bits="
                + request.effectiveActivationBits() + " granularity=" + g.name().toLowerCase(Locale.ROOT)
                + (m == QuantMethod.PTQ ? "" : " epochs=" + request.training().epochs() + " lr="
                + request.training().learningRate() + " distill=" + request.training().distillWeight()
                + " temperature=" + request.training().temperature() + " selection="
                + request.training().selection().id())
                + (m == QuantMethod.MIXED ? " candidates=" + candidates : "");
        Provenance prov = Provenance.of(seed.seed, config, DatasetFingerprint.of(d.train()), Provenance.now());
        SavedQuantizedModel saved = new SavedQuantizedModel(q, enc, m.id(), bits, ModelFile.contentSha256(teacher), prov);
        QuantizedModelFile.write(out, saved);

        ObjectNode root = JsonOutput.object();
        root.put("method", m.id());
        root.put("dataset", d.name());
        root.put("budget_bits", bits);
        root.put("average_bits", q.averageBits());
        ArrayNode bpl = root.putArray("bits_per_layer");
        for (int b : q.bitsPerLayer()) {
            bpl.add(b);
        }
        root.put("activation_bits", request.effectiveActivationBits());
        root.put("granularity", g.name().toLowerCase(Locale.ROOT));
        putSizeAndAccuracy(root, size, teacherAcc, testAcc, agreement);
        root.put("seconds", o.seconds());
        if (!o.epochSeconds().isEmpty()) {
            root.put("seconds_per_epoch", o.secondsPerEpoch());
            root.put("epochs_run", o.epochSeconds().size());
            root.put("best_epoch", o.bestEpoch());
            root.put("distill", request.training().distillWeight());
            root.put("temperature", request.training().temperature());
            root.put("selection", request.training().selection().id());
        }
        if (o.sensitivity() != null) {
            ObjectNode s = root.putObject("sensitivity");
            s.put("method", o.sensitivity().method());
            s.put("rows", Math.min(request.sensitivityRows(), split.trainY().length));
            ArrayNode c = s.putArray("candidates");
            for (int b : o.sensitivity().candidates()) {
                c.add(b);
            }
            ArrayNode rows = s.putArray("scores");
            for (int l = 0; l < o.sensitivity().layers(); l++) {
                ArrayNode r = rows.addArray();
                for (int k = 0; k < o.sensitivity().candidates().length; k++) {
                    r.add(o.sensitivity().score(l, k));
                }
            }
        }
        root.put("seed", seed.seed);
        root.put("out", out.toString());
        root.put("teacher", model.toString());
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            JsonOutput.print(pw, root);
        } else {
            pw.printf(Locale.ROOT, "%s on %s: %s bits per layer (average %.3f), %d bytes (float: %d)%n", m.id(),
                    d.name(), root.get("bits_per_layer"), q.averageBits(), size.totalBytes(), (size.floatBits() + 7) / 8);
            pw.printf(Locale.ROOT, "test accuracy %.4f (teacher %.4f), agreement with teacher %.4f, %.1fs%n",
                    testAcc, teacherAcc, agreement, o.seconds());
            pw.printf("wrote %s%n", out);
            pw.flush();
        }
        return CliErrors.OK;
    }

    private QuantMethod parseMethod() {
        try {
            return QuantMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--method " + method, "unknown method",
                    "Use one of ptq, qat, lsq, pact, mixed, cfq");
        }
    }

    private ModelSelection parseSelection() {
        try {
            return ModelSelection.parse(selection);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--selection " + selection, "unknown selection rule",
                    "Use fidelity or accuracy");
        }
    }

    private SensitivityMethod parseSensitivity() {
        for (SensitivityMethod s : SensitivityMethod.values()) {
            if (s.name().equalsIgnoreCase(sensitivity)) {
                return s;
            }
        }
        throw new InvalidInputException("--sensitivity " + sensitivity, "unknown sensitivity estimate",
                "Use loss or hutchinson");
    }

    Granularity parseGranularity() {
        switch (granularity.toLowerCase(Locale.ROOT)) {
            case "tensor":
                return Granularity.TENSOR;
            case "channel":
                return Granularity.CHANNEL;
            default:
                throw new InvalidInputException("--granularity " + granularity, "unknown granularity",
                        "Use tensor or channel");
        }
    }

    /**
     * Puts a quantized model's size (all of it, and by part, against the float model's) and its
     * test accuracy and agreement beside the teacher's accuracy: the part of the output
     * {@code cfq quantize} writes for every method.
     */
    static void putSizeAndAccuracy(ObjectNode root, ModelSize size, double teacherAcc, double testAcc,
                                   double agreement) {
        root.put("model_bits", size.totalBits());
        root.put("model_bytes", size.totalBytes());
        root.put("weight_bits", size.weightBits());
        root.put("scale_bits", size.scaleBits());
        root.put("bias_bits", size.biasBits());
        root.put("float_model_bits", size.floatBits());
        root.put("teacher_accuracy", teacherAcc);
        root.put("test_accuracy", testAcc);
        root.put("agreement_with_teacher", agreement);
    }

    static double accuracy(Classifier c, float[] x, int[] y) {
        return Scores.accuracy(c, x, y);
    }

    private static String fmt(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }

    /**
     * Checks {@code --bits} before any work: every method writes a budget in [2, 8].
     *
     * @throws InvalidInputException naming the option
     */
    static void checkBits(double bits) {
        if (!(bits >= org.cfq.quant.QuantSpec.MIN_BITS && bits <= org.cfq.quant.QuantSpec.MAX_BITS)) {
            throw new InvalidInputException("--bits " + fmt(bits), "weight bits must be in [2, 8] (a whole width for "
                    + "ptq, qat, lsq and pact; an average budget for mixed and cfq)", "Pass e.g. --bits 4");
        }
    }

    /** {@return the input files of a command that reads a teacher and a dataset} */
    static Path[] inputs(Path teacher, DatasetOptions data) {
        Path[] d = data.files();
        Path[] all = java.util.Arrays.copyOf(d, d.length + 1);
        all[d.length] = teacher;
        return all;
    }
}
