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
 * @param origin     trained by cfq (with its configuration) or imported (with its source file)
 * @param provenance where it came from
 */
public record SavedModel(Mlp model, Encoder encoder, ModelOrigin origin, Provenance provenance) {
    public SavedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(provenance, "provenance");
        if (model.inputDim() != encoder.width()) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " inputs but the encoder of '"
                    + encoder.schema().name() + "' gives " + encoder.width() + " columns");
        }
    }

    /** A model cfq trained with {@code training}. */
    public SavedModel(Mlp model, Encoder encoder, TrainingConfig training, Provenance provenance) {
        this(model, encoder, new ModelOrigin.Trained(training), provenance);
    }

    /**
     * {@return the configuration cfq trained it with}
     *
     * @throws IllegalStateException for an imported model (see {@link #origin()})
     */
    public TrainingConfig training() {
        if (origin instanceof ModelOrigin.Trained t) {
            return t.config();
        }
        throw new IllegalStateException("model '" + encoder.schema().name() + "' was imported, not trained by cfq");
    }

    public FeatureSchema schema() {
        return encoder.schema();
    }

    /** {@return "logistic" without hidden layers, else "mlp"} */
    public String kind() {
        return model.layers().size() == 1 ? ModelFile.KIND_LOGISTIC : ModelFile.KIND_MLP;
    }
}
