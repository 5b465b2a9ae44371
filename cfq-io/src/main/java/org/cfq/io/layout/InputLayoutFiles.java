package org.cfq.io.layout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.InputLayout;
import org.cfq.io.json.Json;

/**
 * Input layout files: JSON that says what each input column of a model trained elsewhere is.
 *
 * <pre>{@code
 * {
 *   "label": "income", "favorable": ">50K",            (optional; checked against the schema)
 *   "inputs": [
 *     {"feature": "age", "transform": "standardize", "mean": 38.58, "std": 13.64},
 *     {"feature": "hours", "transform": "min_max", "min": 1, "max": 99},
 *     {"feature": "workclass", "transform": "one_hot", "level": "Private"},
 *     {"feature": "score", "transform": "pass_through"}
 *   ]
 * }
 * }</pre>
 * {@code inputs} lists the model's input columns in order. Other top-level fields (notes,
 * accuracies, tool versions) are kept for people and ignored; an unknown field inside an
 * input is an error, so a misspelt {@code "stdev"} is caught.
 */
public final class InputLayoutFiles {
    private static final Set<String> STANDARDIZE = Set.of("feature", "transform", "mean", "std");
    private static final Set<String> MIN_MAX = Set.of("feature", "transform", "min", "max");
    private static final Set<String> ONE_HOT = Set.of("feature", "transform", "level");
    private static final Set<String> PASS = Set.of("feature", "transform");

    private InputLayoutFiles() {
    }

    /** Reads a layout file. @throws InvalidInputException naming the file, the input and the field */
    public static InputLayout read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "file not found", "Check the path given to --layout");
        }
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions and that it is UTF-8 text", e);
        }
    }

    /** Parses layout JSON; {@code source} names it in messages. */
    public static InputLayout fromJson(String json, String source) {
        JsonNode root = parse(json, source);
        JsonNode inputs = root.get("inputs");
        if (!root.isObject() || inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidInputException(source + ", field 'inputs'", "expected a non-empty array of model inputs",
                    "List the model's input columns in order as {\"inputs\": [{\"feature\": ..., \"transform\": ...}, ...]}");
        }
        List<InputLayout.Column> cols = new ArrayList<>();
        for (int j = 0; j < inputs.size(); j++) {
            JsonNode n = inputs.get(j);
            String at = source + ", inputs[" + j + "]";
            if (!n.isObject()) {
                throw new InvalidInputException(at, "expected an object", "Write each input as {\"feature\": ..., "
                        + "\"transform\": ...}");
            }
            String feature = text(n, "feature", at);
            String transform = text(n, "transform", at);
            at = at + " ('" + feature + "' " + transform + ")";
            InputLayout.Transform t;
            Set<String> allowed;
            try {
                switch (transform) {
                    case "standardize", "standardise" -> {
                        t = new InputLayout.Standardize(number(n, "mean", at), number(n, "std", at));
                        allowed = STANDARDIZE;
                    }
                    case "min_max" -> {
                        t = new InputLayout.MinMax(number(n, "min", at), number(n, "max", at));
                        allowed = MIN_MAX;
                    }
                    case "one_hot" -> {
                        t = new InputLayout.OneHot(text(n, "level", at));
                        allowed = ONE_HOT;
                    }
                    case "pass_through" -> {
                        t = new InputLayout.PassThrough();
                        allowed = PASS;
                    }
                    default -> throw new InvalidInputException(at + ", field 'transform'", "unknown transform '"
                            + transform + "'", "Use standardize, min_max, one_hot or pass_through");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(at, e.getMessage(), "Give a positive std, or min < max", e);
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw new InvalidInputException(at + ", field '" + f + "'", "not a field of a " + t.id() + " input",
                            "Use only " + allowed.stream().sorted().toList());
                }
            }
            cols.add(new InputLayout.Column(feature, t));
        }
        return new InputLayout(cols);
    }

    /**
     * Checks the layout file's optional {@code label} and {@code favorable} against a schema.
     *
     * @throws InvalidInputException when they name another label or favorable value
     */
    public static void checkLabel(String json, String source, FeatureSchema schema) {
        JsonNode root = parse(json, source);
        JsonNode label = root.get("label");
        if (label != null && label.isTextual() && !label.asText().equals(schema.labelColumn())) {
            throw new InvalidInputException(source + ", field 'label'", "the model predicts '" + label.asText()
                    + "' but the schema's label is '" + schema.labelColumn() + "'",
                    "Use the schema of the data the model was trained on");
        }
        JsonNode fav = root.get("favorable");
        if (fav != null && fav.isTextual() && !fav.asText().equals(schema.favorableLabel())) {
            throw new InvalidInputException(source + ", field 'favorable'", "the model's favorable outcome is '"
                    + fav.asText() + "' but the schema's is '" + schema.favorableLabel() + "'",
                    "Use the schema of the data the model was trained on, or fix the layout");
        }
    }

    private static JsonNode parse(String json, String source) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidInputException(source + loc, "not valid JSON (" + e.getOriginalMessage() + ")",
                    "Fix the JSON syntax", e);
        }
    }

    private static String text(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidInputException(at + ", field '" + field + "'", v == null ? "missing field"
                    : "expected a string, found " + v, "Add \"" + field + "\": \"...\"");
        }
        return v.asText();
    }

    private static double number(JsonNode o, String field, String at) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) {
            throw new InvalidInputException(at + ", field '" + field + "'", v == null ? "missing field"
                    : "expected a number, found " + v, "Add \"" + field + "\": NUMBER");
        }
        return v.asDouble();
    }
}
