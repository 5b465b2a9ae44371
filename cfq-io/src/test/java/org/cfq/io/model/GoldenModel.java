package org.cfq.io.model;

import java.time.Instant;
import java.util.List;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.train.TrainingConfig;

/**
 * A hand-set model whose logits are computed by hand below; the golden file
 * {@code golden/model-v1.json} holds it as written by format version 1.
 *
 * <p>Model space: [age_z, job=a, job=b, job=c, edu_z, owner, income_z] with
 * age_z = (age - 40) / 10, edu_z = edu - 1, income_z = (income - 50) / 25.
 * <pre>
 *   h0 = relu( 0.5 age_z + job_a - job_c + 0.25 edu_z + 0.5 income_z + 0.5)
 *   h1 = relu(-0.5 age_z + 0.5 job_b + 0.5 edu_z + owner - 0.25 income_z)
 *   logit0 =  h0 -   h1 + 0.25
 *   logit1 = -h0 + 2 h1 - 0.25
 * </pre>
 * Row A (age 50, job c, edu ms, owner yes, income 100): z = [1, 0,0,1, 1, 1, 2];
 * h0 = 0.5 - 1 + 0.25 + 1 + 0.5 = 1.25, h1 = -0.5 + 0.5 + 1 - 0.5 = 0.5;
 * logits = (1.25 - 0.5 + 0.25, -1.25 + 1 - 0.25) = (1.0, -0.5).
 * Row B (age 30, job a, edu hs, owner no, income 25): z = [-1, 1,0,0, -1, 0, -1];
 * h0 = -0.5 + 1 - 0.25 - 0.5 + 0.5 = 0.25, h1 = 0.5 - 0.5 + 0.25 = 0.25;
 * logits = (0.25, 0.0).
 */
final class GoldenModel {
    static final float[] PINNED_LOGITS = {1.0f, -0.5f, 0.25f, 0.0f};

    private GoldenModel() {
    }

    static FeatureSchema schema() {
        return new FeatureSchema("golden", List.of(
                FeatureSpec.continuous("age", Actionability.IMMUTABLE),
                FeatureSpec.categorical("job", List.of("a", "b", "c"), Actionability.FREE),
                FeatureSpec.ordinal("edu", List.of("hs", "ba", "ms"), Actionability.INCREASE_ONLY),
                FeatureSpec.binary("owner", List.of("no", "yes"), Actionability.FREE),
                FeatureSpec.integer("income", Actionability.FREE).withRange(new Range(0, 200))),
                "approved", "yes");
    }

    /** Rows A and B of the class comment. */
    static Table rows() {
        return new Table(schema(), new double[][] {{50, 30}, {2, 0}, {2, 0}, {1, 0}, {100, 25}}, new int[] {0, 1});
    }

    static SavedModel build() {
        FeatureSchema s = schema();
        Encoder enc = new Encoder(s, Scaling.STANDARD, new double[] {40, 0, 1, 0, 50}, new double[] {10, 1, 1, 1, 25},
                new Range[] {new Range(17, 90), new Range(0, 2), new Range(0, 2), new Range(0, 1), new Range(0, 200)});
        DenseLayer l0 = new DenseLayer(7, 2, new float[] {
            0.5f, 1f, 0f, -1f, 0.25f, 0f, 0.5f,
            -0.5f, 0f, 0.5f, 0f, 0.5f, 1f, -0.25f}, new float[] {0.5f, 0f});
        DenseLayer l1 = new DenseLayer(2, 2, new float[] {1f, -1f, -1f, 2f}, new float[] {0.25f, -0.25f});
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(List.of(2)).withSeed(7);
        Provenance p = new Provenance("0.1.0", 7, cfg.summary(), "sha256:" + "0".repeat(64), "17.0.15", "Linux",
                "amd64", Instant.parse("2026-11-26T00:00:00Z").toString());
        return new SavedModel(new Mlp(List.of(l0, l1)), enc, cfg, p);
    }
}
