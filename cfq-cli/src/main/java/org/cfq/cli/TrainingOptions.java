package org.cfq.cli;

import java.util.List;
import org.cfq.experiment.TeacherSettings;
import org.cfq.train.TrainingConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How {@code cfq train} trains a teacher: family, widths, AdamW, batches, stopping and seed; checked once. */
final class TrainingOptions {
    /** The model families {@code --model} accepts. */
    enum ModelKind { mlp, logistic }

    /** The stopping metrics {@code --stop} accepts. */
    enum StopKind { loss, accuracy }

    @Mixin SeedOption seedOption;
    @Option(names = "--model", defaultValue = "mlp", paramLabel = "mlp|logistic",
            description = "Model family (default: ${DEFAULT-VALUE}).")
    ModelKind model;

    @Option(names = "--hidden", split = ",", paramLabel = "W[,W...]",
            description = "Hidden layer widths for --model mlp (default: 128,64).")
    List<Integer> hidden;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default: 30).")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "AdamW learning rate (default: 0.001; 0.01 for --model logistic).")
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

    /** {@return the teacher's training settings} @throws org.cfq.InvalidInputException naming a bad option */
    TrainingConfig config() {
        return new TeacherSettings(model == ModelKind.logistic, hidden, epochs, learningRate, weightDecay, batchSize,
                patience, stop == StopKind.accuracy, seedOption.seed).config();
    }
}
