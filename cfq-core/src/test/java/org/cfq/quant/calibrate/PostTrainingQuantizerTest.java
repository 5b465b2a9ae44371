package org.cfq.quant.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.cfq.model.Mlp;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantizedMlp;
import org.junit.jupiter.api.Test;

class PostTrainingQuantizerTest {

    private static float[] rows(int n, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void sampleRows_sameSeed_sameDistinctRows() {
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i / 2;  // row r holds (r, r)
        }
        float[] a = PostTrainingQuantizer.sampleRows(x, 10, 2, 6, new SplittableRandom(4));
        float[] b = PostTrainingQuantizer.sampleRows(x, 10, 2, 6, new SplittableRandom(4));
        assertThat(a).containsExactly(b);
        Set<Float> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            assertThat(a[2 * i]).isEqualTo(a[2 * i + 1]);
            seen.add(a[2 * i]);
        }
        assertThat(seen).hasSize(6);
    }

    @Test
    void quantize_eightBits_logitsCloseToTeacher() {
        Mlp m = Mlp.initialize(6, new int[] {16, 8}, new SplittableRandom(1));
        float[] x = rows(300, 6, 2);
        QuantizedMlp q = PostTrainingQuantizer.quantize(m, 8, PtqConfig.defaults().withActivationBits(8), x, 300,
                new SplittableRandom(3));
        float[] a = m.margins(x, 300);
        float[] b = q.margins(x, 300);
        double maxAbs = 0;
        for (float v : a) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int i = 0; i < 300; i++) {
            assertThat((double) b[i]).isCloseTo(a[i], within(0.05 * maxAbs));
        }
        assertThat(q.quantizesActivations()).isTrue();
        assertThat(q.layers().get(2).activationQuantizer()).isNull();
    }

    @Test
    void quantize_perChannel_oneScalePerOutputRow() {
        Mlp m = Mlp.initialize(3, new int[] {5}, new SplittableRandom(1));
        QuantizedMlp q = PostTrainingQuantizer.quantize(m, new int[] {4, 3},
                PtqConfig.defaults().withGranularity(Granularity.CHANNEL), rows(10, 3, 1), 10, new SplittableRandom(1));
        assertThat(q.layers().get(0).weightQuantizer().params().channels()).isEqualTo(5);
        assertThat(q.layers().get(1).weightQuantizer().params().channels()).isEqualTo(2);
        assertThat(q.bitsPerLayer()).containsExactly(4, 3);
        assertThat(q.quantizesActivations()).isFalse();
    }
}
