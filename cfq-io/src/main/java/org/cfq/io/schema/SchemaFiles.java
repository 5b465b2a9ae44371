package org.cfq.io.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Range;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;

/**
 * Schema files and actionability rules files, as JSON.
 *
 * <p>A schema file:
 * <pre>{@code
 * {
 *   "name": "loans",
 *   "labelColumn": "approved",
 *   "favorableLabel": "yes",
 *   "features": [
 *     {"name": "age", "kind": "integer", "actionability": "immutable", "range": {"min": 18, "max": 90}},
 *     {"name": "income", "kind": "continuous", "actionability": "free"},
 *     {"name": "housing", "kind": "categorical", "levels": ["rent", "own"], "actionability": "free"}
 *   ]
 * }
 * }</pre>
 * Kinds and actionabilities are written in lower case and read in any case; {@code levels}
 * is required for binary (exactly 2), categorical and ordinal (in order) features and
 * absent otherwise; {@code range} is optional for numeric features.
 *
 * <p>The natural domain (issue #11) is optional: per feature {@code "natural": {"min": 0,
 * "max": 99, "step": 1}} for numeric kinds (min or max left out: no bound; step 0: any real
 * value; an integer feature's step defaults to 1) or {@code "natural": {"notTargets": ["unknown"],
 * "forbidden": [{"from": "own", "to": "rent"}]}} for level kinds; and at the top level
 * {@code "rules": [{"if": "relationship", "ifLevels": ["Husband"], "then": "sex",
 * "thenLevels": ["Male"], "reason": "..."}]}. A schema without them gets the box alone.
 *
 * <p>An actionability rules file ({@code --actions FILE}) maps feature names to
 * actionabilities: {@code {"age": "immutable", "education-num": "increase_only"}};
 * features it does not name keep the schema's actionability.
 */
public final class SchemaFiles {
    private SchemaFiles() {
    }

    /** Reads a schema file. @throws InvalidInputException naming the file, the field and the allowed values */
    public static FeatureSchema read(Path file) {
        return fromJson(readText(file, "--schema"), file.toString());
    }

    /** Writes a schema file atomically. */
    public static void write(Path file, FeatureSchema schema) throws IOException {
        AtomicFiles.writeString(file, toJson(schema));
    }

    /** The schema as JSON text in the file format. */
    public static String toJson(FeatureSchema schema) {
        try {
            return Json.mapper().writeValueAsString(toTree(schema)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render schema '" + schema.name() + "'", e);
        }
    }

    /**
     * The schema as a JSON tree in the file format: the one writer of schema JSON, which
     * model files embed as their {@code schema} section.
     */
    public static ObjectNode toTree(FeatureSchema schema) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("name", schema.name());
        root.put("labelColumn", schema.labelColumn());
        root.put("favorableLabel", schema.favorableLabel());
        ArrayNode feats = root.putArray("features");
        for (FeatureSpec f : schema.features()) {
            ObjectNode n = feats.addObject();
            n.put("name", f.name());
            n.put("kind", lower(f.kind()));
            if (!f.levels().isEmpty()) {
                ArrayNode lv = n.putArray("levels");
                f.levels().forEach(lv::add);
            }
            if (f.range() != null) {
                ObjectNode r = n.putObject("range");
                r.put("min", f.range().min());
                r.put("max", f.range().max());
            }
            n.put("actionability", lower(f.actionability()));
            if (f.natural() != null) {
                naturalToTree(f.natural(), n.putObject("natural"));
            }
        }
        if (!schema.rules().isEmpty()) {
            ArrayNode rules = root.putArray("rules");
            for (ConsistencyRule r : schema.rules()) {
                ObjectNode o = rules.addObject();
                o.put("if", r.ifFeature());
                r.ifLevels().forEach(o.putArray("ifLevels")::add);
                o.put("then", r.thenFeature());
                r.thenLevels().forEach(o.putArray("thenLevels")::add);
                if (!r.reason().isEmpty()) {
                    o.put("reason", r.reason());
                }
            }
        }
        return root;
    }

