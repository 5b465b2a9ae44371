package org.cfq.io.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFileSupport.Architecture;
import org.cfq.io.model.ModelFileSupport.Envelope;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.provenance.ImportSource;
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
 *     (a model cfq trained) or
 *   "imported": {"format", "file", "sha256", "producer_name", "producer_version", "opset", "output", "layout_sha256"},
 *     (a model imported by 'cfq import': never both)
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
    private static final Envelope ENVELOPE = new Envelope(FORMAT, VERSION, "cfq model file",
            "Upgrade cfq or re-export the model", "Re-export the model with this cfq", Fields.FIX_CORRUPT);

    private ModelFile() {
    }

    /** Writes the model to {@code file} atomically (a reader never sees a half-written file). */
    public static void write(Path file, SavedModel model) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }

    /** {@return the model file's JSON text} */
    public static String toJson(SavedModel m) {
        return ModelFileSupport.render(tree(m));
    }

    /**
     * {@return the SHA-256 (hex) of what the model is: the file's content without the
     * provenance fields that describe the writing (when, on which JDK and OS)}, so a
     * byte-identical retrain has the same checksum. A quantized model records its teacher by
     * this checksum.
     */
    public static String contentSha256(SavedModel m) {
        ObjectNode root = tree(m);
        if (root.get("provenance") instanceof ObjectNode p) {
            p.remove(List.of("created_at", "java_version", "os", "arch"));
        }
        MessageDigest md = ModelFileSupport.sha256();
        md.update(ModelFileSupport.render(root).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return ModelFileSupport.hex(md);
    }

    private static ObjectNode tree(SavedModel m) {
        ObjectNode root = ENVELOPE.newRoot();
        root.put("kind", m.kind());
        ModelFileSupport.writeArchitecture(root, m.model().inputDim(), m.model().hiddenSizes());
        ModelFileSupport.writeSchemaAndEncoder(root, m.encoder());
        if (m.origin() instanceof ModelOrigin.Trained t) {
            root.set("training", writeTraining(t.config()));
        } else if (m.origin() instanceof ModelOrigin.Imported i) {
            root.set("imported", writeImported(i.source()));
        }
        root.put("seed", m.origin() instanceof ModelOrigin.Trained t ? t.config().seed() : m.provenance().seed());
        ModelFileSupport.writeProvenance(root, m.provenance());
        root.set("weights", writeWeights(m.model()));
        return root;
    }

    /**
     * Reads a model file.
     *
     * @throws ModelFormatException when the file is not a readable cfq model of this format version
     * @throws InvalidInputException when the file does not exist
     * @throws IOException on other read failures
     */
    public static SavedModel read(Path file) throws IOException {
        return parse(ModelFileSupport.readText(file, "model file",
                "Check the path, or train a model first with 'cfq train --out " + file + "'"), file.toString());
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
        JsonNode root = ENVELOPE.open(json, source, found -> "Pass a file written by 'cfq train --out'");
        Fields in = ENVELOPE.fields(source);
        String kind = in.text(root, "kind");
        if (!kind.equals(KIND_MLP) && !kind.equals(KIND_LOGISTIC)) {
            throw in.corrupt("kind", "unknown model kind '" + kind + "'; expected 'mlp' or 'logistic'");
        }
        Architecture arch = ModelFileSupport.readArchitecture(root, in);
        if ((arch.hidden().length == 0) != kind.equals(KIND_LOGISTIC)) {
            throw in.corrupt("kind", "kind '" + kind + "' disagrees with " + arch.hidden().length + " hidden layers");
        }
        Encoder encoder = ModelFileSupport.readSchemaAndEncoder(root, in, arch.inputDim());
        ModelOrigin origin;
        if (root.has("imported")) {
            if (root.has("training")) {
                throw in.corrupt("imported", "a model file holds either 'training' (trained by cfq) or 'imported', "
                        + "not both");
            }
            origin = new ModelOrigin.Imported(readImported(in.object(root, "imported"), in.at("imported")));
        } else {
            origin = new ModelOrigin.Trained(readTraining(in.object(root, "training"), in.at("training")));
        }
        Provenance provenance = ModelFileSupport.readProvenance(root, in);
        Mlp model = readWeights(in.object(root, "weights"), in.at("weights"), arch);
        ModelOrigin o = origin;
        return in.build(() -> new SavedModel(model, encoder, o, provenance));
    }

    /**
     * Checks that a model fits a dataset: the same feature names, kinds and levels in the
     * same order, and the same label. Actionability and ranges may differ (they describe
     * recourse, not the model's input).
     *
     * @throws ModelFormatException naming the features that differ
     */
    public static void checkSchema(SavedModel m, FeatureSchema data, String source) {
        ModelFileSupport.checkFits(m.schema(), data, source,
                "Use the model with the dataset it was trained on, or train one for this dataset with "
                        + "'cfq train --dataset " + data.name() + "'");
    }

    // ---- training config ----

    private static ObjectNode writeTraining(TrainingConfig c) {
        ObjectNode o = Json.mapper().createObjectNode();
        ArrayNode h = o.putArray("hidden");
        c.hidden().forEach(h::add);
        o.put("learning_rate", c.learningRate());
        o.put("weight_decay", c.weightDecay());
        o.put("batch_size", c.batchSize());
        o.put("max_epochs", c.maxEpochs());
        o.put("patience", c.patience());
        o.put("stopping", ModelFileSupport.lower(c.stopping()));
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

    // ---- import source ----

    private static ObjectNode writeImported(ImportSource s) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("format", s.format());
        o.put("file", s.file());
        o.put("sha256", s.sha256());
        o.put("producer_name", s.producerName());
        o.put("producer_version", s.producerVersion());
        o.put("opset", s.opset());
        o.put("output", s.output());
        o.put("layout_sha256", s.layoutSha256());
        return o;
    }

    private static ImportSource readImported(JsonNode o, Fields in) {
        return in.build(() -> new ImportSource(in.text(o, "format"), in.text(o, "file"), in.text(o, "sha256"),
                in.text(o, "producer_name"), in.text(o, "producer_version"), in.intValue(o, "opset"),
                in.text(o, "output"), in.text(o, "layout_sha256")));
    }

    // ---- weights ----

    private static ObjectNode writeWeights(Mlp net) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("encoding", WEIGHT_ENCODING);
        MessageDigest md = ModelFileSupport.sha256();
        ArrayNode layers = Json.mapper().createArrayNode();
        for (DenseLayer l : net.layers()) {
            byte[] w = ModelFileSupport.toBytes(l.weight());
            byte[] b = ModelFileSupport.toBytes(l.bias());
            md.update(w);
            md.update(b);
            ObjectNode lo = layers.addObject();
            lo.put("in", l.in());
            lo.put("out", l.out());
            lo.put("weight", ModelFileSupport.base64(w));
            lo.put("bias", ModelFileSupport.base64(b));
        }
        o.put("sha256", ModelFileSupport.hex(md));
        o.set("layers", layers);
        return o;
    }

    private static Mlp readWeights(JsonNode o, Fields in, Architecture arch) {
        ModelFileSupport.checkEncoding(o, in, "weights.encoding", "weight encoding", WEIGHT_ENCODING);
        JsonNode layers = in.array(o, "layers");
        ModelFileSupport.checkLayerCount(in, "weights.layers", arch, layers.size());
        MessageDigest md = ModelFileSupport.sha256();
        List<DenseLayer> out = new ArrayList<>();
        int fanIn = arch.inputDim();
        for (int l = 0; l < layers.size(); l++) {
            Fields at = in.at("layers[" + l + "]");
            JsonNode lo = layers.get(l);
            int fanOut = arch.fanOut(l);
            ModelFileSupport.checkLayerShape(at, "weights.layers[" + l + "]", lo, fanIn, fanOut);
            byte[] w = ModelFileSupport.base64Floats(at, lo, "weight", (long) fanIn * fanOut);
            byte[] b = ModelFileSupport.base64Floats(at, lo, "bias", fanOut);
            md.update(w);
            md.update(b);
            int fi = fanIn;
            out.add(at.build(() -> new DenseLayer(fi, fanOut, ModelFileSupport.toFloats(w),
                    ModelFileSupport.toFloats(b))));
            fanIn = fanOut;
        }
        ModelFileSupport.checkDigest(o, in, "weights.sha256", md, "the weights");
        return in.build(() -> new Mlp(out));
    }
}
