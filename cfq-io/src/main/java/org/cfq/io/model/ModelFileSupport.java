package org.cfq.io.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.cfq.InvalidInputException;
import org.cfq.provenance.Digests;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.json.Json;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.io.schema.SchemaFiles;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;

/**
 * What the model file formats share, so {@link ModelFile} and {@link QuantizedModelFile}
 * only describe their own sections: the envelope ({@code format}, {@code version}), the
 * {@code architecture}, {@code schema}, {@code encoder} and {@code provenance} sections,
 * base64 float32 payloads under a SHA-256, file reading, rendering, and the check that a
 * model fits a dataset.
 */
final class ModelFileSupport {
    private ModelFileSupport() {
    }

    /**
     * The envelope of one file format: its {@code format} tag and version, and what to tell
     * a user whose file has another version.
     *
     * @param format    the {@code "format"} value
     * @param version   the one version this cfq reads and writes
     * @param noun      what the file is called in messages ("cfq model file")
     * @param newerFix  the fix for a file of a newer version
     * @param olderFix  the fix for a file of an older version
     * @param corruptFix the fix for a truncated or corrupt file
     */
    record Envelope(String format, int version, String noun, String newerFix, String olderFix, String corruptFix) {
        /** {@return the field reader of a file of this format} */
        Fields fields(String source) {
            return new Fields(source, "", corruptFix);
        }

        /** Puts {@code format} and {@code version}, the first two fields of every model file. */
        ObjectNode newRoot() {
            ObjectNode root = Json.mapper().createObjectNode();
            root.put("format", format);
            root.put("version", version);
            return root;
        }

        /**
         * Parses the text and checks its format tag and version.
         *
         * @param wrongFormatFix the fix for a file of another format, given the format found
         *                       (null when the field is missing)
         * @return the root object
         * @throws ModelFormatException naming the file, on bad JSON, another format or another version
         */
        JsonNode open(String json, String source, Function<String, String> wrongFormatFix) {
            JsonNode root;
            try {
                root = Json.mapper().readTree(json);
            } catch (JsonProcessingException e) {
                String at = e.getLocation() == null ? ""
                        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
                throw new ModelFormatException(source, "it is not valid JSON" + at + " ("
                        + Json.describe(e) + ")", corruptFix, e);
            }
            if (root == null || !root.isObject()) {
                throw new ModelFormatException(source, "it is empty or not a JSON object", corruptFix);
            }
            JsonNode found = root.get("format");
            if (found == null || !format.equals(found.asText())) {
                throw new ModelFormatException(source, "it is not a " + noun + " (its \"format\" is "
                        + (found == null ? "missing" : "'" + found.asText() + "'") + ", expected '" + format + "')",
                        wrongFormatFix.apply(found == null ? null : found.asText()));
            }
            long v = fields(source).longValue(root, "version");
            if (v != version) {
                throw new ModelFormatException(source, "it was written by format version " + v
                        + "; this cfq reads version " + version, v > version ? newerFix : olderFix);
            }
            return root;
        }
    }

    /** A network's shape as the {@code architecture} section states it. */
    record Architecture(int inputDim, int[] hidden) {
        /** {@return the width of layer {@code l}'s output: a hidden width, or the two logits} */
        int fanOut(int l) {
            return l < hidden.length ? hidden[l] : Mlp.OUTPUTS;
        }
    }

    // ---- reading and rendering ----

