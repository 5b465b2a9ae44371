package org.cfq.experiment;

import static org.cfq.InvalidInputException.require;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.train.EarlyStopping;
import org.cfq.train.TrainingConfig;

/**
 * How a user asks for a teacher ({@code cfq train}): the model family and the settings that
 * differ from {@link TrainingConfig#defaults()} (null: the default), checked with a message naming
 * the option, and turned into a {@link TrainingConfig}.
 *
 * @param logistic     logistic regression instead of an MLP
 * @param hidden       hidden widths of the MLP, or null
 * @param epochs       maximum epochs, or null
 * @param learningRate AdamW learning rate, or null
 * @param weightDecay  AdamW decoupled weight decay, or null
 * @param batchSize    rows per mini-batch, or null
 * @param patience     epochs without improvement before stopping, or null
 * @param stopOnAccuracy stop on validation accuracy instead of validation loss
 * @param seed         seed of the initial weights and the shuffles
 */
public record TeacherSettings(boolean logistic, List<Integer> hidden, Integer epochs, Double learningRate,
                              Double weightDecay, Integer batchSize, Integer patience, boolean stopOnAccuracy,
                              long seed) {
    /** {@return the teacher's training settings} @throws InvalidInputException naming a bad option */
    public TrainingConfig config() {
        TrainingConfig c = logistic ? TrainingConfig.logistic() : TrainingConfig.defaults();
        if (hidden != null) {
            require(!logistic, "--hidden " + hidden,
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
        c = c.withStopping(stopOnAccuracy ? EarlyStopping.VALIDATION_ACCURACY : EarlyStopping.VALIDATION_LOSS);
        return c.withSeed(seed);
    }

    /**
     * Checks that the network fits on the dataset's input width (known only once it is loaded),
     * before any allocation.
     *
     * @throws InvalidInputException naming {@code --hidden} when it has too many parameters
     */
    public static void checkSize(TrainingConfig config, Dataset d) {
        try {
            config.checkSize(Encoder.fit(d.train(), Scaling.STANDARD).width());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--hidden " + config.hidden(), e.getMessage(),
                    "Give smaller widths, like --hidden 128,64", e);
        }
    }
}
