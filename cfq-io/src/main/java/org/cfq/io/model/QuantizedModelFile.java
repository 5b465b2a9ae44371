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
    private static final Envelope ENVELOPE = new Envelope(FORMAT, VERSION, "cfq quantized model file",
            "Upgrade cfq or quantize the model again", "Quantize the model again with this cfq",
            Fields.FIX_CORRUPT_QUANTIZED);

    private QuantizedModelFile() {
    }

    /** Writes the model atomically. */
    public static void write(Path file, SavedQuantizedModel model) throws IOException {
        AtomicFiles.writeString(file, toJson(model));
    }

    /** {@return the file's JSON text} */
    public static String toJson(SavedQuantizedModel m) {
        ObjectNode root = ENVELOPE.newRoot();
        List<QuantizedLayer> layers = m.model().layers();
        int[] hidden = new int[layers.size() - 1];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = layers.get(l).out();
        }
        ModelFileSupport.writeArchitecture(root, m.model().inputDim(), hidden);
        ModelFileSupport.writeSchemaAndEncoder(root, m.encoder());
        ObjectNode q = root.putObject("quantization");
        q.put("method", m.method());
        q.put("budget_bits", m.budgetBits());
        q.put("average_bits", m.model().averageBits());
        q.put("semantics", SEMANTICS);
        root.putObject("teacher").put("sha256", m.teacherSha256());
        ModelFileSupport.writeProvenance(root, m.provenance());
        root.set("layers", writeLayers(m.model()));
        return ModelFileSupport.render(root);
    }

    /**
     * Reads a quantized model file.
     *
     * @throws ModelFormatException  when the file is not a readable quantized model of this version
     * @throws InvalidInputException when the file does not exist
     */
    public static SavedQuantizedModel read(Path file) throws IOException {
        return parse(ModelFileSupport.readText(file, "quantized model file",
                "Check the path, or quantize a teacher first with 'cfq quantize --out " + file + "'"), file.toString());
    }

    /**
     * Reads a quantized model file and checks that it fits a dataset's schema.
     *
     * @throws ModelFormatException also when the model was trained on other features
     */
    public static SavedQuantizedModel read(Path file, FeatureSchema dataSchema) throws IOException {
        SavedQuantizedModel m = read(file);
        ModelFileSupport.checkFits(m.schema(), dataSchema, file.toString(),
                "Use the model with the dataset its teacher was trained on");
        return m;
    }

    /**
     * Parses quantized-model-file text.
     *
     * @param source the file name for error messages
     */
    public static SavedQuantizedModel parse(String json, String source) {
        JsonNode root = ENVELOPE.open(json, source, found -> ModelFile.FORMAT.equals(found)
                ? "This is a float teacher; quantize it first with 'cfq quantize --model " + source + " ...'"
                : "Pass a file written by 'cfq quantize --out'");
        Fields in = ENVELOPE.fields(source);
        Architecture arch = ModelFileSupport.readArchitecture(root, in);
        Encoder encoder = ModelFileSupport.readSchemaAndEncoder(root, in, arch.inputDim());
        JsonNode q = in.object(root, "quantization");
        Fields qIn = in.at("quantization");
        String method = qIn.text(q, "method");
        double budget = qIn.doubleValue(q, "budget_bits");
        String teacherSha = in.at("teacher").text(in.object(root, "teacher"), "sha256");
        Provenance provenance = ModelFileSupport.readProvenance(root, in);
        QuantizedMlp model = readLayers(in.object(root, "layers"), in.at("layers"), arch);
        return in.build(() -> new SavedQuantizedModel(model, encoder, method, budget, teacherSha, provenance));
    }

    // ---- layers ----

    private static ObjectNode writeLayers(QuantizedMlp net) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("encoding", ENCODING);
        MessageDigest md = ModelFileSupport.sha256();
        ArrayNode items = Json.mapper().createArrayNode();
        for (QuantizedLayer l : net.layers()) {
            UniformQuantizer wq = l.weightQuantizer();
            QuantSpec spec = wq.spec();
            byte[] codes = PackedCodes.pack(l.codes(), spec);
            byte[] scales = ModelFileSupport.toBytes(wq.params().scales());
            byte[] bias = ModelFileSupport.toBytes(l.bias());
            md.update(codes);
            md.update(scales);
            md.update(bias);
            ObjectNode lo = items.addObject();
            lo.put("in", l.in());
            lo.put("out", l.out());
            writeSpec(lo, spec);
            lo.put("codes", ModelFileSupport.base64(codes));
            lo.put("scales", ModelFileSupport.base64(scales));
            ArrayNode zp = lo.putArray("zero_points");
            for (int z : wq.params().zeroPoints()) {
                zp.add(z);
            }
            lo.put("bias", ModelFileSupport.base64(bias));
            UniformQuantizer aq = l.activationQuantizer();
            if (aq == null) {
                lo.putNull("activation");
            } else {
                byte[] s = ModelFileSupport.toBytes(aq.params().scales());
                md.update(s);
                ObjectNode ao = lo.putObject("activation");
                writeSpec(ao, aq.spec());
                ao.put("scale", ModelFileSupport.base64(s));
                ao.put("zero_point", aq.params().zeroPoint(0));
            }
        }
        o.put("sha256", ModelFileSupport.hex(md));
        o.set("items", items);
        return o;
    }

    private static void writeSpec(ObjectNode o, QuantSpec spec) {
        o.put("bits", spec.bits());
        o.put("signed", spec.signed());
        o.put("narrow_range", spec.narrowRange());
        o.put("granularity", ModelFileSupport.lower(spec.granularity()));
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

    private static QuantizedMlp readLayers(JsonNode o, Fields in, Architecture arch) {
        ModelFileSupport.checkEncoding(o, in, "layers.encoding", "encoding", ENCODING);
        JsonNode items = in.array(o, "items");
        ModelFileSupport.checkLayerCount(in, "layers.items", arch, items.size());
        MessageDigest md = ModelFileSupport.sha256();
        List<QuantizedLayer> out = new ArrayList<>();
        int fanIn = arch.inputDim();
        for (int l = 0; l < items.size(); l++) {
            Fields at = in.at("items[" + l + "]");
            JsonNode lo = items.get(l);
            int fanOut = arch.fanOut(l);
            ModelFileSupport.checkLayerShape(at, "layers.items[" + l + "]", lo, fanIn, fanOut);
            QuantSpec spec = readSpec(lo, at);
            int n = fanIn * fanOut;
            byte[] codeBytes = ModelFileSupport.base64Bytes(at, lo, "codes", PackedCodes.packedLength(n, spec.bits()));
            int channels = spec.granularity() == Granularity.CHANNEL ? fanOut : 1;
            byte[] scaleBytes = ModelFileSupport.base64Bytes(at, lo, "scales", channels * Float.BYTES);
            double[] zd = at.doubles(lo, "zero_points", channels);
            byte[] biasBytes = ModelFileSupport.base64Bytes(at, lo, "bias", fanOut * Float.BYTES);
            md.update(codeBytes);
            md.update(scaleBytes);
            md.update(biasBytes);
            int[] zp = new int[channels];
            for (int c = 0; c < channels; c++) {
                zp[c] = (int) zd[c];
            }
            UniformQuantizer wq = at.build(() -> new UniformQuantizer(spec,
                    QuantParams.of(ModelFileSupport.toFloats(scaleBytes), zp)));
            int[] codes = at.build(() -> PackedCodes.unpack(codeBytes, n, spec));
            UniformQuantizer aq = null;
            JsonNode an = lo.get("activation");
            if (an != null && !an.isNull()) {
                Fields aat = at.at("activation");
                QuantSpec aspec = readSpec(an, aat);
                byte[] s = ModelFileSupport.base64Bytes(aat, an, "scale", Float.BYTES);
                md.update(s);
                int z = aat.intValue(an, "zero_point");
                aq = aat.build(() -> new UniformQuantizer(aspec,
                        QuantParams.perTensor(ModelFileSupport.toFloats(s)[0], z)));
            }
            int fi = fanIn;
            UniformQuantizer act = aq;
            out.add(at.build(() -> new QuantizedLayer(fi, fanOut, wq, codes, ModelFileSupport.toFloats(biasBytes),
                    act)));
            fanIn = fanOut;
        }
        ModelFileSupport.checkDigest(o, in, "layers.sha256", md, "the codes, scales and biases");
        return in.build(() -> new QuantizedMlp(out));
    }
}
