package org.cfq.quant.method;

import static org.assertj.core.api.Assertions.assertThat;

import org.cfq.quant.qat.ModelSelection;
import org.junit.jupiter.api.Test;

class QuantizeRequestTest {

    @Test
    void of_qat_trainsOnTheTaskLossAndKeepsTheMostAccurateEpoch() {
        QuantizeRequest r = QuantizeRequest.of(QuantMethod.QAT, 4);
        assertThat(r.training().distillWeight()).isZero();
        assertThat(r.training().selection()).isEqualTo(ModelSelection.ACCURACY);
    }

    @Test
    void of_lsqPactMixed_distilFromTheTeacherAndKeepTheClosestEpoch() {
        for (QuantMethod m : new QuantMethod[] {QuantMethod.LSQ, QuantMethod.PACT, QuantMethod.MIXED}) {
            QuantizeRequest r = QuantizeRequest.of(m, 4);
            assertThat(r.training().distillWeight()).as(m.id()).isEqualTo(1.0);
            assertThat(r.training().temperature()).as(m.id()).isEqualTo(2.0);
            assertThat(r.training().selection()).as(m.id()).isEqualTo(ModelSelection.FIDELITY);
        }
    }
}
