package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.faithful.CfqConfig;
import org.cfq.quant.Granularity;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.mixed.SensitivityMethod;
import org.cfq.quant.qat.ModelSelection;
import org.cfq.train.EarlyStopping;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The option checks of {@link TeacherSettings}, {@link QuantizeSettings} and {@link CfqSettings}. */
class SettingsTest {
    private static TeacherSettings teacher(List<Integer> hidden, Integer epochs, Double lr, Double decay, Integer batch,
                                           Integer patience) {
        return new TeacherSettings(false, hidden, epochs, lr, decay, batch, patience, false, 7);
    }

    private static QuantizeSettings tune(int activationBits, Integer epochs, Double lr, Double distill,
                                         double temperature, String selection) {
        return new QuantizeSettings(activationBits, "tensor", List.of(2, 3, 4, 8), "loss", epochs, lr, distill,
                temperature, selection);
    }

    private static CfqSettings cfq(String search, Integer steps, Integer restarts, boolean noPact, Double lambda) {
        return new CfqSettings(1.0, false, noPact, 0, 0.25, 0, 0, 1, false, search, steps, restarts, false, lambda);
    }

    @Test
    void teacher_nothingGiven_isTheDefaultTeacherWithTheSeed() {
        assertThat(teacher(null, null, null, null, null, null).config())
                .isEqualTo(TrainingConfig.defaults().withSeed(7));
        assertThat(new TeacherSettings(true, null, null, null, null, null, null, true, 3).config())
                .isEqualTo(TrainingConfig.logistic().withStopping(EarlyStopping.VALIDATION_ACCURACY).withSeed(3));
    }

    @Test
    void teacher_everySettingGiven_isApplied() {
        TrainingConfig c = teacher(List.of(16, 8), 4, 0.01, 0.0, 32, 2).config();
        assertThat(c).isEqualTo(new TrainingConfig(List.of(16, 8), 0.01, 0.0, 32, 4, 2, EarlyStopping.VALIDATION_LOSS, 7));
    }

    @Test
    void teacher_badValues_failNamingTheOptionAndTheFix() {
        assertThatThrownBy(() -> new TeacherSettings(true, List.of(4), null, null, null, null, null, false, 0).config())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--hidden [4]")
                .hasMessageContaining("no hidden layers");
        assertThatThrownBy(() -> teacher(List.of(0), null, null, null, null, null).config())
                .hasMessageContaining("--hidden [0]").hasMessageContaining("every width");
        assertThatThrownBy(() -> teacher(null, 0, null, null, null, null).config()).hasMessageContaining("--epochs 0");
        assertThatThrownBy(() -> teacher(null, null, 2.0, null, null, null).config()).hasMessageContaining("--lr 2.0");
        assertThatThrownBy(() -> teacher(null, null, null, 1.0, null, null).config())
                .hasMessageContaining("--weight-decay 1.0");
        assertThatThrownBy(() -> teacher(null, null, null, null, 0, null).config())
                .hasMessageContaining("--batch-size 0");
        assertThatThrownBy(() -> teacher(null, null, null, null, null, 0).config()).hasMessageContaining("--patience 0");
    }

