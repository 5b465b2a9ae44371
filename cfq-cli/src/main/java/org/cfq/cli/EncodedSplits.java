package org.cfq.cli;

import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;

/**
 * A dataset's train, validation and test splits in a model's space, with their labels: what
 * the commands that quantize a teacher feed to the trainers and score on. The arrays are
 * shared, not copied: callers must treat them as read only.
 */
final class EncodedSplits {
    /** Training rows (rows x width, row-major) and labels. */
    final float[] x;
    final int[] y;
    /** Validation rows and labels. */
    final float[] xv;
    final int[] yv;
    /** Test rows and labels. */
    final float[] xt;
    final int[] yt;

    private EncodedSplits(float[] x, int[] y, float[] xv, int[] yv, float[] xt, int[] yt) {
        this.x = x;
        this.y = y;
        this.xv = xv;
        this.yv = yv;
        this.xt = xt;
        this.yt = yt;
    }

    /** {@return the three splits of {@code d} encoded by {@code enc}} */
    static EncodedSplits of(Encoder enc, Dataset d) {
        return new EncodedSplits(enc.encode(d.train()), d.train().labels(), enc.encode(d.validation()),
                d.validation().labels(), enc.encode(d.test()), d.test().labels());
    }
}
