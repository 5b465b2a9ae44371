package org.cfq.cli;

import static org.cfq.InvalidInputException.require;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.train.EarlyStopping;
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

    /** {@return the teacher's training settings} @throws org.cfq.InvalidInputException naming a bad option */
    TrainingConfig config() {
        TrainingConfig c = model == ModelKind.logistic ? TrainingConfig.logistic() : TrainingConfig.defaults();
        if (hidden != null) {
            require(model != ModelKind.logistic, "--hidden " + hidden,
                    "logistic regression has no hidden layers", "Drop --hidden, or use --model mlp");
            require(hidden.stream().allMatch(w -> w >= 1 && w <= TrainingConfig.MAX_WIDTH),
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
            require(epochs >= 1, "--epochs " + epochs, "needs at least one epoch", "Give --epochs 1 or more");
            c = c.withMaxEpochs(epochs);
        }
        if (learningRate != null) {
            require(learningRate > 0 && learningRate <= 1, "--lr " + learningRate,
                    "the learning rate must be in (0, 1]", "Give a rate like --lr 0.001");
            c = c.withLearningRate(learningRate);
        }
        if (weightDecay != null) {
            require(weightDecay >= 0 && weightDecay < 1, "--weight-decay " + weightDecay,
                    "the decay must be in [0, 1)", "Give a decay like --weight-decay 0.0001");
            c = c.withWeightDecay(weightDecay);
        }
        if (batchSize != null) {
            require(batchSize >= 1, "--batch-size " + batchSize, "needs at least one row per batch",
                    "Give --batch-size 1 or more");
            c = c.withBatchSize(batchSize);
        }
        if (patience != null) {
            require(patience >= 1, "--patience " + patience, "needs at least one epoch",
                    "Give --patience 1 or more");
            c = c.withPatience(patience);
        }
        c = c.withStopping(stop == StopKind.accuracy ? EarlyStopping.VALIDATION_ACCURACY : EarlyStopping.VALIDATION_LOSS);
        return c.withSeed(seedOption.seed);
    }
}
