package org.cfq.io.model;

import java.util.Objects;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;

/**
 * Everything a quantized model file holds.
 *
 * @param model         the fake-quantized network (integer codes, scales, zero points, float biases)
 * @param encoder       the teacher's encoder; its schema is the model's schema
 * @param method        the quantization method ("ptq", "lsq", ...)
 * @param budgetBits    the requested average weight bits
 * @param teacherSha256 SHA-256 of the teacher model file's bytes, hex; links the student to its teacher
 * @param provenance    where it came from
 */
public record SavedQuantizedModel(QuantizedMlp model, Encoder encoder, String method, double budgetBits,
                                  String teacherSha256, Provenance provenance) {
    public SavedQuantizedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(teacherSha256, "teacherSha256");
        Objects.requireNonNull(provenance, "provenance");
        if (!(budgetBits >= 2 && budgetBits <= 8)) {
            throw new IllegalArgumentException("budgetBits must be in [2, 8], got " + budgetBits);
        }
        if (model.inputDim() != encoder.width()) {
            throw new IllegalArgumentException("model takes " + model.inputDim() + " inputs but the encoder of '"
                    + encoder.schema().name() + "' gives " + encoder.width() + " columns");
        }
    }

    public FeatureSchema schema() {
        return encoder.schema();
    }
}
