package org.cfq.data;

import java.util.Objects;

/**
 * A dataset split for training, model selection and evaluation.
 *
 * @param name       short name ("adult")
 * @param schema     what the rows mean, including the actionability in force
 * @param train      rows to fit models and encoders on
 * @param validation rows for early stopping and model selection, carved from training
 * @param test       held-out rows
 * @param source     where the rows were read from, for reports
 */
public record Dataset(String name, FeatureSchema schema, Table train, Table validation, Table test, String source) {
    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(source, "source");
    }

    /** The same dataset under another schema with the same features (e.g. another action set). */
    public Dataset withSchema(FeatureSchema other) {
        return new Dataset(name, other, train.withSchema(other), validation.withSchema(other),
                test.withSchema(other), source);
    }
}
