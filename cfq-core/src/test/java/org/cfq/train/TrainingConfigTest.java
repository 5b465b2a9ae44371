package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    @Test
    void defaults_always_givesPublishedTeacherSettings() {
        TrainingConfig c = TrainingConfig.defaults();
        assertThat(c.hidden()).containsExactly(128, 64);
        assertThat(c.learningRate()).isEqualTo(1e-3);
        assertThat(c.weightDecay()).isEqualTo(1e-4);
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.maxEpochs()).isEqualTo(30);
        assertThat(c.patience()).isEqualTo(8);
        assertThat(c.stopping()).isEqualTo(EarlyStopping.VALIDATION_LOSS);
        assertThat(c.hiddenArray()).containsExactly(128, 64);
    }

    @Test
    void logistic_always_hasNoHiddenLayer() {
        assertThat(TrainingConfig.logistic().isLogistic()).isTrue();
        assertThat(TrainingConfig.logistic().summary()).startsWith("logistic adamw lr=0.01 ");
    }

    @Test
    void logistic_always_differsFromDefaultsInWidthsAndLearningRateOnly() {
        TrainingConfig d = TrainingConfig.defaults();
        assertThat(TrainingConfig.logistic().learningRate()).isEqualTo(TrainingConfig.LOGISTIC_LEARNING_RATE)
                .isEqualTo(0.01);
        assertThat(TrainingConfig.logistic()).isEqualTo(d.withHidden(List.of()).withLearningRate(0.01));
    }

    @Test
    void withBackbone_shape_takesThatShapesLearningRateAndKeepsTheRest() {
        TrainingConfig c = TrainingConfig.defaults().withMaxEpochs(5).withSeed(9);
        assertThat(c.withBackbone(List.of())).isEqualTo(c.withHidden(List.of()).withLearningRate(0.01));
        assertThat(c.withBackbone(List.of(256, 128, 64, 32))).isEqualTo(c.withHidden(List.of(256, 128, 64, 32)));
        assertThat(TrainingConfig.defaults().withBackbone(List.of(128, 64))).isEqualTo(TrainingConfig.defaults());
        assertThat(TrainingConfig.logistic().withBackbone(List.of(8))).isEqualTo(
                TrainingConfig.defaults().withHidden(List.of(8)));
    }

    @Test
    void constructor_zeroHiddenWidth_failsNamingWidths() {
        assertThatThrownBy(() -> TrainingConfig.defaults().withHidden(List.of(8, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden widths must be positive")
                .hasMessageContaining("[8, 0]");
    }

    @Test
    void constructor_nanLearningRate_failsNamingRange() {
        assertThatThrownBy(() -> TrainingConfig.defaults().withLearningRate(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate must be in (0, 1], got NaN");
    }

    @Test
    void constructor_negativeWeightDecay_fails() {
        assertThatThrownBy(() -> TrainingConfig.defaults().withWeightDecay(-1e-4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weightDecay must be in [0, 1), got -1.0E-4");
    }

    @Test
    void constructor_zeroBatchEpochsOrPatience_fails() {
        assertThatThrownBy(() -> TrainingConfig.defaults().withBatchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> TrainingConfig.defaults().withMaxEpochs(0)).hasMessageContaining("maxEpochs");
        assertThatThrownBy(() -> TrainingConfig.defaults().withPatience(0)).hasMessageContaining("patience");
    }

    @Test
    void withHidden_widthsWhoseProductOverflowsAnInt_failsWithTheLimit() {
        // 50000 x 50000 = 2.5e9 weights: before, an int overflow (NegativeArraySizeException) in allocation.
        assertThatThrownBy(() -> TrainingConfig.defaults().withHidden(List.of(50000, 50000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2500000000 weights")
                .hasMessageContaining("at most " + TrainingConfig.MAX_PARAMETERS);
        assertThatThrownBy(() -> TrainingConfig.defaults().withHidden(List.of(70000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 65536");
    }

    @Test
    void checkSize_countsInLongArithmetic() {
        TrainingConfig c = TrainingConfig.defaults().withHidden(List.of(4000));
        assertThat(c.parameterCount(10)).isEqualTo(10L * 4000 + 4000 + 4000L * 2 + 2);
        assertThatThrownBy(() -> c.checkSize(5000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on 5000 input columns give 20012002 parameters");
    }
}
