package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.files.FileChecks;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.train.EarlyStopping;
import org.cfq.train.EpochMetrics;
import org.cfq.train.MlpTrainer;
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

    @Mixin
    DatasetOptions data;

    @Mixin
    CommonOptions common;

    @Mixin
    SeedOption seedOption;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config = config();
        FileChecks.output(out, "--out", FileChecks.OutputKind.MODEL, common.force, data.files());
        Dataset d = data.load();
        Encoder encoder = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] xTrain = encoder.encode(d.train());
        float[] xVal = encoder.encode(d.validation());
        float[] xTest = encoder.encode(d.test());
        err.printf(Locale.ROOT, "training %s on %s: %d train, %d validation, %d test rows, %d model-space columns%n",
                config.isLogistic() ? "logistic regression" : "mlp " + config.hidden(), d.name(), d.train().rows(),
                d.validation().rows(), d.test().rows(), encoder.width());
        err.flush();

        try {
            config.checkSize(encoder.width());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--hidden " + config.hidden(), e.getMessage(),
                    "Give smaller widths, like --hidden 128,64", e);
        }
        TrainingResult r = new MlpTrainer(config).train(xTrain, d.train().labels(), xVal, d.validation().labels(),
                m -> progress(err, m));
        double testAccuracy = accuracy(r.model(), xTest, d.test());

        String fingerprint = DatasetFingerprint.of(d.train());
        Provenance provenance = Provenance.of(config.seed(), config.summary(), fingerprint, Provenance.now());
        ModelFile.write(out, new SavedModel(r.model(), encoder, config, provenance));

        if (common.json) {
            ObjectNode o = JsonOutput.object();
            o.put("dataset", d.name());
            o.put("model", model.name());
            var h = o.putArray("hidden");
            config.hidden().forEach(h::add);
            o.put("seed", config.seed());
            o.put("train_rows", d.train().rows());
            o.put("validation_rows", d.validation().rows());
            o.put("test_rows", d.test().rows());
            o.put("test_accuracy", testAccuracy);
            o.put("validation_accuracy", r.bestValidationAccuracy());
            o.put("validation_loss", r.bestValidationLoss());
            o.put("epochs", r.epochsRun());
            o.put("best_epoch", r.bestEpoch());
            o.put("stopping", stop.name());
            o.put("seconds", r.seconds());
            o.put("seconds_per_epoch", r.secondsPerEpoch());
            o.put("parameters", r.model().parameterCount());
            o.put("dataset_fingerprint", fingerprint);
            o.put("out", out.toString());
            o.set("provenance", ProvenanceJson.toJson(provenance));
            JsonOutput.print(spec.commandLine().getOut(), o);
        } else {
            PrintWriter pw = spec.commandLine().getOut();
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
            if (model == ModelKind.logistic) {
                throw new InvalidInputException("--hidden " + hidden, "logistic regression has no hidden layers",
                        "Drop --hidden, or use --model mlp");
            }
            for (int w : hidden) {
                if (w < 1 || w > TrainingConfig.MAX_WIDTH) {
                    throw new InvalidInputException("--hidden " + hidden, "every width must be an integer in [1, "
                            + TrainingConfig.MAX_WIDTH + "]", "Give widths like --hidden 128,64");
                }
            }
            try {
                c = c.withHidden(hidden);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--hidden " + hidden, e.getMessage(), "Give smaller widths, like "
                        + "--hidden 128,64", e);
            }
        }
        if (epochs != null) {
            if (epochs < 1) {
                throw new InvalidInputException("--epochs " + epochs, "needs at least one epoch", "Give --epochs 1 or more");
            }
            c = c.withMaxEpochs(epochs);
        }
        if (learningRate != null) {
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new InvalidInputException("--lr " + learningRate, "the learning rate must be in (0, 1]",
                        "Give a rate like --lr 0.001");
            }
            c = c.withLearningRate(learningRate);
        }
        if (weightDecay != null) {
            if (!(weightDecay >= 0 && weightDecay < 1)) {
                throw new InvalidInputException("--weight-decay " + weightDecay, "the decay must be in [0, 1)",
                        "Give a decay like --weight-decay 0.0001");
            }
            c = c.withWeightDecay(weightDecay);
        }
        if (batchSize != null) {
            if (batchSize < 1) {
                throw new InvalidInputException("--batch-size " + batchSize, "needs at least one row per batch",
                        "Give --batch-size 1 or more");
            }
            c = c.withBatchSize(batchSize);
        }
        if (patience != null) {
            if (patience < 1) {
                throw new InvalidInputException("--patience " + patience, "needs at least one epoch",
                        "Give --patience 1 or more");
            }
            c = c.withPatience(patience);
        }
        c = c.withStopping(stop == StopKind.accuracy ? EarlyStopping.VALIDATION_ACCURACY : EarlyStopping.VALIDATION_LOSS);
        return c.withSeed(seedOption.seed);
    }

    private static void progress(PrintWriter err, EpochMetrics m) {
        err.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f  val loss %.4f  val acc %.4f  %.2f s%s%n", m.epoch(),
                m.maxEpochs(), m.trainLoss(), m.validationLoss(), m.validationAccuracy(), m.seconds(),
                m.improved() ? "  *" : "");
        err.flush();
    }

    private static double accuracy(Mlp net, float[] x, Table t) {
        if (t.rows() == 0) {
            return Double.NaN;
        }
        int[] p = net.predict(x, t.rows());
        int ok = 0;
        for (int r = 0; r < p.length; r++) {
            ok += p[r] == t.label(r) ? 1 : 0;
        }
        return (double) ok / p.length;
    }
}
