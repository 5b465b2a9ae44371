package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.experiment.Teachers;
import org.cfq.io.files.FileChecks;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.model.ModelFile;
import org.cfq.model.Scores;
import org.cfq.report.progress.Progress;
import org.cfq.train.TrainingConfig;
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

    @Mixin DatasetOptions data;
    @Mixin CommonOptions common;
    @Mixin TrainingOptions training;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model file.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig config = training.config();
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
        var r = t.result();
        double testAccuracy = Scores.accuracy(r.model(), t.splits().testX(), t.splits().testY());
        ModelFile.write(out, t.saved());
        PrintWriter pw = spec.commandLine().getOut();
        if (common.json) {
            ObjectNode o = JsonOutput.object();
            o.put("dataset", d.name()).put("model", training.model.name());
            config.hidden().forEach(o.putArray("hidden")::add);
            o.put("seed", config.seed()).put("train_rows", d.train().rows()).put("validation_rows", d.validation().rows())
                    .put("test_rows", d.test().rows()).put("test_accuracy", testAccuracy)
                    .put("validation_accuracy", r.bestValidationAccuracy())
                    .put("validation_loss", r.bestValidationLoss()).put("epochs", r.epochsRun())
                    .put("best_epoch", r.bestEpoch()).put("stopping", training.stop.name()).put("seconds", r.seconds())
                    .put("seconds_per_epoch", r.secondsPerEpoch()).put("parameters", r.model().parameterCount())
                    .put("dataset_fingerprint", t.saved().provenance().datasetFingerprint()).put("out", out.toString())
                    .set("provenance", ProvenanceJson.toJson(t.saved().provenance()));
            JsonOutput.print(pw, o);
        } else {
            pw.printf(Locale.ROOT, "%s %s: test accuracy %.4f, validation accuracy %.4f (best epoch %d of %d)%n",
                    d.name(), training.model.name(), testAccuracy, r.bestValidationAccuracy(), r.bestEpoch(), r.epochsRun());
            pw.printf(Locale.ROOT, "%.2f s (%.3f s per epoch); model written to %s%n", r.seconds(),
                    r.secondsPerEpoch(), out);
            pw.flush();
        }
        return CliErrors.OK;
    }
}
