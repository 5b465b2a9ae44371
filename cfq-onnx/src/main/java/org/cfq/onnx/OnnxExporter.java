package org.cfq.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cfq.InvalidInputException;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * Writes cfq models as ONNX graphs.
 *
 * <p><b>Float teacher</b>: per layer {@code Gemm(h, W, b, transB=1)}, then {@code Relu} on hidden
 * layers. Input {@value #INPUT} (batch x inputDim) float32 model-space rows; output
 * {@value #OUTPUT} (batch x 2) float32, class 1 favorable.
 *
 * <p><b>Quantized model</b> (QDQ form): each weight is stored as its integer codes and
 * dequantized by {@code DequantizeLinear(q, s, z)} (axis 0 for per-channel scales), which
 * computes {@code float(q - z) * s}, the fake quantizer's value bit for bit. Codes of 5 to 8
 * bits go in int8 (uint8 for unsigned grids) tensors, codes of 2 to 4 bits in int4 (uint4)
 * tensors, which need opset 21; either way the stored codes stay inside the model's own
 * narrower range [qmin, qmax]. A quantized hidden activation becomes
 * <pre>
 *   Relu -> Mul(1f / s) -> Clip(qmin - z, qmax - z) -> QuantizeLinear(1, z) -> DequantizeLinear(s, z)
 * </pre>
 * QuantizeLinear divides by its scale, while the fake quantizer multiplies by the float32
 * reciprocal {@code 1f / s} (PyTorch's semantics): multiplying first and quantizing with scale
 * 1 reproduces that product exactly, and QuantizeLinear then only rounds half to even and adds
 * the zero point. Clipping to {@code [qmin - z, qmax - z]} before rounding equals clamping the
 * code to [qmin, qmax] after it (both bounds are integers and rounding is monotone), which
 * keeps a narrow grid (say 3 bits) exact inside a wider container. Activation codes use a
 * uint8 container at every width (int8 for a signed grid): ONNX Runtime 1.24's Clip-QuantizeLinear
 * fusion rejects a 4-bit zero point, and the Clip already keeps the codes in the narrower range.
 *
 * <p>Metadata: {@code cfq.*} keys describe the model (kind, widths, granularity, forms of
 * input and output) and its provenance.
 */
public final class OnnxExporter {
    /** The smallest opset written: per-axis DequantizeLinear and Clip with tensor bounds need 13. */
    public static final int MIN_OPSET = 13;
    /** The largest opset written. */
    public static final int MAX_OPSET = 21;
    /** The first opset with 4-bit tensors (int4, uint4). */
    public static final int INT4_OPSET = 21;
    /** The name of the graph input. */
    public static final String INPUT = "input";
    /** The name of the graph output. */
    public static final String OUTPUT = "logits";
    private static final long IR_VERSION_OPSET_13 = 7;
    private static final long IR_VERSION_OPSET_21 = 10;

    private final OnnxExportOptions options;

    public OnnxExporter(OnnxExportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Exports a float network: every opset in range expresses it.
     *
     * @param provenance where the model came from, or null to write none
     */
    public ModelProto export(Mlp model, Provenance provenance) {
        int opset = options.opset() == OnnxExportOptions.AUTO ? MIN_OPSET : options.opset();
        GraphProto.Builder g = GraphProto.newBuilder().setName("cfq_float_mlp");
        String h = INPUT;
        List<DenseLayer> layers = model.layers();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            String p = "layer" + l;
            g.addInitializer(floatTensor(p + ".weight", layer.weight(), dims(layer.out(), layer.in())));
            g.addInitializer(floatTensor(p + ".bias", layer.bias(), dims(layer.out())));
            boolean last = l == layers.size() - 1;
            String pre = last ? OUTPUT : p + ".pre";
            g.addNode(gemm(p, h, p + ".weight", p + ".bias", pre));
            if (!last) {
                g.addNode(node("Relu", p + ".relu", List.of(pre), p + ".act"));
                h = p + ".act";
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("cfq.model_kind", "float");
        meta.put("cfq.hidden", Arrays.toString(model.hiddenSizes()));
        return finish(g, model.inputDim(), opset, meta, provenance);
    }

    /**
     * Exports a quantized model in QDQ form.
     *
     * @param provenance where the model came from, or null to write none
     * @throws InvalidInputException when the chosen opset cannot express the model (weights of
     *                               2 to 4 bits below opset 21)
     */
    public ModelProto export(QuantizedMlp model, Provenance provenance) {
        int opset = chooseOpset(model);
        GraphProto.Builder g = GraphProto.newBuilder().setName("cfq_quantized_mlp");
        String h = INPUT;
        List<QuantizedLayer> layers = model.layers();
        StringBuilder granularity = new StringBuilder();
        StringBuilder actBits = new StringBuilder();
        for (int l = 0; l < layers.size(); l++) {
            QuantizedLayer layer = layers.get(l);
            String p = "layer" + l;
            UniformQuantizer wq = layer.weightQuantizer();
            QuantSpec spec = wq.spec();
            QuantParams params = wq.params();
            boolean perChannel = params.channels() > 1;
            int type = containerType(spec);
            long[] paramDims = perChannel ? new long[] {params.channels()} : new long[0];
            g.addInitializer(codeTensor(p + ".weight_q", layer.codes(), type, dims(layer.out(), layer.in())));
            g.addInitializer(floatTensor(p + ".weight_scale", params.scales(), paramDims));
            g.addInitializer(codeTensor(p + ".weight_zero_point", params.zeroPoints(), type, paramDims));
            NodeProto.Builder dq = node("DequantizeLinear", p + ".weight_dq",
                    List.of(p + ".weight_q", p + ".weight_scale", p + ".weight_zero_point"), p + ".weight");
            if (perChannel) {
                dq.addAttribute(intAttribute("axis", 0));
            }
            g.addNode(dq);
            g.addInitializer(floatTensor(p + ".bias", layer.bias(), dims(layer.out())));
            boolean last = l == layers.size() - 1;
            String pre = last ? OUTPUT : p + ".pre";
            g.addNode(gemm(p, h, p + ".weight", p + ".bias", pre));
            granularity.append(l == 0 ? "" : ",").append(perChannel ? "channel" : "tensor");
            if (last) {
                break;
            }
            g.addNode(node("Relu", p + ".relu", List.of(pre), p + ".relu_out"));
            h = p + ".relu_out";
            UniformQuantizer aq = layer.activationQuantizer();
            actBits.append(actBits.length() == 0 ? "" : ",").append(aq == null ? "float" : aq.spec().bits());
            if (aq != null) {
                h = activationQdq(g, p, h, aq);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("cfq.model_kind", "quantized");
        meta.put("cfq.quant_form", "qdq");
        meta.put("cfq.weight_bits", join(model.bitsPerLayer()));
        meta.put("cfq.weight_granularity", granularity.toString());
        meta.put("cfq.activation_bits", actBits.length() == 0 ? "none" : actBits.toString());
        meta.put("cfq.average_weight_bits", Double.toString(model.averageBits()));
        return finish(g, model.inputDim(), opset, meta, provenance);
    }

    /** Serializes a model to the bytes of a {@code .onnx} file. */
    public static byte[] toBytes(ModelProto model) {
        return model.toByteArray();
    }

    private int chooseOpset(QuantizedMlp model) {
        int needed = MIN_OPSET;
        String why = null;
        for (int l = 0; l < model.layerCount(); l++) {
            QuantizedLayer layer = model.layers().get(l);
            if (layer.bits() <= 4) {
                needed = INT4_OPSET;
                why = "layer " + l + " has " + layer.bits() + "-bit weights";
                break;
            }
        }
        if (options.opset() == OnnxExportOptions.AUTO) {
            return needed;
        }
        if (options.opset() < needed) {
            throw new InvalidInputException("--opset " + options.opset(),
                    why + ", which needs 4-bit tensors (int4/uint4), first available in opset " + INT4_OPSET,
                    "Export with --opset " + INT4_OPSET + " (or leave --opset out), or quantize to 5 bits or more");
        }
        return options.opset();
    }

    /** ONNX element type holding a grid's codes: 4-bit for widths up to 4, else 8-bit. */
    static int containerType(QuantSpec spec) {
        if (spec.bits() <= 4) {
            return spec.signed() ? TensorProto.DataType.INT4_VALUE : TensorProto.DataType.UINT4_VALUE;
        }
        return spec.signed() ? TensorProto.DataType.INT8_VALUE : TensorProto.DataType.UINT8_VALUE;
    }

    private static String activationQdq(GraphProto.Builder g, String p, String relu, UniformQuantizer aq) {
        float s = aq.params().scale(0);
        int z = aq.params().zeroPoint(0);
        QuantSpec spec = aq.spec();
        int type = spec.signed() ? TensorProto.DataType.INT8_VALUE : TensorProto.DataType.UINT8_VALUE;
        g.addInitializer(floatTensor(p + ".act_inv_scale", new float[] {1f / s}, dims()));
        g.addInitializer(floatTensor(p + ".act_clip_min", new float[] {spec.qmin() - z}, dims()));
        g.addInitializer(floatTensor(p + ".act_clip_max", new float[] {spec.qmax() - z}, dims()));
        g.addInitializer(floatTensor(p + ".act_unit_scale", new float[] {1f}, dims()));
        g.addInitializer(floatTensor(p + ".act_scale", new float[] {s}, dims()));
        g.addInitializer(codeTensor(p + ".act_zero_point", new int[] {z}, type, dims()));
        g.addNode(node("Mul", p + ".act_mul", List.of(relu, p + ".act_inv_scale"), p + ".act_scaled"));
        g.addNode(node("Clip", p + ".act_clip", List.of(p + ".act_scaled", p + ".act_clip_min", p + ".act_clip_max"),
                p + ".act_clipped"));
        g.addNode(node("QuantizeLinear", p + ".act_q", List.of(p + ".act_clipped", p + ".act_unit_scale",
                p + ".act_zero_point"), p + ".act_q"));
        g.addNode(node("DequantizeLinear", p + ".act_dq", List.of(p + ".act_q", p + ".act_scale",
                p + ".act_zero_point"), p + ".act"));
        return p + ".act";
    }

    private static ModelProto finish(GraphProto.Builder g, int inputDim, int opset, Map<String, String> meta,
                                     Provenance provenance) {
        g.addInput(valueInfo(INPUT, inputDim));
        g.addOutput(valueInfo(OUTPUT, Mlp.OUTPUTS));
        g.setDocString("cfq: input " + INPUT + " = model-space float32 rows (batch x " + inputDim + "), output "
                + OUTPUT + " = logits (batch x 2), class 1 favorable, margin = logits[1] - logits[0]");
        meta.put("cfq.input", INPUT + ": float32 model-space rows (batch x " + inputDim + ")");
        meta.put("cfq.output", OUTPUT + ": float32 logits (batch x 2); class 1 is favorable");
        meta.put("cfq.opset", Integer.toString(opset));
        if (provenance != null) {
            meta.putAll(provenanceMetadata(provenance));
        }
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(opset >= INT4_OPSET ? IR_VERSION_OPSET_21 : IR_VERSION_OPSET_13)
                .setProducerName("cfq")
                .setProducerVersion(Provenance.CFQ_VERSION)
                .setDomain("org.cfq")
                .setModelVersion(1)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g);
        meta.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** The provenance as {@code cfq.*} metadata entries. */
    public static Map<String, String> provenanceMetadata(Provenance p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cfq.version", p.cfqVersion());
        m.put("cfq.seed", Long.toString(p.seed()));
        m.put("cfq.config", p.config());
        m.put("cfq.dataset_fingerprint", p.datasetFingerprint());
        m.put("cfq.java_version", p.javaVersion());
        m.put("cfq.os", p.os());
        m.put("cfq.arch", p.arch());
        m.put("cfq.created_at", p.createdAt());
        return m;
    }

    private static NodeProto.Builder gemm(String p, String a, String b, String c, String y) {
        return node("Gemm", p + ".gemm", List.of(a, b, c), y).addAttribute(intAttribute("transB", 1));
    }

    private static NodeProto.Builder node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static ValueInfoProto valueInfo(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static TensorProto floatTensor(String name, float[] values, long[] dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return tensor(name, TensorProto.DataType.FLOAT_VALUE, dims, buf.array());
    }

    private static long[] dims(int... d) {
        return Arrays.stream(d).asLongStream().toArray();
    }

    /** Integer codes as raw little-endian data; 4-bit types pack two per byte, the first in the low nibble. */
    static TensorProto codeTensor(String name, int[] codes, int type, long[] dims) {
        byte[] raw;
        if (type == TensorProto.DataType.INT4_VALUE || type == TensorProto.DataType.UINT4_VALUE) {
            raw = new byte[(codes.length + 1) / 2];
            for (int i = 0; i < codes.length; i++) {
                int nibble = codes[i] & 0xF;
                raw[i >> 1] |= (byte) ((i & 1) == 0 ? nibble : nibble << 4);
            }
        } else {
            raw = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                raw[i] = (byte) codes[i];
            }
        }
        return tensor(name, type, dims, raw);
    }

    private static TensorProto tensor(String name, int type, long[] dims, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static String join(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(v[i]);
        }
        return b.toString();
    }
}
