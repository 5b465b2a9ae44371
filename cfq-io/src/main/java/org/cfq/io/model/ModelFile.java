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
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.train.EarlyStopping;
import org.cfq.train.TrainingConfig;

/**
 * The cfq model file, format version {@value #VERSION}: one JSON object that describes
 * itself completely.
 *
 * <pre>
 * {
 *   "format": "cfq-model", "version": 1, "kind": "mlp" | "logistic",
 *   "architecture": {"input_dim": 57, "hidden": [128, 64], "outputs": 2, "activation": "relu"},
 *   "schema":   a schema file: {"name", "labelColumn", "favorableLabel", "features": [...]},
 *   "encoder":  {"scaling": "standard", "features": [{"name", "center", "scale", "box": [min, max]}]},
 *   "training": {"hidden", "learning_rate", "weight_decay", "batch_size", "max_epochs", "patience", "stopping", "seed"},
 *   "seed": 0,
 *   "provenance": {"cfq_version", "seed", "config", "dataset_fingerprint", "java_version", "os", "arch", "created_at"},
 *   "weights": {"encoding": "base64-float32-le", "sha256": "...",
 *               "layers": [{"in", "out", "weight": "...", "bias": "..."}]}
 * }
 * </pre>
 *
 * <p>Weights are the raw little-endian IEEE-754 float32 bytes, base64-encoded, so a loaded
 * model computes bit-identical logits; {@code weights.sha256} covers those bytes, layer by
 * layer, weight then bias, so a damaged character is caught. Encoder centers and scales
 * are doubles, which JSON carries exactly (shortest round-trip decimal).
 *
 * <p>Files are written atomically. Readers reject a file with a
 * {@link ModelFormatException} naming the file and the field at fault.
 */
public final class ModelFile {
    public static final String FORMAT = "cfq-model";
    public static final int VERSION = 1;
    public static final String KIND_MLP = "mlp";
    public static final String KIND_LOGISTIC = "logistic";
    static final String WEIGHT_ENCODING = "base64-float32-le";

    private ModelFile() {
    }