    @Test
    void teacher_checkSize_networkTooLargeForTheInputs_failsNamingHidden() {
        var data = SyntheticCredit.generate(200, 1L);
        TeacherSettings.checkSize(TrainingConfig.defaults(), data);
        TrainingConfig wide = TrainingConfig.defaults().withHidden(List.of(65536, 250));
        assertThatThrownBy(() -> TeacherSettings.checkSize(wide, data)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--hidden [65536, 250]").hasMessageContaining("smaller widths");
    }

    @Test
    void quantize_request_appliesTheSettingsOnTheMethodDefaults() {
        QuantizeRequest r = tune(8, 3, 0.01, 0.5, 4, "accuracy").request("lsq", 4);
        assertThat(r.method()).isEqualTo(QuantMethod.LSQ);
        assertThat(r.training().epochs()).isEqualTo(3);
        assertThat(r.training().learningRate()).isEqualTo(0.01);
        assertThat(r.training().distillWeight()).isEqualTo(0.5);
        assertThat(r.training().temperature()).isEqualTo(4);
        assertThat(r.training().selection()).isEqualTo(ModelSelection.parse("accuracy"));
        assertThat(r.granularity()).isEqualTo(Granularity.TENSOR);
        assertThat(r.sensitivity()).isEqualTo(SensitivityMethod.LOSS);
        QuantizeRequest plain = tune(0, null, null, null, 2, null).request("qat", 4);
        assertThat(plain.training().epochs()).isEqualTo(QuantizeRequest.defaultTraining(QuantMethod.QAT).epochs());
    }

    @Test
    void quantize_badValues_failNamingTheOption() {
        assertThatThrownBy(() -> tune(0, null, null, null, 2, null).request("fancy", 4))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--method fancy");
        assertThatThrownBy(() -> tune(0, 0, null, null, 2, null).request("lsq", 4)).hasMessageContaining("--epochs 0");
        assertThatThrownBy(() -> tune(0, null, 0.0, null, 2, null).request("lsq", 4))
                .hasMessageContaining("--learning-rate 0.0");
        assertThatThrownBy(() -> tune(0, null, null, 1.5, 2, null).request("lsq", 4)).hasMessageContaining("--distill 1.5");
        assertThatThrownBy(() -> tune(0, null, null, null, 2, "best").request("lsq", 4))
                .hasMessageContaining("--selection best");
        assertThatThrownBy(() -> new QuantizeSettings(0, "row", List.of(2), "loss", null, null, null, 2, null)
                .parseGranularity()).hasMessageContaining("--granularity row");
        assertThatThrownBy(() -> QuantizeSettings.checkBits(9)).hasMessageContaining("--bits 9")
                .hasMessageContaining("[2, 8]");
        QuantizeSettings.checkBits(2.5);
    }

    @Test
    void quantize_cfq_mapsTheSharedSettingsOntoCfqsConfig() {
        assertThat(QuantizeSettings.isCfq(" CFQ ")).isTrue();
        assertThat(QuantizeSettings.isCfq("lsq")).isFalse();
        CfqConfig published = tune(0, null, null, null, 2, null).cfq(3, cfq("short", null, null, false, null));
        assertThat(published.budget().bits().averageBits()).isEqualTo(3);
        assertThat(published.quantizers()).isEqualTo(CfqConfig.defaults().quantizers());
        assertThat(published.optimiser()).isEqualTo(CfqConfig.defaults().optimiser());
        CfqConfig tuned = tune(6, 5, 0.002, 0.25, 3, null).cfq(4, cfq("short", null, null, false, null));
        assertThat(tuned.quantizers().activationBits()).isEqualTo(6);
        assertThat(tuned.optimiser().epochs()).isEqualTo(5);
        assertThat(tuned.optimiser().learningRate()).isEqualTo(0.002);
        assertThat(tuned.loss().distillWeight()).isEqualTo(0.25);
        assertThatThrownBy(() -> tune(0, null, null, null, 2, null).cfq(3, cfq("long", null, null, false, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--method cfq --bits 3.0")
                .hasMessageContaining("--teacher-search must be short or full");
    }

    @Test
    void cfq_apply_teacherSearchPactAndLambda() {
        CfqConfig base = CfqConfig.defaults(4);
        CfqConfig full = cfq("full", null, null, true, 0.5).apply(base);
        assertThat(full.search().pgd().restarts()).isEqualTo(1);
        assertThat(full.search().pgd().steps()).isNotEqualTo(base.search().pgd().steps());
        assertThat(full.quantizers().pact()).isFalse();
        assertThat(full.budget().penaltyWeight()).isEqualTo(0.5);
        CfqConfig deeper = cfq("short", 7, 2, false, null).apply(base);
        assertThat(deeper.search().pgd().steps()).isEqualTo(7);
        assertThat(deeper.search().pgd().restarts()).isEqualTo(2);
        assertThat(deeper.budget().penaltyWeight()).isEqualTo(base.budget().penaltyWeight());
    }

    @Test
    void cfq_check_isTheMeasuringRunsConfigAndNamesBadValues() {
        CfqConfig c = cfq("short", null, null, false, null).check(3, 0.5, 2, 6, 4);
        assertThat(c.quantizers().pact()).isTrue();
        assertThat(c.quantizers().activationBits()).isEqualTo(6);
        assertThat(c.optimiser().epochs()).isEqualTo(4);
        assertThat(c.loss().distillWeight()).isEqualTo(0.5);
        assertThatThrownBy(() -> cfq("sideways", null, null, false, null).check(3, 0, 2, 8, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("CFQ options");
    }
}