    /**
     * Reads a file's text.
     *
     * @param what what the file is, for the message ("model file")
     * @param fix  what to do when it does not exist
     * @throws InvalidInputException when the file does not exist
     */
    static String readText(Path file, String what, String fix) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(what + " " + file, "it is a directory, not a file",
                    "Give the path of the model file inside it");
        }
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(what + " " + file, "it does not exist", fix, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException(what + " " + file, "it cannot be read (permission denied)",
                    "Make it readable (chmod u+r) or run as a user who may read it", e);
        }
    }

    /** {@return the tree as the file's text: indented, with a final newline} */
    static String render(ObjectNode root) {
        try {
            return Json.mapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree built in memory", e);
        }
    }

    // ---- architecture ----

    static void writeArchitecture(ObjectNode root, int inputDim, int[] hidden) {
        ObjectNode arch = root.putObject("architecture");
        arch.put("input_dim", inputDim);
        ArrayNode h = arch.putArray("hidden");
        for (int width : hidden) {
            h.add(width);
        }
        arch.put("outputs", Mlp.OUTPUTS);
        arch.put("activation", "relu");
    }

    static Architecture readArchitecture(JsonNode root, Fields in) {
        JsonNode archNode = in.object(root, "architecture");
        Fields archIn = in.at("architecture");
        int inputDim = archIn.intValue(archNode, "input_dim");
        double[] hiddenD = archIn.doubles(archNode, "hidden", -1);
        int[] hidden = new int[hiddenD.length];
        for (int i = 0; i < hidden.length; i++) {
            if (!(hiddenD[i] >= 1 && hiddenD[i] <= Integer.MAX_VALUE && hiddenD[i] == Math.rint(hiddenD[i]))) {
                throw in.corrupt("architecture.hidden[" + i + "]", "expected a positive integer width, found "
                        + hiddenD[i]);
            }
            hidden[i] = (int) hiddenD[i];
        }
        return new Architecture(inputDim, hidden);
    }

    /**
     * Checks the number of stored layers against the architecture.
     *
     * @param field the layer list's full field name, for the message
     */
    static void checkLayerCount(Fields in, String field, Architecture arch, int found) {
        if (found != arch.hidden().length + 1) {
            throw in.corrupt(field, "expected " + (arch.hidden().length + 1) + " layers for hidden widths "
                    + Arrays.toString(arch.hidden()) + ", found " + found);
        }
    }

    /**
     * Checks a stored layer's {@code in} and {@code out} against the architecture.
     *
     * @param field the layer's full field name, for the message
     */
    static void checkLayerShape(Fields at, String field, JsonNode layer, int fanIn, int fanOut) {
        int lin = at.intValue(layer, "in");
        int lout = at.intValue(layer, "out");
        if (lin != fanIn || lout != fanOut) {
            throw at.corrupt(field, "expected shape in=" + fanIn + ", out=" + fanOut
                    + " from the architecture, found in=" + lin + ", out=" + lout);
        }
    }

    // ---- schema, encoder and provenance ----

    /** Puts the {@code schema} and {@code encoder} sections; the schema is the encoder's. */
    static void writeSchemaAndEncoder(ObjectNode root, Encoder e) {
        root.set("schema", SchemaFiles.toTree(e.schema()));
        ObjectNode o = root.putObject("encoder");
        o.put("scaling", lower(e.scaling()));
        ArrayNode fs = o.putArray("features");
        for (int i = 0; i < e.schema().size(); i++) {
            ObjectNode f = fs.addObject();
            f.put("name", e.schema().feature(i).name());
            f.put("center", e.center(i));
            f.put("scale", e.scale(i));
            f.putArray("box").add(e.box(i).min()).add(e.box(i).max());
        }
    }

    /**
     * Reads the {@code schema} and {@code encoder} sections.
     *
     * @return the encoder, over the file's schema
     * @throws ModelFormatException also when the encoder's width is not the architecture's input width
     */
    static Encoder readSchemaAndEncoder(JsonNode root, Fields in, int inputDim) {
        FeatureSchema schema = readSchema(in.object(root, "schema"), in.at("schema"));
        Encoder encoder = readEncoder(in.object(root, "encoder"), in.at("encoder"), schema);
        if (encoder.width() != inputDim) {
            throw in.corrupt("architecture.input_dim", "the schema encodes to " + encoder.width()
                    + " columns but the network takes " + inputDim);
        }
        return encoder;
    }

    /**
     * Reads the schema section, which is exactly a schema file ({@link SchemaFiles}), so a
     * model's schema can be cut out and used with {@code --schema}; its errors are reported
     * as {@link ModelFormatException}s naming the model file and the field.
     */
    private static FeatureSchema readSchema(JsonNode o, Fields in) {
        try {
            return SchemaFiles.fromTree(o, in.where(""));
        } catch (InvalidInputException e) {
            throw new ModelFormatException(e.what(), e.problem(), in.fix(), e);
        }
    }

    private static Encoder readEncoder(JsonNode o, Fields in, FeatureSchema schema) {
        Scaling scaling = in.enumValue(o, "scaling", Scaling.class);
        JsonNode fs = in.array(o, "features");
        int n = schema.size();
        if (fs.size() != n) {
            throw in.corrupt("encoder.features", "expected one entry per schema feature (" + n + "), found "
                    + fs.size());
        }
        double[] center = new double[n];
        double[] scale = new double[n];
        Range[] box = new Range[n];
        for (int i = 0; i < n; i++) {
            Fields at = in.at("features[" + i + "]");
            JsonNode f = fs.get(i);
            String name = at.text(f, "name");
            if (!name.equals(schema.feature(i).name())) {
                throw at.corrupt("encoder.features[" + i + "].name", "expected '" + schema.feature(i).name()
                        + "' (schema order), found '" + name + "'");
            }
            center[i] = at.doubleValue(f, "center");
            scale[i] = at.doubleValue(f, "scale");
            double[] b = at.doubles(f, "box", 2);
            box[i] = at.build(() -> new Range(b[0], b[1]));
        }
        return in.build(() -> new Encoder(schema, scaling, center, scale, box));
    }

    static void writeProvenance(ObjectNode root, Provenance p) {
        root.set("provenance", ProvenanceJson.toJson(p));
    }

    static Provenance readProvenance(JsonNode root, Fields in) {
        JsonNode o = in.object(root, "provenance");
        Fields at = in.at("provenance");
        return new Provenance(at.text(o, "cfq_version"), at.longValue(o, "seed"), at.text(o, "config"),
                at.text(o, "dataset_fingerprint"), at.text(o, "java_version"), at.text(o, "os"), at.text(o, "arch"),
                at.text(o, "created_at"));
    }

    // ---- fitting a dataset ----

    /**
     * Checks that a model's schema fits a dataset's: the same feature names, kinds and
     * levels in the same order, and the same label. Actionability and ranges may differ
     * (they describe recourse, not the model's input).
     *
     * @param fix what to do when it does not fit
     * @throws ModelFormatException naming the first six differences
     */
    static void checkFits(FeatureSchema model, FeatureSchema data, String source, String fix) {
        List<String> diffs = schemaDifferences(model, data);
        if (!diffs.isEmpty()) {
            int shown = Math.min(diffs.size(), 6);
            String list = String.join("; ", diffs.subList(0, shown))
                    + (diffs.size() > shown ? "; and " + (diffs.size() - shown) + " more" : "");
            throw new ModelFormatException(source, "the model was trained on dataset '" + model.name()
                    + "' and does not fit dataset '" + data.name() + "': " + list, fix);
        }
    }

    static List<String> schemaDifferences(FeatureSchema model, FeatureSchema data) {
        List<String> d = new ArrayList<>();
        Set<String> modelNames = new LinkedHashSet<>();
        model.features().forEach(f -> modelNames.add(f.name()));
        Set<String> dataNames = new LinkedHashSet<>();
        data.features().forEach(f -> dataNames.add(f.name()));
        List<String> missing = modelNames.stream().filter(n -> !dataNames.contains(n)).toList();
        List<String> extra = dataNames.stream().filter(n -> !modelNames.contains(n)).toList();
        if (!missing.isEmpty()) {
            d.add("features " + missing + " of the model are not in the data");
        }
        if (!extra.isEmpty()) {
            d.add("features " + extra + " of the data are not in the model");
        }
        for (FeatureSpec f : model.features()) {
            int j = data.indexOf(f.name());
            if (j < 0) {
                continue;
            }
            FeatureSpec g = data.feature(j);
            if (f.kind() != g.kind()) {
                d.add("feature '" + f.name() + "' is " + lower(f.kind()) + " in the model but " + lower(g.kind())
                        + " in the data");
            } else if (!f.levels().equals(g.levels())) {
                d.add("feature '" + f.name() + "' has levels " + f.levels() + " in the model but " + g.levels()
                        + " in the data");
            }
        }
        if (d.isEmpty() && !List.copyOf(modelNames).equals(List.copyOf(dataNames))) {
            d.add("the features are in another order (model: " + modelNames + ", data: " + dataNames + ")");
        }
        if (!model.labelColumn().equals(data.labelColumn()) || !model.favorableLabel().equals(data.favorableLabel())) {
            d.add("the label is '" + model.labelColumn() + "' = '" + model.favorableLabel() + "' in the model but '"
                    + data.labelColumn() + "' = '" + data.favorableLabel() + "' in the data");
        }
        return d;
    }

    // ---- binary payloads ----

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes a base64 field that must hold exactly {@code expectedBytes} bytes.
     *
     * @throws ModelFormatException naming the field when it is not base64 or has another length
     */
    static byte[] base64Bytes(Fields at, JsonNode o, String key, long expectedBytes) {
        byte[] bytes = decodeBase64(at, o, key);
        if (bytes.length != expectedBytes) {
            throw at.corrupt(at.join(key), "expected " + expectedBytes + " bytes, found " + bytes.length);
        }
        return bytes;
    }

    /**
     * Decodes a base64 field that must hold exactly {@code floats} float32 values.
     *
     * @throws ModelFormatException naming the field when it is not base64 or has another length
     */
    static byte[] base64Floats(Fields at, JsonNode o, String key, long floats) {
        byte[] bytes = decodeBase64(at, o, key);
        if (bytes.length != floats * Float.BYTES) {
            throw at.corrupt(at.join(key), "expected " + floats + " float32 values (" + floats * Float.BYTES
                    + " bytes), found " + bytes.length + " bytes");
        }
        return bytes;
    }

    private static byte[] decodeBase64(Fields at, JsonNode o, String key) {
        String text = at.text(o, key);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw at.corrupt(at.join(key), "not valid base64 (" + e.getMessage() + ")");
        }
    }

    /** {@return the values as little-endian IEEE-754 float32 bytes} */
    static byte[] toBytes(float[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        return b.array();
    }

    /** {@return the floats of little-endian IEEE-754 float32 bytes} */
    static float[] toFloats(byte[] bytes) {
        float[] a = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        return a;
    }

    static MessageDigest sha256() {
        return Digests.sha256();
    }

    static String hex(MessageDigest md) {
        return Digests.hex(md);
    }

    /**
     * Checks a payload section's {@code encoding} field.
     *
     * @param field    the field's path, for the message ("weights.encoding")
     * @param what     what the encoding is called in the message ("weight encoding")
     * @param expected the one encoding this format version has
     * @throws ModelFormatException naming the field, the encoding found and the expected one
     */
    static void checkEncoding(JsonNode o, Fields in, String field, String what, String expected) {
        String encoding = in.text(o, "encoding");
        if (!encoding.equals(expected)) {
            throw in.corrupt(field, "unknown " + what + " '" + encoding + "'; expected '" + expected + "'");
        }
    }

    /**
     * Checks a section's stored checksum against the one computed while reading it.
     *
     * @param what the checksummed parts, for the message ("the weights")
     * @throws ModelFormatException naming the {@code sha256} field when they differ
     */
    static void checkDigest(JsonNode o, Fields in, String field, MessageDigest md, String what) {
        String expected = in.text(o, "sha256");
        String actual = hex(md);
        if (!actual.equalsIgnoreCase(expected)) {
            throw in.corrupt(field, what + " do not match their checksum (stored " + expected
                    + ", computed " + actual + ")");
        }
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
