package org.cfq.recourse.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.math.Parallelism;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.junit.jupiter.api.Test;

/**
 * Pins the published pgd's output, bit for bit, on a fixture the test builds itself: a schema of
 * every kind with wide one-hot groups (width 42: two vectors of 16 columns and a tail, like
 * Adult's 108), a seeded 42-128-64-2 network (the default teacher's shape) and 203 seeded rows it
 * rejects, so 609 slots run as two chunks. The fingerprint is a SHA-256 over every result (found or not,
 * cost, changed features, margin, counterfactual floats). The kernels behind the search (the
 * zero-skipping forward and backward, the projection, the step) promise the same bits whatever
 * their blocking, vector width, JDK or thread count; a change that moves any result by one ulp
 * fails here, so kernel work cannot change results silently. If a change is meant to change the
 * results, say so (docs/benchmarks.md) and update the pinned value.
 */
class PgdFingerprintTest {
    /** Taken on main at 6d84f78 (before the nonzero-list and list-reuse changes of issue 16), JDK 17. */
    private static final String PINNED = "a7c8112d4d68ccbd24f581f8e3718d451ad8a3e82e65eb222ed2567a7b45366f";

    private static Encoder encoder() {
        FeatureSchema s = new FeatureSchema("fingerprint", List.of(
                FeatureSpec.continuous("income", Actionability.FREE),
                FeatureSpec.continuous("savings", Actionability.INCREASE_ONLY),
                FeatureSpec.integer("age", Actionability.IMMUTABLE),
                FeatureSpec.ordinal("education", List.of("a", "b", "c", "d", "e", "f"), Actionability.INCREASE_ONLY),
                FeatureSpec.categorical("job", levels("j", 12), Actionability.FREE),
                FeatureSpec.categorical("region", levels("r", 10), Actionability.IMMUTABLE),
                FeatureSpec.categorical("sector", levels("s", 14), Actionability.FREE),
                FeatureSpec.integer("hours", Actionability.DECREASE_ONLY),
                FeatureSpec.binary("owner", List.of("no", "yes"), Actionability.FREE)), "y", "1");
        return new Encoder(s, Scaling.STANDARD,
                new double[] {0, 0, 40, 2.5, 0, 0, 0, 40, 0},
                new double[] {1, 1, 10, 1.5, 1, 1, 1, 10, 1},
                new Range[] {new Range(-3, 3), new Range(-3, 3), new Range(18, 90), new Range(0, 5),
                    new Range(0, 11), new Range(0, 9), new Range(0, 13), new Range(1, 99), new Range(0, 1)});
    }

    private static List<String> levels(String prefix, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    /** Rows in the encoded space: standardized numbers, whole ages and hours, one level per group. */
    private static float[] rows(int rows, int w, SplittableRandom rng) {
        float[] x = new float[rows * w];
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            x[o] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 1] = (float) (rng.nextDouble() * 2 - 1);
            x[o + 2] = (float) ((20 + rng.nextInt(50) - 40) / 10.0);
            x[o + 3] = (float) ((rng.nextInt(6) - 2.5) / 1.5);
            x[o + 4 + rng.nextInt(12)] = 1f;
            x[o + 16 + rng.nextInt(10)] = 1f;
            x[o + 26 + rng.nextInt(14)] = 1f;
            x[o + 40] = (float) ((10 + rng.nextInt(60) - 40) / 10.0);
            x[o + 41] = rng.nextInt(2);
        }
        return x;
    }

    private static String fingerprint(RecourseBatch b) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer bb = ByteBuffer.allocate(32);
        for (RecourseResult res : b.results()) {
            bb.clear();
            if (res instanceof RecourseResult.Found f) {
                bb.putInt(1).putLong(Double.doubleToRawLongBits(f.cost())).putInt(f.changedFeatures())
                        .putLong(Double.doubleToRawLongBits(f.margin()));
                md.update(bb.array(), 0, bb.position());
                for (float v : f.counterfactual()) {
                    bb.clear();
                    md.update(bb.putInt(Float.floatToRawIntBits(v)).array(), 0, 4);
                }
            } else {
                md.update(bb.putInt(0).putInt(((RecourseResult.NotFound) res).reason().ordinal()).array(), 0, 8);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void publishedPgd_onASeededFixture_givesThePinnedResultsOnOneAndTwoThreads() throws Exception {
        Encoder enc = encoder();
        int w = enc.width();
        assertThat(w).isEqualTo(42);
        Mlp model = Mlp.initialize(w, new int[] {128, 64}, new SplittableRandom(2024));
        // The rows the network rejects (as the bench's rows: every rejected test row), 203 of them.
        int drawn = 1000;
        float[] all = rows(drawn, w, new SplittableRandom(7));
        float[] logits = new float[drawn * 2];
        model.logits(all, drawn, logits);
        int rows = 203;
        float[] x = new float[rows * w];
        int kept = 0;
        for (int r = 0; r < drawn && kept < rows; r++) {
            if (logits[2 * r + 1] - logits[2 * r] <= 0) {
                System.arraycopy(all, r * w, x, kept++ * w, w);
            }
        }
        assertThat(kept).isEqualTo(rows);
        RecourseRequest req = RecourseRequest.defaults().withSparsity(3);
        ActionSpace space = ActionSpace.of(enc);
        RecourseBatch one = new PgdGenerator(space, PgdConfig.published(), Parallelism.of(1)).generate(model, x, rows,
                req);
        RecourseBatch two = new PgdGenerator(space, PgdConfig.published(), Parallelism.of(2)).generate(model, x, rows,
                req);
        // A fixture where the search has work to do: most rows found, none at zero cost.
        assertThat(one.foundCount()).isBetween(rows / 2, rows);
        for (RecourseResult r : one.results()) {
            if (r instanceof RecourseResult.Found f) {
                assertThat(f.cost()).isPositive();
            }
        }
        assertThat(fingerprint(two)).isEqualTo(fingerprint(one));
        assertThat(fingerprint(one)).isEqualTo(PINNED);
    }
}
