package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cfq.data.Dataset;
import org.cfq.experiment.TeacherSettings;
import org.cfq.experiment.Teachers;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.report.CommandText;
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
        TeacherSettings.checkSize(config, d);
        Teachers.Trained t;
        try (Progress p = Progress.start(err, "training", config.maxEpochs(), "epoch")) {
            t = Teachers.train(d, config, config.summary(), m -> p.stepTo(m.epoch(), String.format(Locale.ROOT,
                    "epoch %2d/%d  train loss %.4f  val loss %.4f  val acc %.4f  %.2f s%s", m.epoch(), m.maxEpochs(),
                    m.trainLoss(), m.validationLoss(), m.validationAccuracy(), m.seconds(), m.improved() ? "  *" : "")));
        }
        t.degenerateWarning().ifPresent(err::println);
        ModelFile.write(out, t.saved());
        ObjectNode o = t.json(d, config, training.model.name(), training.stop.name(), out);
        JsonOutput.emit(spec.commandLine().getOut(), common.json, o, () -> CommandText.train(o));
        return CliErrors.OK;
    }
}