    private static void naturalToTree(NaturalDomain d, ObjectNode n) {
        if (d.isNumeric()) {
            if (Double.isFinite(d.min())) {
                n.put("min", d.min());
            }
            if (Double.isFinite(d.max())) {
                n.put("max", d.max());
            }
            n.put("step", d.step());
            return;
        }
        ArrayNode nt = n.putArray("notTargets");
        d.notTargets().forEach(nt::add);
        ArrayNode fb = n.putArray("forbidden");
        for (NaturalDomain.Transition t : d.forbidden()) {
            fb.addObject().put("from", t.from()).put("to", t.to());
        }
    }

    private static NaturalDomain naturalFromTree(JsonNode n, FeatureKind kind, String at) {
        String fix = kind.hasLevels()
                ? "Write {\"notTargets\": [levels never advised], \"forbidden\": [{\"from\": level, \"to\": level}]}"
                : "Write {\"min\": number, \"max\": number, \"step\": number} (min/max may be left out for "
                        + "no bound, step 0 for continuous values)";
        if (!n.isObject()) {
            throw new InvalidInputException(at, "expected an object", fix);
        }
        knownKeys(n, kind.hasLevels() ? NATURAL_LEVEL_KEYS : NATURAL_NUMERIC_KEYS, at);
        try {
            if (kind.hasLevels()) {
                java.util.Set<String> notTargets = new java.util.LinkedHashSet<>(strings(n.get("notTargets"),
                        at + ".notTargets"));
                List<NaturalDomain.Transition> forbidden = new ArrayList<>();
                JsonNode fb = n.get("forbidden");
                if (fb != null && !fb.isNull()) {
                    if (!fb.isArray()) {
                        throw new InvalidInputException(at + ".forbidden", "expected an array", fix);
                    }
                    for (JsonNode t : fb) {
                        if (!t.path("from").isTextual() || !t.path("to").isTextual()) {
                            throw new InvalidInputException(at + ".forbidden", "each transition needs text 'from' and "
                                    + "'to', found " + t, fix);
                        }
                        forbidden.add(new NaturalDomain.Transition(t.get("from").asText(), t.get("to").asText()));
                    }
                }
                return NaturalDomain.levels(notTargets, forbidden);
            }
            double min = number(n, "min", Double.NEGATIVE_INFINITY, at, fix);
            double max = number(n, "max", Double.POSITIVE_INFINITY, at, fix);
            double step = number(n, "step", kind == FeatureKind.INTEGER ? 1 : 0, at, fix);
            return NaturalDomain.numeric(min, max, step);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(at, e.getMessage(), fix, e);
        }
    }

