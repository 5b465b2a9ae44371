package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.model.Scores;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.ModelSize;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.experiment.Teachers;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;

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
        Encoder enc = teacher.encoder();
        EncodedSplits split = EncodedSplits.of(enc, d);
        // the dataset's actionability and natural domain in force, not the model file's
        ActionSpace space = Teachers.actionSpace(Teachers.withSchema(enc, d.schema()), d);
        RecourseRequest request = RecourseRequest.defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity(d.name()))
                .withSeed(c.seed.seed);

        PrintWriter err = c.spec.commandLine().getErr();
        err.printf(Locale.ROOT, "cfq: quantizing %s with %s (seed %d)%n", c.model, config.summary(), c.seed.seed);
        err.flush();
        CfqResult r;
        try (Progress p = Progress.start(err, "cfq", config.optimiser().epochs(), "epoch")) {
            r = new CfqTrainer(config).train(teacher.model(), space, request, split, new SplittableRandom(c.seed.seed),
                    e -> p.stepTo(e.epoch(), "  " + e));
        }
        QuantizedMlp q = r.student();
        if (!r.withinBudget()) {
            err.printf(Locale.ROOT, "cfq: warning: %.3f average bits exceed the budget %s (published argmax widths); "
                    + "pass --project-budget to stay within it%n", r.averageBits(), c.bits);
            err.flush();
        }
        ModelSize size = q.size();
        double teacherAcc = Scores.accuracy(teacher.model(), split.testX(), split.testY());
        double testAcc = Scores.accuracy(q, split.testX(), split.testY());
        double agreement = Scores.agreement(teacher.model(), q, split.testX(), split.testY().length);

        Provenance prov = Provenance.of(c.seed.seed, "quantize " + config.summary(), DatasetFingerprint.of(d.train()),
                Provenance.now());
        QuantizedModelFile.write(c.out, new SavedQuantizedModel(q, enc, ID, c.bits,
                ModelFile.contentSha256(teacher), prov));

        ObjectNode root = JsonOutput.object();
        root.put("method", ID);
        root.put("dataset", d.name());
        root.put("budget_bits", c.bits);
        root.put("average_bits", q.averageBits());
        root.put("within_budget", r.withinBudget());
        ArrayNode bpl = root.putArray("bits_per_layer");
        for (int b : q.bitsPerLayer()) {
            bpl.add(b);
        }
        root.put("activation_bits", config.quantizers().pact() ? config.quantizers().activationBits() : 0);
        root.put("granularity", config.quantizers().granularity().name().toLowerCase(Locale.ROOT));
        QuantizeCommand.putSizeAndAccuracy(root, size, teacherAcc, testAcc, agreement);
        root.put("seconds", r.seconds());
        root.put("seconds_per_epoch", r.secondsPerEpoch());
        root.put("epochs_run", r.epochsRun());
        root.put("best_epoch", r.bestEpoch());
        root.put("teacher_search_seconds", r.teacherSearchSeconds());
        root.put("config", config.summary());
        root.put("seed", c.seed.seed);
        root.put("out", c.out.toString());
        root.put("teacher", c.model.toString());
        PrintWriter pw = c.spec.commandLine().getOut();
        if (c.common.json) {
            JsonOutput.print(pw, root);
        } else {
            pw.printf(Locale.ROOT, "cfq on %s: %s bits per layer (average %.3f, budget %s%s), %d bytes (float: %d)%n",
                    d.name(), root.get("bits_per_layer"), q.averageBits(), c.bits,
                    r.withinBudget() ? "" : ", over budget", size.totalBytes(), (size.floatBits() + 7) / 8);
            pw.printf(Locale.ROOT, "test accuracy %.4f (teacher %.4f), agreement with teacher %.4f, %.1fs "
                    + "(%.2fs per epoch)%n", testAcc, teacherAcc, agreement, r.seconds(), r.secondsPerEpoch());
            pw.printf("wrote %s%n", c.out);
            pw.flush();
        }
        return CliErrors.OK;
    }
}
