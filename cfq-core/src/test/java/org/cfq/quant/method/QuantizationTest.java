package org.cfq.quant.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.model.Mlp;
import org.cfq.quant.qat.QatConfig;
import org.junit.jupiter.api.Test;

class QuantizationTest {
    private static final int WIDTH = 6;

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private final Mlp teacher = Mlp.initialize(WIDTH, new int[] {40, 8}, new SplittableRandom(2));
    private final float[] x = rows(800, 1);
    private final int[] y = teacher.predict(x, 800);
    private final float[] xv = rows(200, 2);
    private final int[] yv = teacher.predict(xv, 200);

    private QuantizationOutcome run(QuantizeRequest r) {
        return Quantization.run(teacher, r.withTraining(QatConfig.defaults().withEpochs(2)),
                EncodedSplits.trainingOnly(x, y, xv, yv, WIDTH),
                new SplittableRandom(3), (e, n, l, a, s) -> { });
    }

    @Test
    void run_mixed_allocationMeetsBudgetAndModelUsesIt() {
        QuantizationOutcome o = run(QuantizeRequest.of(QuantMethod.MIXED, 3.0));
        assertThat(o.allocation()).isNotNull();
        assertThat(o.allocation().averageBits()).isLessThanOrEqualTo(3.0);
        assertThat(o.model().bitsPerLayer()).containsExactly(o.allocation().bits());
        assertThat(o.model().averageBits()).isEqualTo(o.allocation().averageBits());
        assertThat(o.sensitivity().layers()).isEqualTo(3);
        assertThat(o.epochSeconds()).hasSize(2);
    }

    @Test
    void run_mixedHutchinson_allocationFromTraceScores() {
        QuantizationOutcome o = run(QuantizeRequest.of(QuantMethod.MIXED, 2.5)
                .withSensitivity(org.cfq.quant.mixed.SensitivityMethod.HUTCHINSON));
        assertThat(o.sensitivity().method()).isEqualTo("hutchinson");
        assertThat(o.allocation().averageBits()).isLessThanOrEqualTo(2.5);
    }

    @Test
    void run_ptq_noTrainingEpochs() {
        QuantizationOutcome o = run(QuantizeRequest.of(QuantMethod.PTQ, 8));
        assertThat(o.epochSeconds()).isEmpty();
        assertThat(o.model().bitsPerLayer()).containsExactly(8, 8, 8);
        assertThat(o.allocation()).isNull();
    }

    @Test
    void run_pactWithoutActivationBits_quantizesActivationsAtWeightWidth() {
        QuantizationOutcome o = run(QuantizeRequest.of(QuantMethod.PACT, 4));
        assertThat(o.model().layers().get(0).activationQuantizer().spec().bits()).isEqualTo(4);
    }

    @Test
    void run_sameSeed_sameModel() {
        QuantizeRequest r = QuantizeRequest.of(QuantMethod.LSQ, 3);
        assertThat(run(r).model()).isEqualTo(run(r).model());
    }

    @Test
    void request_fractionalBitsForUniformMethod_failsSuggestingMixed() {
        assertThatThrownBy(() -> QuantizeRequest.of(QuantMethod.LSQ, 3.5))
                .hasMessageContaining("whole number in [2, 8]").hasMessageContaining("--method mixed");
    }

    @Test
    void request_mixedBudgetBelowNarrowest_fails() {
        assertThatThrownBy(() -> QuantizeRequest.of(QuantMethod.MIXED, 1.9))
                .hasMessageContaining("below the smallest candidate width 2");
    }

    @Test
    void parse_unknownMethod_listsChoices() {
        assertThat(QuantMethod.parse("LSQ")).isEqualTo(QuantMethod.LSQ);
        assertThatThrownBy(() -> QuantMethod.parse("cfq")).hasMessageContaining("ptq, qat, lsq, pact, mixed, got 'cfq'");
    }
}
