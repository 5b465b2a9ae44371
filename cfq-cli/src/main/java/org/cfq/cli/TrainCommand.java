package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.experiment.Teachers;
import org.cfq.io.files.FileChecks;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.model.ModelFile;
import org.cfq.model.Scores;
import org.cfq.train.EarlyStopping;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq train}: fits a teacher on a dataset's training split (early stopping on its
 * validation split), scores the test split and saves a model file.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a teacher model (MLP or logistic regression) and save it.")
public final class TrainCommand implements Callable<Integer> {

    /** The model families {@code --model} accepts. */
    enum ModelKind { mlp, logistic }

    /** The stopping metrics {@code --stop} accepts. */
    enum StopKind { loss, accuracy }

    @Mixin DatasetOptions data;
    @Mixin CommonOptions common;
    @Mixin SeedOption seedOption;
    @Option(names = "--model", defaultValue = "mlp", paramLabel = "mlp|logistic",
            description = "Model family (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = "--hidden", split = ",", paramLabel = "W[,W...]",
            description = "Hidden layer widths for --model mlp (default: 128,64).")
    List<Integer> hidden;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default: 30).")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "AdamW learning rate (default: 0.001).")
    Double learningRate;

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW decoupled weight decay (default: 1e-4).")
    Double weightDecay;

    @Option(names = "--batch-size", paramLabel = "N", description = "Rows per mini-batch (default: 256).")
    Integer batchSize;

    @Option(names = "--patience", paramLabel = "N",
            description = "Epochs without validation improvement before stopping (default: 8).")
    Integer patience;

    @Option(names = "--stop", defaultValue = "loss", paramLabel = "loss|accuracy",
            description = "Validation metric for early stopping and picking the best epoch (default: ${DEFAULT-VALUE}).")
    StopKind stop;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model file.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config = config();
        FileChecks.output(out, "--out", FileChecks.OutputKind.MODEL, common.force, data.files());
        Dataset d = data.load();
        err.printf(Locale.ROOT, "training %s on %s: %d train, %d validation, %d test rows%n",
                config.isLogistic() ? "logistic regression" : "mlp " + config.hidden(), d.name(), d.train().rows(),
                d.validation().rows(), d.test().rows());
        err.flush();
        try {
            // The input width is known only now; check the size before any allocation.
            config.checkSize(org.cfq.data.encode.Encoder.fit(d.train(), org.cfq.data.encode.Scaling.STANDARD).width());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--hidden " + config.hidden(), e.getMessage(),
                    "Give smaller widths, like --hidden 128,64", e);
        }
        Teachers.Trained t;
        try (Progress p = Progress.start(err, "training", config.maxEpochs(), "epoch")) {
            t = Teachers.train(d, config, config.summary(), m -> p.stepTo(m.epoch(), String.format(Locale.ROOT,
                    "epoch %2d/%d  train loss %.4f  val loss %.4f  val acc %.4f  %.2f s%s", m.epoch(), m.maxEpochs(),
                    m.trainLoss(), m.validationLoss(), m.validationAccuracy(), m.seconds(), m.improved() ? "  *" : "")));
        }
        TrainingResult r = t.result();
        double testAccuracy = Scores.accuracy(r.model(), t.splits().testX(), t.splits().testY());
        ModelFile.write(out, t.saved());
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            ObjectNode o = JsonOutput.object();
            o.put("dataset", d.name()).put("model", model.name());
            config.hidden().forEach(o.putArray("hidden")::add);
            o.put("seed", config.seed()).put("train_rows", d.train().rows()).put("validation_rows", d.validation().rows())
                    .put("test_rows", d.test().rows()).put("test_accuracy", testAccuracy)
                    .put("validation_accuracy", r.bestValidationAccuracy())
                    .put("validation_loss", r.bestValidationLoss()).put("epochs", r.epochsRun())
                    .put("best_epoch", r.bestEpoch()).put("stopping", stop.name()).put("seconds", r.seconds())
                    .put("seconds_per_epoch", r.secondsPerEpoch()).put("parameters", r.model().parameterCount())
                    .put("dataset_fingerprint", t.saved().provenance().datasetFingerprint()).put("out", out.toString())
                    .set("provenance", ProvenanceJson.toJson(t.saved().provenance()));
            JsonOutput.print(pw, o);
        } else {
            pw.printf(Locale.ROOT, "%s %s: test accuracy %.4f, validation accuracy %.4f (best epoch %d of %d)%n",
                    d.name(), model.name(), testAccuracy, r.bestValidationAccuracy(), r.bestEpoch(), r.epochsRun());
            pw.printf(Locale.ROOT, "%.2f s (%.3f s per epoch); model written to %s%n", r.seconds(),
                    r.secondsPerEpoch(), out);
            pw.flush();
        }
        return CliErrors.OK;
    }

    private TrainingConfig config() {
        TrainingConfig c = model == ModelKind.logistic ? TrainingConfig.logistic() : TrainingConfig.defaults();
        if (hidden != null) {
            CliErrors.require(model != ModelKind.logistic, "--hidden " + hidden,
                    "logistic regression has no hidden layers", "Drop --hidden, or use --model mlp");
            CliErrors.require(hidden.stream().allMatch(w -> w >= 1 && w <= TrainingConfig.MAX_WIDTH),
                    "--hidden " + hidden, "every width must be an integer in [1, " + TrainingConfig.MAX_WIDTH + "]",
                    "Give widths like --hidden 128,64");
            try {
                c = c.withHidden(hidden);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--hidden " + hidden, e.getMessage(), "Give smaller widths, like "
                        + "--hidden 128,64", e);
            }
        }
        if (epochs != null) {
            CliErrors.require(epochs >= 1, "--epochs " + epochs, "needs at least one epoch", "Give --epochs 1 or more");
            c = c.withMaxEpochs(epochs);
        }
        if (learningRate != null) {
            CliErrors.require(learningRate > 0 && learningRate <= 1, "--lr " + learningRate,
                    "the learning rate must be in (0, 1]", "Give a rate like --lr 0.001");
            c = c.withLearningRate(learningRate);
        }
        if (weightDecay != null) {
            CliErrors.require(weightDecay >= 0 && weightDecay < 1, "--weight-decay " + weightDecay,
                    "the decay must be in [0, 1)", "Give a decay like --weight-decay 0.0001");
            c = c.withWeightDecay(weightDecay);
        }
        if (batchSize != null) {
            CliErrors.require(batchSize >= 1, "--batch-size " + batchSize, "needs at least one row per batch",
                    "Give --batch-size 1 or more");
            c = c.withBatchSize(batchSize);
        }
        if (patience != null) {
            CliErrors.require(patience >= 1, "--patience " + patience, "needs at least one epoch",
                    "Give --patience 1 or more");
            c = c.withPatience(patience);
        }
        c = c.withStopping(stop == StopKind.accuracy ? EarlyStopping.VALIDATION_ACCURACY : EarlyStopping.VALIDATION_LOSS);
        return c.withSeed(seedOption.seed);
    }
}
