package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.io.model.SavedModel;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.QatConfig;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class DeploymentsTest {
    private final Dataset data = SyntheticCredit.generate(600, 4L);
    private final Encoder enc = Encoder.fit(data.train(), Scaling.STANDARD);

    @Test
    void tolerance_multipleOfTheStep_scalesEveryNumericFeature() {
        var one = Deployments.tolerance(enc, "1x");
        var two = Deployments.tolerance(enc, " 2x ");
        var exact = Deployments.tolerance(enc, "0x");
        boolean someNumeric = false;
        for (int f = 0; f < enc.schema().size(); f++) {
            assertThat(two.tolerance(f)).isEqualTo(2 * one.tolerance(f));
            assertThat(exact.tolerance(f)).isZero();
            someNumeric |= one.tolerance(f) > 0;
        }
        assertThat(someNumeric).isTrue();
    }

    @Test
    void tolerance_malformed_failsNamingTheOptionAndTheFix() {
        assertThatThrownBy(() -> Deployments.tolerance(enc, "twox")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--tolerance twox").hasMessageContaining("not a multiple of the step");
        assertThatThrownBy(() -> Deployments.tolerance(enc, "-1x")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("finite and >= 0");
        assertThatThrownBy(() -> Deployments.tolerance(enc, "income")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'income' is not FEATURE=AMOUNT");
        assertThatThrownBy(() -> Deployments.tolerance(enc, "income=lots")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no number after '='");
    }

    @Test
    void holdout_noEntries_isNull() throws Exception {
        assertThat(Deployments.holdout(" ", data.schema(), enc.width(), null)).isNull();
        assertThat(Deployments.holdout(null, data.schema(), enc.width(), null)).isNull();
    }

    @Test
    void teacherQuantization_method_scoresTheStudentItWritesAndRecordsTheSettings() {
        SavedModel teacher = Teachers.train(data, TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(2),
                "test teacher", e -> { }).saved();
        QuantizeRequest r = QuantizeRequest.of(QuantMethod.LSQ, 4).withTraining(QatConfig.defaults().withEpochs(1));
        var res = TeacherQuantization.method(teacher, data, r, 4, 7L, (e, n, l, a, s) -> { });
        assertThat(res.file().method()).isEqualTo("lsq");
        assertThat(res.file().provenance().config()).isEqualTo(TeacherQuantization.describe(r, 4))
                .startsWith("quantize method=lsq bits=4 ");
        assertThat(res.scores().testAccuracy()).isEqualTo(org.cfq.model.Scores.accuracy(res.student(),
                res.splits().testX(), res.splits().testY()));
        assertThat(res.scores().agreement()).isBetween(0.0, 1.0);
        assertThat(TeacherQuantization.bits(2.5)).isEqualTo("2.5");
        assertThat(TeacherQuantization.bits(3)).isEqualTo("3");
    }
}
