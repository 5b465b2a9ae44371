package org.cfq.io.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cfq.InvalidInputException;
import org.cfq.io.json.Json;

/** Reads a model file of either kind, told apart by its {@code format} field. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** A teacher (float) model file or a quantized one: exactly one is not null. */
    public record AnyModel(SavedModel teacher, SavedQuantizedModel quantized) {
        /** {@return what kind of model it is, as JSON: kind float, or kind quantized with its method and widths} */
        public ObjectNode describe() {
            ObjectNode o = Json.mapper().createObjectNode();
            if (teacher != null) {
                return o.put("kind", "float");
            }
            o.put("kind", "quantized").put("method", quantized.method());
            return o.set("bits_per_layer", Json.snakeCase(quantized.model().bitsPerLayer()));
        }
    }

    /**
     * Reads a teacher or a quantized model file.
     *
     * @param option the option that named the file, for the messages
     * @throws InvalidInputException when the file is missing, not JSON, or of another format
     */
    public static AnyModel read(Path file, String option) throws IOException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(option + " " + file, "it does not exist",
                    "Check the path, or write one with 'cfq quantize --out " + file + "'", e);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(option + " " + file, "it is not JSON (" + e.getOriginalMessage() + ")",
                    "Pass a cfq model file (teacher or quantized)", e);
        }
        if (root == null || !root.path("format").isTextual()) {
            throw new InvalidInputException(option + " " + file, "it has no \"format\" field",
                    "Pass a cfq model file (teacher or quantized)");
        }
        String kind = root.get("format").asText();
        if (ModelFile.FORMAT.equals(kind)) {
            return new AnyModel(ModelFile.parse(text, file.toString()), null);
        }
        if (QuantizedModelFile.FORMAT.equals(kind)) {
            return new AnyModel(null, QuantizedModelFile.parse(text, file.toString()));
        }
        throw new InvalidInputException(option + " " + file, "its format is '" + kind + "', not '" + ModelFile.FORMAT
                + "' or '" + QuantizedModelFile.FORMAT + "'", "Pass a teacher model file or one from 'cfq quantize'");
    }
}
