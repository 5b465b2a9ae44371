package org.cfq.io.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.io.json.Json;
import org.cfq.io.schema.SchemaFiles;

/**
 * The schema section of model files: exactly a schema file ({@link SchemaFiles}), so a
 * model's schema can be cut out and used with {@code --schema}. Schema errors are
 * reported as {@link ModelFormatException}s naming the model file.
 */
final class SchemaJson {
    private SchemaJson() {
    }

    static ObjectNode write(FeatureSchema s) {
        try {
            return (ObjectNode) Json.mapper().readTree(SchemaFiles.toJson(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot re-read the JSON just rendered for schema '" + s.name() + "'", e);
        }
    }

    static FeatureSchema read(JsonNode o, Fields in) {
        try {
            return SchemaFiles.fromJson(o.toString(), in.where(""));
        } catch (InvalidInputException e) {
            throw new ModelFormatException(e.what(), e.problem(), Fields.FIX_CORRUPT, e);
        }
    }
}