    /** Writes the model to {@code file} atomically (a reader never sees a half-written file). */
    public static void write(Path file, SavedModel model) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }

    /** {@return the model file's JSON text} */
    public static String toJson(SavedModel m) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("kind", m.kind());
        ObjectNode arch = root.putObject("architecture");
        arch.put("input_dim", m.model().inputDim());
        ArrayNode hidden = arch.putArray("hidden");
        for (int h : m.model().hiddenSizes()) {
            hidden.add(h);
        }
        arch.put("outputs", Mlp.OUTPUTS);
        arch.put("activation", "relu");
        root.set("schema", SchemaJson.write(m.schema()));
        root.set("encoder", writeEncoder(m.encoder()));
        root.set("training", writeTraining(m.training()));
        root.put("seed", m.training().seed());
        root.set("provenance", ProvenanceJson.toJson(m.provenance()));
        root.set("weights", writeWeights(m.model()));
        try {
            return Json.mapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree built in memory", e);
        }
    }

    /**
     * Reads a model file.
     *
     * @throws ModelFormatException when the file is not a readable cfq model of this format version
     * @throws InvalidInputException when the file does not exist
     * @throws IOException on other read failures
     */
    public static SavedModel read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("model file " + file, "it does not exist",
                    "Check the path, or train a model first with 'cfq train --out " + file + "'", e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Reads a model file and checks that it fits a dataset's schema.
     *
     * @throws ModelFormatException also when the model was trained on other features
     */
    public static SavedModel read(Path file, FeatureSchema dataSchema) throws IOException {
        SavedModel m = read(file);
        checkSchema(m, dataSchema, file.toString());
        return m;
    }

    /**
     * Parses model-file text.
     *
     * @param source the file name for error messages
     */
    public static SavedModel parse(String json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ModelFormatException(source, "it is not valid JSON" + at + " ("
                    + e.getOriginalMessage() + ")", Fields.FIX_CORRUPT, e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source, "it is empty or not a JSON object", Fields.FIX_CORRUPT);
        }
        Fields in = new Fields(source, "");
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            throw new ModelFormatException(source, "it is not a cfq model file (its \"format\" is "
                    + (format == null ? "missing" : "'" + format.asText() + "'") + ", expected '" + FORMAT + "')",
                    "Pass a file written by 'cfq train --out'");
        }
        long version = in.longValue(root, "version");
        if (version != VERSION) {
            throw new ModelFormatException(source, "it was written by format version " + version
                    + "; this cfq reads version " + VERSION,
                    version > VERSION ? "Upgrade cfq or re-export the model" : "Re-export the model with this cfq");
        }
        String kind = in.text(root, "kind");
        if (!kind.equals(KIND_MLP) && !kind.equals(KIND_LOGISTIC)) {
            throw in.corrupt("kind", "unknown model kind '" + kind + "'; expected 'mlp' or 'logistic'");
        }
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
        if ((hidden.length == 0) != kind.equals(KIND_LOGISTIC)) {
            throw in.corrupt("kind", "kind '" + kind + "' disagrees with " + hidden.length + " hidden layers");
        }
        FeatureSchema schema = SchemaJson.read(in.object(root, "schema"), in.at("schema"));
        Encoder encoder = readEncoder(in.object(root, "encoder"), in.at("encoder"), schema);
        if (encoder.width() != inputDim) {
            throw in.corrupt("architecture.input_dim", "the schema encodes to " + encoder.width()
                    + " columns but the network takes " + inputDim);
        }
        TrainingConfig training = readTraining(in.object(root, "training"), in.at("training"));
        Provenance provenance = readProvenance(in.object(root, "provenance"), in.at("provenance"));
        Mlp model = readWeights(in.object(root, "weights"), in.at("weights"), inputDim, hidden);
        return in.build(() -> new SavedModel(model, encoder, training, provenance));
    }

    /**
     * Checks that a model fits a dataset: the same feature names, kinds and levels in the
     * same order, and the same label. Actionability and ranges may differ (they describe
     * recourse, not the model's input).
     *
     * @throws ModelFormatException naming the features that differ
     */
    public static void checkSchema(SavedModel m, FeatureSchema data, String source) {
        List<String> diffs = schemaDifferences(m.schema(), data);
        if (!diffs.isEmpty()) {
            int shown = Math.min(diffs.size(), 6);
            String list = String.join("; ", diffs.subList(0, shown))
                    + (diffs.size() > shown ? "; and " + (diffs.size() - shown) + " more" : "");
            throw new ModelFormatException(source, "the model was trained on dataset '" + m.schema().name()
                    + "' and does not fit dataset '" + data.name() + "': " + list,
                    "Use the model with the dataset it was trained on, or train one for this dataset with "
                            + "'cfq train --dataset " + data.name() + "'");
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

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    // ---- encoder ----

    static ObjectNode writeEncoder(Encoder e) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("scaling", lower(e.scaling()));
        ArrayNode fs = o.putArray("features");
        for (int i = 0; i < e.schema().size(); i++) {
            ObjectNode f = fs.addObject();
            f.put("name", e.schema().feature(i).name());
            f.put("center", e.center(i));
            f.put("scale", e.scale(i));
            f.putArray("box").add(e.box(i).min()).add(e.box(i).max());
        }
        return o;
    }

    static Encoder readEncoder(JsonNode o, Fields in, FeatureSchema schema) {
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

    // ---- training config and provenance ----

    private static ObjectNode writeTraining(TrainingConfig c) {
        ObjectNode o = Json.mapper().createObjectNode();
        ArrayNode h = o.putArray("hidden");
        c.hidden().forEach(h::add);
        o.put("learning_rate", c.learningRate());
        o.put("weight_decay", c.weightDecay());
        o.put("batch_size", c.batchSize());
        o.put("max_epochs", c.maxEpochs());
        o.put("patience", c.patience());
        o.put("stopping", lower(c.stopping()));
        o.put("seed", c.seed());
        return o;
    }

    private static TrainingConfig readTraining(JsonNode o, Fields in) {
        double[] hd = in.doubles(o, "hidden", -1);
        List<Integer> hidden = new ArrayList<>();
        for (double v : hd) {
            hidden.add((int) v);
        }
        double lr = in.doubleValue(o, "learning_rate");
        double wd = in.doubleValue(o, "weight_decay");
        int batch = in.intValue(o, "batch_size");
        int epochs = in.intValue(o, "max_epochs");
        int patience = in.intValue(o, "patience");
        EarlyStopping stopping = in.enumValue(o, "stopping", EarlyStopping.class);
        long seed = in.longValue(o, "seed");
        return in.build(() -> new TrainingConfig(hidden, lr, wd, batch, epochs, patience, stopping, seed));
    }

    static Provenance readProvenance(JsonNode o, Fields in) {
        return new Provenance(in.text(o, "cfq_version"), in.longValue(o, "seed"), in.text(o, "config"),
                in.text(o, "dataset_fingerprint"), in.text(o, "java_version"), in.text(o, "os"), in.text(o, "arch"),
                in.text(o, "created_at"));
    }

    // ---- weights ----

    private static ObjectNode writeWeights(Mlp net) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("encoding", WEIGHT_ENCODING);
        MessageDigest md = sha256();
        ArrayNode layers = Json.mapper().createArrayNode();
        for (DenseLayer l : net.layers()) {
            byte[] w = toBytes(l.weight());
            byte[] b = toBytes(l.bias());
            md.update(w);
            md.update(b);
            ObjectNode lo = layers.addObject();
            lo.put("in", l.in());
            lo.put("out", l.out());
            lo.put("weight", Base64.getEncoder().encodeToString(w));
            lo.put("bias", Base64.getEncoder().encodeToString(b));
        }
        o.put("sha256", HexFormat.of().formatHex(md.digest()));
        o.set("layers", layers);
        return o;
    }

    private static Mlp readWeights(JsonNode o, Fields in, int inputDim, int[] hidden) {
        String encoding = in.text(o, "encoding");
        if (!encoding.equals(WEIGHT_ENCODING)) {
            throw in.corrupt("weights.encoding", "unknown weight encoding '" + encoding + "'; expected '"
                    + WEIGHT_ENCODING + "'");
        }
        JsonNode layers = in.array(o, "layers");
        if (layers.size() != hidden.length + 1) {
            throw in.corrupt("weights.layers", "expected " + (hidden.length + 1) + " layers for hidden widths "
                    + java.util.Arrays.toString(hidden) + ", found " + layers.size());
        }
        MessageDigest md = sha256();
        List<DenseLayer> out = new ArrayList<>();
        int fanIn = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            Fields at = in.at("layers[" + l + "]");
            JsonNode lo = layers.get(l);
            int fanOut = l < hidden.length ? hidden[l] : Mlp.OUTPUTS;
            int lin = at.intValue(lo, "in");
            int lout = at.intValue(lo, "out");
            if (lin != fanIn || lout != fanOut) {
                throw at.corrupt("weights.layers[" + l + "]", "expected shape in=" + fanIn + ", out=" + fanOut
                        + " from the architecture, found in=" + lin + ", out=" + lout);
            }
            byte[] w = decode(at, lo, "weight", (long) fanIn * fanOut);
            byte[] b = decode(at, lo, "bias", fanOut);
            md.update(w);
            md.update(b);
            int fi = fanIn;
            out.add(at.build(() -> new DenseLayer(fi, fanOut, toFloats(w), toFloats(b))));
            fanIn = fanOut;
        }
        String expected = in.text(o, "sha256");
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw in.corrupt("weights.sha256", "the weights do not match their checksum (stored " + expected
                    + ", computed " + actual + ")");
        }
        return in.build(() -> new Mlp(out));
    }

    private static byte[] decode(Fields at, JsonNode lo, String key, long floats) {
        String text = at.text(lo, key);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw at.corrupt(at.join(key), "not valid base64 (" + e.getMessage() + ")");
        }
        if (bytes.length != floats * Float.BYTES) {
            throw at.corrupt(at.join(key), "expected " + floats + " float32 values (" + floats * Float.BYTES
                    + " bytes), found " + bytes.length + " bytes");
        }
        return bytes;
    }

    static byte[] toBytes(float[] a) {
        ByteBuffer b = ByteBuffer.allocate(a.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(a);
        return b.array();
    }

    static float[] toFloats(byte[] bytes) {
        float[] a = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
        return a;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