    private static double number(JsonNode n, String field, double absent, String at, String fix) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber()) {
            throw new InvalidInputException(at + "." + field, "expected a number, found " + v, fix);
        }
        return v.asDouble();
    }

    private static List<String> strings(JsonNode arr, String at) {
        List<String> out = new ArrayList<>();
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw new InvalidInputException(at, "expected an array of strings", "Write [\"a\", \"b\"]");
        }
        for (JsonNode l : arr) {
            if (!l.isTextual()) {
                throw new InvalidInputException(at, "level " + l + " is not a string", "Quote every level name");
            }
            out.add(l.asText());
        }
        return out;
    }

    /**
     * Parses a schema from JSON text.
     *
     * @param source the file name for messages
     */
    public static FeatureSchema fromJson(String json, String source) {
        return fromTree(parse(json, source), source);
    }

    /**
     * Reads a schema from a parsed JSON tree in the file format: the one reader of schema
     * JSON, which model files use for their {@code schema} section.
     *
     * @param source where the tree came from, for messages
     * @throws InvalidInputException naming the source, the field and the allowed values
     */
    public static FeatureSchema fromTree(JsonNode root, String source) {
        if (!root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object at the top level",
                    "Write the schema as {\"name\": ..., \"labelColumn\": ..., \"favorableLabel\": ..., \"features\": [...]}");
        }
        knownKeys(root, ROOT_KEYS, source);
        String name = text(root, "name", source);
        String label = text(root, "labelColumn", source);
        String favorable = text(root, "favorableLabel", source);
        JsonNode feats = root.get("features");
        if (feats == null || !feats.isArray() || feats.isEmpty()) {
            throw new InvalidInputException(source + ", field 'features'",
                    feats == null ? "missing field" : "expected a non-empty array",
                    "List the input features as [{\"name\": ..., \"kind\": ..., \"actionability\": ...}, ...]");
        }
        List<FeatureSpec> specs = new ArrayList<>();
        for (int i = 0; i < feats.size(); i++) {
            JsonNode n = feats.get(i);
            String at = source + ", features[" + i + "]";
            if (!n.isObject()) {
                throw new InvalidInputException(at, "expected an object", "Write each feature as {\"name\": ..., ...}");
            }
            String fname = text(n, "name", at);
            at = at + " ('" + fname + "')";
            knownKeys(n, FEATURE_KEYS, at);
            FeatureKind kind = enumValue(FeatureKind.class, text(n, "kind", at), at + ", field 'kind'", "kind");
            Actionability act = enumValue(Actionability.class, text(n, "actionability", at),
                    at + ", field 'actionability'", "actionability");
            List<String> levels = new ArrayList<>();
            JsonNode lv = n.get("levels");
            if (lv != null) {
                if (!lv.isArray()) {
                    throw new InvalidInputException(at + ", field 'levels'", "expected an array of strings",
                            "Write the levels as [\"a\", \"b\"]");
                }
                for (JsonNode l : lv) {
                    if (!l.isTextual()) {
                        throw new InvalidInputException(at + ", field 'levels'", "level " + l + " is not a string",
                                "Quote every level name");
                    }
                    levels.add(l.asText());
                }
            }
            Range range = null;
            JsonNode r = n.get("range");
            if (r != null && !r.isNull()) {
                if (r.isObject()) {
                    knownKeys(r, RANGE_KEYS, at + ", field 'range'");
                }
                if (!r.isObject() || !r.path("min").isNumber() || !r.path("max").isNumber()) {
                    throw new InvalidInputException(at + ", field 'range'", "expected {\"min\": number, \"max\": number}",
                            "Write the range with numeric min and max, or leave it out to use the training data's");
                }
                try {
                    range = new Range(r.get("min").asDouble(), r.get("max").asDouble());
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(at + ", field 'range'", e.getMessage(), "Use finite bounds with min <= max", e);
                }
            }
            NaturalDomain natural = null;
            JsonNode nat = n.get("natural");
            if (nat != null && !nat.isNull()) {
                natural = naturalFromTree(nat, kind, at + ", field 'natural'");
            }
            try {
                specs.add(new FeatureSpec(fname, kind, levels, range, act, natural));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(at, e.getMessage(),
                        "Give 'levels' (exactly 2 for binary, at least 1 for categorical and ordinal) only for level "
                                + "kinds, and 'range' only for numeric kinds", e);
            }
        }
        List<ConsistencyRule> rules = new ArrayList<>();
        JsonNode rs = root.get("rules");
        if (rs != null && !rs.isNull()) {
            String rfix = "Write each rule as {\"if\": feature, \"ifLevels\": [...], \"then\": feature, "
                    + "\"thenLevels\": [...], \"reason\": text}";
            if (!rs.isArray()) {
                throw new InvalidInputException(source + ", field 'rules'", "expected an array", rfix);
            }
            for (int i = 0; i < rs.size(); i++) {
                JsonNode r = rs.get(i);
                String at = source + ", rules[" + i + "]";
                if (!r.isObject()) {
                    throw new InvalidInputException(at, "expected an object", rfix);
                }
                knownKeys(r, RULE_KEYS, at);
                try {
                    rules.add(new ConsistencyRule(text(r, "if", at), new java.util.LinkedHashSet<>(
                            strings(r.get("ifLevels"), at + ".ifLevels")), text(r, "then", at),
                            new java.util.LinkedHashSet<>(strings(r.get("thenLevels"), at + ".thenLevels")),
                            r.path("reason").asText("")));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(at, e.getMessage(), rfix, e);
                }
            }
        }
        try {
            return new FeatureSchema(name, specs, label, favorable, rules);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, e.getMessage(), "Give every feature a distinct name, "
                    + "different from the label column, and name only existing features and levels in 'rules'", e);
        }
    }

    /**
     * Reads an actionability rules file: a JSON object from feature name to actionability.
     *
     * @throws InvalidInputException naming the file, the feature and the allowed values
     */
    public static Map<String, Actionability> readActions(Path file) {
        return actionsFromJson(readText(file, "--actions"), file.toString());
    }

    /** Parses actionability rules from JSON text; {@code source} names it in messages. */
    public static Map<String, Actionability> actionsFromJson(String json, String source) {
        JsonNode root = parse(json, source);
        if (!root.isObject()) {
            throw new InvalidInputException(source, "expected a JSON object from feature name to actionability",
                    "Write e.g. {\"age\": \"immutable\", \"education-num\": \"increase_only\"}");
        }
        Map<String, Actionability> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String at = source + ", feature '" + e.getKey() + "'";
            if (!e.getValue().isTextual()) {
                throw new InvalidInputException(at, "expected a string, found " + e.getValue(),
                        "Use one of " + allowed(Actionability.class));
            }
            out.put(e.getKey(), enumValue(Actionability.class, e.getValue().asText(), at, "actionability"));
        }
        return out;
    }

    /** Writes actionability rules atomically. */
    public static void writeActions(Path file, Map<String, Actionability> rules) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        rules.forEach((k, v) -> root.put(k, lower(v)));
        AtomicFiles.writeString(file, Json.mapper().writeValueAsString(root) + "\n");
    }

    /**
     * Applies actionability rules to a schema.
     *
     * @param source the rules' origin for messages
     * @throws InvalidInputException when a rule names a feature the schema lacks
     */
    public static FeatureSchema applyActions(FeatureSchema schema, Map<String, Actionability> rules, String source) {
        for (String n : rules.keySet()) {
            if (schema.indexOf(n) < 0) {
                throw new InvalidInputException(source + ", feature '" + n + "'", "dataset '" + schema.name()
                        + "' has no such feature; its features are "
                        + schema.features().stream().map(FeatureSpec::name).toList(),
                        "Use one of those names");
            }
        }
        return schema.withActionability(rules);
    }

    /** The fields a schema file may have at the top level, in a feature and in a range. */
    static final Set<String> ROOT_KEYS = Set.of("name", "labelColumn", "favorableLabel", "features", "rules");
    static final Set<String> FEATURE_KEYS = Set.of("name", "kind", "levels", "range", "actionability", "natural");
    static final Set<String> RANGE_KEYS = Set.of("min", "max");
    static final Set<String> NATURAL_NUMERIC_KEYS = Set.of("min", "max", "step");
    static final Set<String> NATURAL_LEVEL_KEYS = Set.of("notTargets", "forbidden");
    static final Set<String> RULE_KEYS = Set.of("if", "ifLevels", "then", "thenLevels", "reason");

    /**
     * A field the format does not have is an error, not silently ignored: a misspelled
     * {@code "rnage"} would otherwise drop the user's range without a word.
     */
    private static void knownKeys(JsonNode obj, Set<String> allowed, String at) {
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            String k = e.getKey();
            if (!allowed.contains(k)) {
                String near = nearest(k, allowed);
                throw new InvalidInputException(at + ", field '" + k + "'", "unknown field"
                        + (near == null ? "" : " (did you mean '" + near + "'?)"),
                        "Use only the fields " + new java.util.TreeSet<>(allowed) + (near == null ? ""
                                : ": rename it to '" + near + "'") + ", or remove it");
            }
        }
    }

    /** The allowed name within edit distance 2 of {@code k}, if any. */
    private static String nearest(String k, Set<String> allowed) {
        String best = null;
        int bestD = 3;
        for (String a : new java.util.TreeSet<>(allowed)) {
            int d = editDistance(k.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best;
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent swaps, so "rnage" is 1 from "range"). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String readText(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "file not found", "Check the path given to " + option);
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions and that it is UTF-8 text", e);
        }
    }

    private static JsonNode parse(String json, String source) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            String loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new InvalidInputException(source + loc, "not valid JSON (" + Json.describe(e) + ")",
                    "Fix the JSON syntax", e);
        }
    }

    private static String text(JsonNode obj, String field, String at) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(at + ", field '" + field + "'", "missing field",
                    "Add \"" + field + "\": \"...\"");
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(at + ", field '" + field + "'", "expected a string, found " + v,
                    "Quote the value");
        }
        return v.asText();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String at, String what) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(at, "unknown " + what + " '" + value + "'", "Use one of " + allowed(type), e);
        }
    }

    private static <E extends Enum<E>> String allowed(Class<E> type) {
        return String.join(", ", Arrays.stream(type.getEnumConstants()).map(SchemaFiles::lower).toList());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
