package org.cfq.quant.integer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;

class IntegerMlpPropertiesTest {

    /**
     * Random networks, widths, granularities and inputs (scaled up so many ReLUs fire and many
     * codes saturate): the integer engine's logits are the fake-quantized ones to 1e-5 relative,
     * so with its fallbacks its decisions are the same on every row.
     */
    @Property(tries = 60)
    void logits_randomQuantizedNetwork_matchFakeQuantizedDecisionsAndLogits(
            @ForAll @IntRange(min = 2, max = 8) int bits, @ForAll @IntRange(min = 0, max = 8) int actBits,
            @ForAll boolean perChannel, @ForAll @IntRange(min = 1, max = 40) int in, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp teacher = Mlp.initialize(in, new int[] {1 + rng.nextInt(24), 1 + rng.nextInt(12)}, rng.split());
        int rows = 200;
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 3);
        }
        PtqConfig cfg = PtqConfig.defaults().withWeightCalibrator(new MinMaxCalibrator())
                .withGranularity(perChannel ? Granularity.CHANNEL : Granularity.TENSOR)
                .withActivationBits(actBits == 1 ? 0 : actBits);
        QuantizedMlp fake = PostTrainingQuantizer.quantize(teacher, bits, cfg, x, rows, rng.split());
        var a = QuantizedVariants.compare(fake, IntegerMlp.of(fake), x, rows);
        assertThat(a.decisionMismatches()).isZero();
        assertThat(a.rowsBeyondTolerance()).isZero();
    }
}
