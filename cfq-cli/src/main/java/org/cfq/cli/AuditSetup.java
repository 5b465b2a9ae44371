package org.cfq.cli;

import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;

/**
 * What {@code cfq audit}, {@code cfq experiment} and the recourse runs share: the teacher's
 * encoder under the dataset's actionability, its action space, and the audit's recourse
 * generators by name.
 */
final class AuditSetup {
    private AuditSetup() {
    }

    /**
     * The recourse generators an audit may use: pgd with exactly the published loop
     * ({@link PgdConfig#published()}: no early stop, no escalation rounds), wachter with its
     * defaults.
     */
    enum Method {
        PGD, WACHTER;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Method parse(String s) {
            for (Method m : values()) {
                if (m.id().equalsIgnoreCase(s.trim())) {
                    return m;
                }
            }
            throw new InvalidInputException("--method " + s, "unknown recourse method",
                    "Use pgd (published defaults) or wachter (boundary-hugging counterfactuals)");
        }

        RecourseGenerator<DifferentiableClassifier> generator(ActionSpace space) {
            return this == PGD ? new PgdGenerator(space, PgdConfig.published())
                    : new WachterGenerator(space, WachterConfig.defaults());
        }

        /** {@return the generator's settings, recorded in every result} */
        String settings() {
            return this == PGD ? PgdConfig.published().toString() : WachterConfig.defaults().toString();
        }
    }

    /** The model's scaling and boxes under the dataset's schema (its actionability in force). */
    static Encoder withSchema(Encoder e, FeatureSchema s) {
        int n = s.size();
        double[] c = new double[n];
        double[] sc = new double[n];
        Range[] box = new Range[n];
        for (int i = 0; i < n; i++) {
            c[i] = e.center(i);
            sc[i] = e.scale(i);
            box[i] = e.box(i);
        }
        return new Encoder(s, e.scaling(), c, sc, box);
    }

    /** The action space of a dataset behind a model's encoder (with 1/MAD weights from training rows). */
    static ActionSpace actionSpace(Encoder encoder, Dataset data) {
        return data.train().rows() > 0 ? ActionSpace.of(encoder, data.train()) : ActionSpace.of(encoder);
    }

    /**
     * The plausibility scorer of a teacher's dataset: yNN against the training rows labelled by
     * the teacher, LOF against the favorable training rows (seeded reference samples).
     */
    static org.cfq.recourse.Plausibility plausibility(org.cfq.model.Mlp teacher, Encoder encoder, Dataset data,
                                                      double threshold, long seed) {
        org.cfq.data.Table train = data.train();
        float[] x = encoder.encode(train);
        float[] m = teacher.margins(x, train.rows());
        int[] pred = new int[train.rows()];
        for (int r = 0; r < pred.length; r++) {
            pred[r] = m[r] > threshold ? 1 : 0;
        }
        return new org.cfq.recourse.Plausibility(x, train.rows(), encoder.width(), pred, train.labels(),
                org.cfq.recourse.Plausibility.DEFAULT_REFERENCE, seed);
    }
}
