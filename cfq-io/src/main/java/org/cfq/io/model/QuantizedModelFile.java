package org.cfq.io.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.encode.Encoder;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.quant.Granularity;
import org.cfq.quant.PackedCodes;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * The quantized model file, format version {@value #VERSION}, with the conventions of
 * {@link ModelFile} (one self-describing JSON object, schema and encoder included,
 * provenance, bit-exact binary payloads under a SHA-256, atomic writes, errors naming the
 * file and the field).
 *
 * <pre>
 * {
 *   "format": "cfq-quantized-model", "version": 1,
 *   "architecture": {"input_dim", "hidden", "outputs": 2, "activation": "relu"},
 *   "schema": ..., "encoder": ...,                      (as in the teacher's file)
 *   "quantization": {"method": "lsq", "budget_bits": 3.0, "average_bits": 3.0,
 *                    "semantics": "q = clamp(rint(x * (1/s)) + z, qmin, qmax); x_hat = (q - z) * s, float32"},
 *   "teacher": {"sha256": "..."},
 *   "provenance": {...},
 *   "layers": {"encoding": "packed-codes+base64-float32-le", "sha256": "...", "items": [
 *     {"in", "out", "bits", "signed", "narrow_range", "granularity": "tensor" | "channel",
 *      "codes": base64 of the codes packed at their width (see {@link PackedCodes}),
 *      "scales": base64 float32, "zero_points": [..], "bias": base64 float32,
 *      "activation": null | {"bits", "signed", "narrow_range", "scale": base64 float32, "zero_point"}}]}
 * }
 * </pre>
 * The checksum covers, layer by layer, the packed codes, scales, bias and activation scale.
 * Loading rebuilds the identical {@link QuantizedMlp}: the same codes and float32 scales give
 * the same dequantized weights and the same logits, bit for bit.
 */
public final class QuantizedModelFile {
    public static final String FORMAT = "cfq-quantized-model";
    public static final int VERSION = 1;
    static final String ENCODING = "packed-codes+base64-float32-le";
    static final String SEMANTICS = "q = clamp(rint(x * (1/s)) + z, qmin, qmax); x_hat = (q - z) * s, float32";

    private QuantizedModelFile() {
    }

    /** Writes the model atomically. */
    public static void write(Path file, SavedQuantizedModel model) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }

    /** {@return the file's JSON text} */
    public static String toJson(SavedQuantizedModel m) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode arch = root.putObject("architecture");
        arch.put("input_dim", m.model().inputDim());
        ArrayNode hidden = arch.putArray("hidden");
        List<QuantizedLayer> layers = m.model().layers();
        for (int l = 0; l < layers.size() - 1; l++) {
            hidden.add(layers.get(l).out());
        }
        arch.put("outputs", Mlp.OUTPUTS);
        arch.put("activation", "relu");
        root.set("schema", SchemaJson.write(m.schema()));
        root.set("encoder", ModelFile.writeEncoder(m.encoder()));
        ObjectNode q = root.putObject("quantization");
        q.put("method", m.method());
        q.put("budget_bits", m.budgetBits());
        q.put("average_bits", m.model().averageBits());
        q.put("semantics", SEMANTICS);
        root.putObject("teacher").put("sha256", m.teacherSha256());
        root.set("provenance", ProvenanceJson.toJson(m.provenance()));
        root.set("layers", writeLayers(m.model()));
        try {
            return Json.mapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree built in memory", e);
        }
    }

    /**
     * Reads a quantized model file.
     *
     * @throws ModelFormatException  when the file is not a readable quantized model of this version
     * @throws InvalidInputException when the file does not exist
     */
    public static SavedQuantizedModel read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("quantized model file " + file, "it does not exist",
                    "Check the path, or quantize a teacher first with 'cfq quantize --out " + file + "'", e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Reads a quantized model file and checks that it fits a dataset's schema.
     *
     * @throws ModelFormatException also when the model was trained on other features
     */
    public static SavedQuantizedModel read(Path file, FeatureSchema dataSchema) throws IOException {
        SavedQuantizedModel m = read(file);
        List<String> diffs = ModelFile.schemaDifferences(m.schema(), dataSchema);
        if (!diffs.isEmpty()) {
            throw new ModelFormatException(file.toString(), "the model was trained on dataset '" + m.schema().name()
                    + "' and does not fit dataset '" + dataSchema.name() + "': " + String.join("; ", diffs),
                    "Use the model with the dataset its teacher was trained on");
        }
        return m;
    }

    /**
     * Parses quantized-model-file text.
     *
     * @param source the file name for error messages
     */
    public static SavedQuantizedModel parse(String json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ModelFormatException(source, "it is not valid JSON" + at + " (" + e.getOriginalMessage() + ")",
                    Fields.FIX_CORRUPT, e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source, "it is empty or not a JSON object", Fields.FIX_CORRUPT);
        }
        Fields in = new Fields(source, "");
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.asText())) {
            String hint = format != null && ModelFile.FORMAT.equals(format.asText())
                    ? "This is a float teacher; quantize it first with 'cfq quantize --model " + source + " ...'"
                    : "Pass a file written by 'cfq quantize --out'";
            throw new ModelFormatException(source, "it is not a cfq quantized model file (its \"format\" is "
                    + (format == null ? "missing" : "'" + format.asText() + "'") + ", expected '" + FORMAT + "')", hint);
        }
        long version = in.longValue(root, "version");
        if (version != VERSION) {
            throw new ModelFormatException(source, "it was written by format version " + version
                    + "; this cfq reads version " + VERSION,
                    version > VERSION ? "Upgrade cfq or quantize the model again" : "Quantize the model again with this cfq");
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
        FeatureSchema schema = SchemaJson.read(in.object(root, "schema"), in.at("schema"));
        Encoder encoder = ModelFile.readEncoder(in.object(root, "encoder"), in.at("encoder"), schema);
        if (encoder.width() != inputDim) {
            throw in.corrupt("architecture.input_dim", "the schema encodes to " + encoder.width()
                    + " columns but the network takes " + inputDim);
        }
        JsonNode q = in.object(root, "quantization");
        Fields qIn = in.at("quantization");
        String method = qIn.text(q, "method");
        double budget = qIn.doubleValue(q, "budget_bits");
        String teacherSha = in.at("teacher").text(in.object(root, "teacher"), "sha256");
        Provenance provenance = ModelFile.readProvenance(in.object(root, "provenance"), in.at("provenance"));
        QuantizedMlp model = readLayers(in.object(root, "layers"), in.at("layers"), inputDim, hidden);
        return in.build(() -> new SavedQuantizedModel(model, encoder, method, budget, teacherSha, provenance));
    }

    // ---- layers ----

    private static ObjectNode writeLayers(QuantizedMlp net) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("encoding", ENCODING);
        MessageDigest md = ModelFile.sha256();
        ArrayNode items = Json.mapper().createArrayNode();
        for (QuantizedLayer l : net.layers()) {
            UniformQuantizer wq = l.weightQuantizer();
            QuantSpec spec = wq.spec();
            byte[] codes = PackedCodes.pack(l.codes(), spec);
            byte[] scales = ModelFile.toBytes(wq.params().scales());
            byte[] bias = ModelFile.toBytes(l.bias());
            md.update(codes);
            md.update(scales);
            md.update(bias);
            ObjectNode lo = items.addObject();
            lo.put("in", l.in());
            lo.put("out", l.out());
            writeSpec(lo, spec);
            lo.put("codes", Base64.getEncoder().encodeToString(codes));
            lo.put("scales", Base64.getEncoder().encodeToString(scales));
            ArrayNode zp = lo.putArray("zero_points");
            for (int z : wq.params().zeroPoints()) {
                zp.add(z);
            }
            lo.put("bias", Base64.getEncoder().encodeToString(bias));
            UniformQuantizer aq = l.activationQuantizer();
            if (aq == null) {
                lo.putNull("activation");
            } else {
                byte[] s = ModelFile.toBytes(aq.params().scales());
                md.update(s);
                ObjectNode ao = lo.putObject("activation");
                writeSpec(ao, aq.spec());
                ao.put("scale", Base64.getEncoder().encodeToString(s));
                ao.put("zero_point", aq.params().zeroPoint(0));
            }
        }
        o.put("sha256", HexFormat.of().formatHex(md.digest()));
        o.set("items", items);
        return o;
    }

    private static void writeSpec(ObjectNode o, QuantSpec spec) {
        o.put("bits", spec.bits());
        o.put("signed", spec.signed());
        o.put("narrow_range", spec.narrowRange());
        o.put("granularity", spec.granularity().name().toLowerCase(Locale.ROOT));
    }

    private static QuantSpec readSpec(JsonNode o, Fields at) {
        int bits = at.intValue(o, "bits");
        boolean signed = bool(o, "signed", at);
        boolean narrow = bool(o, "narrow_range", at);
        Granularity g = at.enumValue(o, "granularity", Granularity.class);
        return at.build(() -> new QuantSpec(bits, signed, narrow, g));
    }

    private static boolean bool(JsonNode o, String key, Fields at) {
        JsonNode n = at.node(o, key);
        if (!n.isBoolean()) {
            throw at.corrupt(at.join(key), "expected true or false, found '" + n + "'");
        }
        return n.asBoolean();
    }

    private static QuantizedMlp readLayers(JsonNode o, Fields in, int inputDim, int[] hidden) {
        String encoding = in.text(o, "encoding");
        if (!encoding.equals(ENCODING)) {
            throw in.corrupt("layers.encoding", "unknown encoding '" + encoding + "'; expected '" + ENCODING + "'");
        }
        JsonNode items = in.array(o, "items");
        if (items.size() != hidden.length + 1) {
            throw in.corrupt("layers.items", "expected " + (hidden.length + 1) + " layers for hidden widths "
                    + java.util.Arrays.toString(hidden) + ", found " + items.size());
        }
        MessageDigest md = ModelFile.sha256();
        List<QuantizedLayer> out = new ArrayList<>();
        int fanIn = inputDim;
        for (int l = 0; l < items.size(); l++) {
            Fields at = in.at("items[" + l + "]");
            JsonNode lo = items.get(l);
            int fanOut = l < hidden.length ? hidden[l] : Mlp.OUTPUTS;
            int lin = at.intValue(lo, "in");
            int lout = at.intValue(lo, "out");
            if (lin != fanIn || lout != fanOut) {
                throw at.corrupt("layers.items[" + l + "]", "expected shape in=" + fanIn + ", out=" + fanOut
                        + " from the architecture, found in=" + lin + ", out=" + lout);
            }
            QuantSpec spec = readSpec(lo, at);
            int n = fanIn * fanOut;
            byte[] codeBytes = base64(at, lo, "codes", PackedCodes.packedLength(n, spec.bits()));
            int channels = spec.granularity() == Granularity.CHANNEL ? fanOut : 1;
            byte[] scaleBytes = base64(at, lo, "scales", channels * Float.BYTES);
            double[] zd = at.doubles(lo, "zero_points", channels);
            byte[] biasBytes = base64(at, lo, "bias", fanOut * Float.BYTES);
            md.update(codeBytes);
            md.update(scaleBytes);
            md.update(biasBytes);
            int[] zp = new int[channels];
            for (int c = 0; c < channels; c++) {
                zp[c] = (int) zd[c];
            }
            UniformQuantizer wq = at.build(() -> new UniformQuantizer(spec,
                    QuantParams.of(ModelFile.toFloats(scaleBytes), zp)));
            int[] codes = at.build(() -> PackedCodes.unpack(codeBytes, n, spec));
            UniformQuantizer aq = null;
            JsonNode an = lo.get("activation");
            if (an != null && !an.isNull()) {
                Fields aat = at.at("activation");
                QuantSpec aspec = readSpec(an, aat);
                byte[] s = base64(aat, an, "scale", Float.BYTES);
                md.update(s);
                int z = aat.intValue(an, "zero_point");
                aq = aat.build(() -> new UniformQuantizer(aspec, QuantParams.perTensor(ModelFile.toFloats(s)[0], z)));
            }
            int fi = fanIn;
            UniformQuantizer act = aq;
            out.add(at.build(() -> new QuantizedLayer(fi, fanOut, wq, codes, ModelFile.toFloats(biasBytes), act)));
            fanIn = fanOut;
        }
        String expected = in.text(o, "sha256");
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            throw in.corrupt("layers.sha256", "the codes, scales and biases do not match their checksum (stored "
                    + expected + ", computed " + actual + ")");
        }
        return in.build(() -> new QuantizedMlp(out));
    }

    private static byte[] base64(Fields at, JsonNode lo, String key, int expectedBytes) {
        String text = at.text(lo, key);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw at.corrupt(at.join(key), "not valid base64 (" + e.getMessage() + ")");
        }
        if (bytes.length != expectedBytes) {
            throw at.corrupt(at.join(key), "expected " + expectedBytes + " bytes, found " + bytes.length);
        }
        return bytes;
    }
}
