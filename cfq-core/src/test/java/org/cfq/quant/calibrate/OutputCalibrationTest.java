package org.cfq.quant.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.junit.jupiter.api.Test;

class OutputCalibrationTest {
    private static final int WIDTH = 8;

    private static float[] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void calibrate_threeBits_lowersTheLogitErrorAndKeepsTheFloatWeights() {
        Mlp t = Mlp.initialize(WIDTH, new int[] {32, 16}, new SplittableRandom(21));
        float[] x = rows(800, 1);
        OutputCalibration.Result r = OutputCalibration.calibrate(t, new int[] {3, 3, 3},
                OutputCalibration.Config.published(), x, 800, new SplittableRandom(2));

        assertThat(r.loss()).isLessThan(r.startLoss());
        assertThat(r.bestEpoch()).isPositive();
        QuantizedMlp q = r.model();
        assertThat(q.bitsPerLayer()).containsExactly(3, 3, 3);
        // activations quantized at the layer's width, the output layer left in float
        assertThat(q.layers().get(0).activationQuantizer().spec().bits()).isEqualTo(3);
        assertThat(q.layers().get(1).activationQuantizer().spec().bits()).isEqualTo(3);
        assertThat(q.layers().get(2).activationQuantizer()).isNull();
        // only the quantizers moved: the codes are the float weights rounded on the learned grid, biases unchanged
        for (int l = 0; l < 3; l++) {
            QuantizedLayer ql = q.layers().get(l);
            assertThat(ql.codes()).containsExactly(ql.weightQuantizer().quantize(t.layers().get(l).weight()));
            assertThat(ql.bias()).containsExactly(t.layers().get(l).bias());
        }
        assertThat(OutputCalibration.loss(q, x, logits(t, x, 800), 800)).isEqualTo(r.loss());
    }

    private static float[] logits(Mlp t, float[] x, int n) {
        float[] z = new float[n * 2];
        t.logits(x, n, z);
        return z;
    }
}
