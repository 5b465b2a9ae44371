package org.cfq.io.model;

import java.util.Objects;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.train.TrainingConfig;

/**
 * Everything a model file holds.
 *
 * @param model      the network (logistic regression when it has no hidden layer)
 * @param encoder    the encoder it was trained behind; its schema is the model's schema
 * @param training   the configuration it was trained with
 * @param provenance where it came from
 */
public record SavedModel(Mlp model, Encoder encoder, TrainingConfig training, Provenance provenance) {
    public SavedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(provenance, "provenance");
        if (model.inputDim() != encoder.width()) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " inputs but the encoder of '"
                    + encoder.schema().name() + "' gives " + encoder.width() + " columns");
        }
    }

    public FeatureSchema schema() {
        return encoder.schema();
    }

    /** {@return "logistic" without hidden layers, else "mlp"} */
    public String kind() {
        return model.layers().size() == 1 ? ModelFile.KIND_LOGISTIC : ModelFile.KIND_MLP;
    }
}
