package org.cfq.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.cfq.model.DenseLayer;
import org.cfq.model.FrozenMlp;
import org.cfq.model.Mlp;
import org.junit.jupiter.api.Test;

class KernelWarmupTest {
    /** Adult's shapes: 90 encoded columns, the default 128-64 teacher, batch 256 (with a short last batch). */
    private static final int WIDTH = KernelWarmup.DEFAULT_WIDTH;
    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withMaxEpochs(2).withSeed(11);

    private final ToyData train = ToyData.linearlySeparable(700, WIDTH, 1);
    private final ToyData val = ToyData.linearlySeparable(150, WIDTH, 2);

    @Test
    void trainingAndScoring_whileTheWarmupRuns_giveTheSameBytesAsWithoutIt() throws InterruptedException {
        Mlp alone = new MlpTrainer(CONFIG).train(train.x, train.y, val.x, val.y).model();
        float[] aloneLogits = frozenLogits(alone);

        Mlp warmed;
        float[] warmedLogits;
        try (KernelWarmup w = KernelWarmup.start(WIDTH, CONFIG.hiddenArray(), true)) {
            warmed = new MlpTrainer(CONFIG).train(train.x, train.y, val.x, val.y).model();
            warmedLogits = frozenLogits(warmed);
        }
        assertThat(weightBytes(warmed)).isEqualTo(weightBytes(alone));
        assertThat(warmedLogits).isEqualTo(aloneLogits);
    }

    @Test
    void close_stopsTheThreadPromptly() throws InterruptedException {
        KernelWarmup w = KernelWarmup.start(true);
        w.close();
        assertThat(w.await(30_000)).isTrue();
        assertThat(w.rounds()).isLessThan(2 * KernelWarmup.MAX_ROUNDS);
    }

    @Test
    void theThread_endsByItself_afterBoundedRounds() throws InterruptedException {
        KernelWarmup w = KernelWarmup.start(37, new int[] {20}, true);
        assertThat(w.await(300_000)).isTrue();
        assertThat(w.rounds()).isPositive().isLessThanOrEqualTo(2 * KernelWarmup.MAX_ROUNDS);
    }

    @Test
    void start_rejectsNonPositiveWidths() {
        assertThatThrownBy(() -> KernelWarmup.start(0, new int[] {8}, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelWarmup.start(4, new int[] {8, 0}, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private float[] frozenLogits(Mlp net) {
        int rows = val.y.length;
        FrozenMlp f = new FrozenMlp(net, null);
        FrozenMlp.Workspace ws = f.workspace(rows);
        f.forward(val.x, rows, ws);
        return java.util.Arrays.copyOf(ws.logits(), rows * Mlp.OUTPUTS);
    }

    private static byte[] weightBytes(Mlp net) {
        List<DenseLayer> layers = net.layers();
        int n = 0;
        for (DenseLayer l : layers) {
            n += l.weight().length + l.bias().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(4 * n);
        for (DenseLayer l : layers) {
            for (float v : l.weight()) {
                buf.putFloat(v);
            }
            for (float v : l.bias()) {
                buf.putFloat(v);
            }
        }
        return buf.array();
    }
}
