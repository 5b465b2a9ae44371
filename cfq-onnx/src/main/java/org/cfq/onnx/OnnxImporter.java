package org.cfq.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.cfq.provenance.Digests;
import org.cfq.InvalidInputException;
import org.cfq.model.DenseLayer;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.model.imported.OutputHead;
import org.cfq.model.imported.OutputHead.FinalActivation;

/**
 * Reads a float MLP classifier from an ONNX file, as PyTorch ({@code torch.onnx.export}),
 * scikit-learn converters or Keras exporters write one.
 *
 * <p>The graph must be one chain from its single float input to its single output:
 * affine layers ({@code Gemm}, or {@code MatMul} optionally followed by {@code Add} of a
 * bias), {@code Relu} between them, and optionally a final {@code Sigmoid} (one output) or
 * {@code Softmax} (two outputs). Weights are initializers (or {@code Constant} nodes) of
 * type float. The default-domain opset must be 9 to 21. Anything else (another activation,
 * a normalisation, a branch, a second input or output) is an {@link InvalidInputException}
 * naming the node and its op type: cfq does not guess what an unknown node computes.
 *
 * <p>Reference: ONNX operator specifications (Gemm, MatMul, Add, Relu, Sigmoid, Softmax),
 * opsets 9 to 21, https://onnx.ai/onnx/operators/.
 */
public final class OnnxImporter {
    /** Oldest default-domain opset accepted: Gemm-9 has the bias broadcast PyTorch relies on. */
    public static final int MIN_OPSET = 9;
    /** Newest default-domain opset accepted. */
    public static final int MAX_OPSET = 21;

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();

    private OnnxImporter() {
    }

    /**
     * What an ONNX file held.
     *
     * @param network         the MLP over the file's own input columns
     * @param sha256          SHA-256 of the file bytes, lower-case hex
     * @param producerName    the file's producer_name (may be empty)
     * @param producerVersion the file's producer_version (may be empty)
     * @param opset           the default-domain opset
     * @param inputName       the graph input's name
     * @param outputName      the graph output's name
     */
    public record Imported(ImportedNetwork network, String sha256, String producerName, String producerVersion,
                           int opset, String inputName, String outputName) {
        public Imported {
            Objects.requireNonNull(network, "network");
        }

        /**
         * {@return where the imported teacher came from, for its provenance}
         *
         * @param file       the ONNX file's name as given
         * @param layoutText the input layout file's text (its SHA-256 is recorded)
         */
        public org.cfq.provenance.ImportSource source(String file, String layoutText) {
            return new org.cfq.provenance.ImportSource("onnx", file, sha256, producerName, producerVersion, opset,
                    network.head().describe(), org.cfq.provenance.Digests.sha256Hex(
                            layoutText.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /**
     * Reads an ONNX file.
     *
     * @param favorableIndex which output is the favorable class; required when the graph has
     *                       two outputs; a one-output graph gives the favorable class's logit or
     *                       probability, so it is 0 when given
     * @throws InvalidInputException naming the file (and the node) for anything cfq cannot read
     */
    public static Imported read(Path file, OptionalInt favorableIndex) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "file not found", "Check the path given to --onnx");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions", e);
        }
        return parse(bytes, file.toString(), favorableIndex);
    }

    /**
     * Reads ONNX bytes.
     *
     * @param source the file name for messages
     * @see #read(Path, int)
     */
    public static Imported parse(byte[] bytes, String source, OptionalInt favorableIndex) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException(source, "not an ONNX model (" + e.getMessage() + ")",
                    "Pass a .onnx file written by an ONNX exporter such as torch.onnx.export", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new InvalidInputException(source, "not an ONNX model with a graph (no nodes found)",
                    "Pass a .onnx file written by an ONNX exporter such as torch.onnx.export");
        }
        int opset = opset(model, source);
        GraphProto g = model.getGraph();
        Map<String, TensorProto> constants = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        List<NodeProto> ops = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getDomain().isEmpty()) {
                TensorProto t = constantValue(n, source);
                constants.put(n.getOutput(0), t);
            } else {
                ops.add(n);
            }
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw new InvalidInputException(source, "the graph has " + inputs.size() + " data inputs "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "; cfq imports a classifier of one "
                    + "(batch x features) float input", "Export the model with one input tensor");
        }
        if (g.getOutputCount() != 1) {
            throw new InvalidInputException(source, "the graph has " + g.getOutputCount() + " outputs "
                    + g.getOutputList().stream().map(ValueInfoProto::getName).toList() + "; cfq imports a "
                    + "classifier with one output (1 or 2 columns)", "Export the model with one output tensor");
        }
        ValueInfoProto input = inputs.get(0);
        if (input.getType().hasTensorType() && input.getType().getTensorType().getElemType() != FLOAT) {
            throw new InvalidInputException(source + ", input '" + input.getName() + "'", "element type "
                    + TensorProto.DataType.forNumber(input.getType().getTensorType().getElemType())
                    + " is not float32", "Export the model with float32 inputs");
        }
        String output = g.getOutput(0).getName();
        ChainReader chain = new ChainReader(source, constants, ops);
        ImportedNetwork net = chain.read(input.getName(), output, favorableIndex);
        return new Imported(net, Digests.sha256Hex(bytes), model.getProducerName(), model.getProducerVersion(), opset,
                input.getName(), output);
    }

    private static int opset(ModelProto model, String source) {
        Integer found = null;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                found = (int) o.getVersion();
            }
        }
        if (found == null) {
            throw new InvalidInputException(source, "the model imports no default-domain (ai.onnx) opset",
                    "Export with a standard opset between " + MIN_OPSET + " and " + MAX_OPSET);
        }
        if (found < MIN_OPSET || found > MAX_OPSET) {
            throw new InvalidInputException(source, "opset " + found + " is outside the supported " + MIN_OPSET
                    + " to " + MAX_OPSET, "Export again with an opset in that range (torch.onnx.export(..., "
                    + "opset_version=13))");
        }
        return found;
    }

    /** Walks the chain of compute nodes from the input to the output. */
    private static final class ChainReader {
        private final String source;
        private final Map<String, TensorProto> constants;
        private final List<NodeProto> ops;
        private final Map<String, List<Integer>> consumers = new HashMap<>();

        ChainReader(String source, Map<String, TensorProto> constants, List<NodeProto> ops) {
            this.source = source;
            this.constants = constants;
            this.ops = ops;
            for (int k = 0; k < ops.size(); k++) {
                for (String in : ops.get(k).getInputList()) {
                    if (!in.isEmpty() && !constants.containsKey(in)) {
                        consumers.computeIfAbsent(in, x -> new ArrayList<>()).add(k);
                    }
                }
            }
        }

        ImportedNetwork read(String input, String output, OptionalInt favorable) {
            List<DenseLayer> layers = new ArrayList<>();
            FinalActivation fin = FinalActivation.NONE;
            String current = input;
            // what the last node was: 'A' affine (bias may still come), 'M' a MatMul without bias yet, 'R' relu
            char last = 'R';
            boolean ended = false;
            Set<Integer> visited = new HashSet<>();
            while (!current.equals(output)) {
                List<Integer> next = consumers.getOrDefault(current, List.of());
                if (next.size() != 1) {
                    if (next.isEmpty()) {
                        throw new InvalidInputException(source, "value '" + current + "' is used by no node and is "
                                + "not the graph output '" + output + "'", "Export a graph that is one chain from "
                                + "input to output");
                    }
                    NodeProto second = ops.get(next.get(1));
                    throw new InvalidInputException(source + ", " + describe(second, next.get(1)),
                            "value '" + current + "' feeds " + next.size() + " nodes: the graph branches, and cfq imports "
                                    + "only a chain of layers", "Export a plain MLP (Linear and ReLU layers)");
                }
                int k = next.get(0);
                if (!visited.add(k)) {
                    throw new InvalidInputException(source + ", " + describe(ops.get(k), k), "the graph has a cycle",
                            "Export a plain MLP");
                }
                NodeProto n = ops.get(k);
                String at = source + ", " + describe(n, k);
                if (ended) {
                    throw new InvalidInputException(at, "a node follows the final " + fin.name().toLowerCase()
                            + "; cfq imports a classifier whose last node is its output", "Export the model without "
                            + "post-processing after the output activation");
                }
                if (n.getOutputCount() != 1) {
                    throw new InvalidInputException(at, "the node has " + n.getOutputCount() + " outputs",
                            "Export a plain MLP");
                }
                if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                    throw unsupported(at, n);
                }
                switch (n.getOpType()) {
                    case "Gemm" -> {
                        requireAfterActivation(at, last, n);
                        layers.add(gemm(n, at, current));
                        last = 'A';
                    }
                    case "MatMul" -> {
                        requireAfterActivation(at, last, n);
                        layers.add(matMul(n, at, current));
                        last = 'M';
                    }
                    case "Add" -> {
                        if (last != 'M') {
                            throw new InvalidInputException(at, "Add is read only as the bias of the MatMul before it, "
                                    + "and this one follows " + (last == 'A' ? "a layer that already has a bias"
                                    : "no MatMul"), "Export a plain MLP (Linear and ReLU layers)");
                        }
                        layers.set(layers.size() - 1, addBias(layers.get(layers.size() - 1), n, at, current));
                        last = 'A';
                    }
                    case "Relu" -> {
                        if (last == 'R') {
                            throw new InvalidInputException(at, "Relu must follow an affine layer (Gemm or MatMul)",
                                    "Export a plain MLP (Linear and ReLU layers)");
                        }
                        last = 'R';
                    }
                    case "Sigmoid", "Softmax" -> {
                        if (last == 'R') {
                            throw new InvalidInputException(at, n.getOpType() + " must follow the last affine layer",
                                    "Export a plain MLP ending in a Linear layer and optionally Sigmoid/Softmax");
                        }
                        if (n.getOpType().equals("Softmax")) {
                            long axis = intAttr(n, "axis", -1);
                            if (axis != 1 && axis != -1) {
                                throw new InvalidInputException(at, "Softmax over axis " + axis + " is not over the "
                                        + "class outputs", "Export the softmax over the last axis");
                            }
                            fin = FinalActivation.SOFTMAX;
                        } else {
                            fin = FinalActivation.SIGMOID;
                        }
                        ended = true;
                    }
                    default -> throw unsupported(at, n);
                }
                current = n.getOutput(0);
            }
            if (layers.isEmpty()) {
                throw new InvalidInputException(source, "the graph has no affine layer", "Export an MLP");
            }
            if (last == 'R' && !ended) {
                throw new InvalidInputException(source, "the graph ends with Relu, so its outputs are not logits",
                        "Export the model without a ReLU after its last layer");
            }
            int outputs = layers.get(layers.size() - 1).out();
            if (outputs != 1 && outputs != 2) {
                throw new InvalidInputException(source, "the graph gives " + outputs + " outputs per row; cfq imports "
                        + "two-class classifiers (1 output: the favorable logit or probability; 2: one per class)",
                        "Export a binary classifier");
            }
            if (favorable.isEmpty() && outputs == 2) {
                throw new InvalidInputException(source, "the graph gives two outputs and no --favorable-index says "
                        + "which is the favorable class", "Pass --favorable-index 1 (or 0) as the model was trained");
            }
            int favorableIndex = favorable.orElse(0);
            if (favorableIndex < 0 || favorableIndex >= outputs) {
                throw new InvalidInputException("--favorable-index " + favorableIndex, "the graph gives " + outputs
                        + (outputs == 1 ? " output (the favorable class's), so the index must be 0"
                        : " outputs, so the index must be 0 or 1"), outputs == 1 ? "Drop --favorable-index"
                        : "Give the index of the favorable class's output");
            }
            if (fin == FinalActivation.SIGMOID && outputs != 1) {
                throw new InvalidInputException(source, "a final Sigmoid over " + outputs + " outputs does not give "
                        + "class probabilities", "Export two logits (with or without Softmax), or one logit with Sigmoid");
            }
            if (fin == FinalActivation.SOFTMAX && outputs != 2) {
                throw new InvalidInputException(source, "a final Softmax over 1 output is always 1",
                        "Export one logit with Sigmoid, or two logits with Softmax");
            }
            return new ImportedNetwork(layers, new OutputHead(outputs, fin, favorableIndex));
        }

        private void requireAfterActivation(String at, char last, NodeProto n) {
            if (last != 'R') {
                throw new InvalidInputException(at, n.getOpType() + " follows another affine layer without a Relu "
                        + "between them", "Export a plain MLP with ReLU between its Linear layers");
            }
        }

        private DenseLayer gemm(NodeProto n, String at, String current) {
            if (n.getInputCount() < 2 || !n.getInput(0).equals(current)) {
                throw new InvalidInputException(at, "Gemm must take the previous value as its first input A",
                        "Export a plain MLP");
            }
            if (intAttr(n, "transA", 0) != 0) {
                throw new InvalidInputException(at, "Gemm with transA=1 transposes the batch", "Export a plain MLP");
            }
            boolean transB = intAttr(n, "transB", 0) != 0;
            float alpha = floatAttr(n, "alpha", 1f);
            float beta = floatAttr(n, "beta", 1f);
            Tensor b = constant(n.getInput(1), at, "B");
            if (b.dims.length != 2) {
                throw new InvalidInputException(at, "weight B has shape " + b.shape() + ", not a matrix", "Export a plain MLP");
            }
            int out = (int) (transB ? b.dims[0] : b.dims[1]);
            int in = (int) (transB ? b.dims[1] : b.dims[0]);
            float[] w = new float[out * in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    float v = transB ? b.data[o * in + i] : b.data[i * out + o];
                    w[o * in + i] = alpha == 1f ? v : alpha * v;
                }
            }
            float[] bias = new float[out];
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                Tensor c = constant(n.getInput(2), at, "C");
                float[] v = broadcastBias(c, out, at);
                for (int o = 0; o < out; o++) {
                    bias[o] = beta == 1f ? v[o] : beta * v[o];
                }
            }
            return new DenseLayer(in, out, w, bias);
        }

        private DenseLayer matMul(NodeProto n, String at, String current) {
            if (n.getInputCount() != 2 || !n.getInput(0).equals(current)) {
                throw new InvalidInputException(at, "MatMul must multiply the previous value (first input) by a "
                        + "weight matrix", "Export a plain MLP");
            }
            Tensor b = constant(n.getInput(1), at, "B");
            if (b.dims.length != 2) {
                throw new InvalidInputException(at, "weight has shape " + b.shape() + ", not a matrix", "Export a plain MLP");
            }
            int in = (int) b.dims[0];
            int out = (int) b.dims[1];
            float[] w = new float[out * in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[o * in + i] = b.data[i * out + o];
                }
            }
            return new DenseLayer(in, out, w, new float[out]);
        }

        private DenseLayer addBias(DenseLayer d, NodeProto n, String at, String current) {
            if (n.getInputCount() != 2) {
                throw new InvalidInputException(at, "Add needs two inputs", "Export a plain MLP");
            }
            String other = n.getInput(0).equals(current) ? n.getInput(1) : n.getInput(0);
            Tensor c = constant(other, at, "bias");
            float[] v = broadcastBias(c, d.out(), at);
            float[] bias = d.bias().clone();
            for (int o = 0; o < bias.length; o++) {
                bias[o] += v[o];
            }
            return new DenseLayer(d.in(), d.out(), d.weight(), bias);
        }

        private float[] broadcastBias(Tensor c, int out, String at) {
            long count = c.data.length;
            boolean rowShape = c.dims.length <= 1 || c.dims.length == 2 && c.dims[0] == 1;
            if (!rowShape || count != out && count != 1) {
                throw new InvalidInputException(at, "bias of shape " + c.shape() + " does not broadcast over " + out
                        + " outputs per row", "Export a bias of shape (" + out + ")");
            }
            float[] v = new float[out];
            for (int o = 0; o < out; o++) {
                v[o] = c.data[count == 1 ? 0 : o];
            }
            return v;
        }

        private Tensor constant(String name, String at, String role) {
            TensorProto t = constants.get(name);
            if (t == null) {
                throw new InvalidInputException(at, role + " '" + name + "' is computed by the graph, not stored as "
                        + "an initializer", "Export with constant weights (torch.onnx.export does by default)");
            }
            return Tensor.of(t, at + ", " + role + " '" + name + "'");
        }

        private static InvalidInputException unsupported(String at, NodeProto n) {
            return new InvalidInputException(at, "op type " + (n.getDomain().isEmpty() ? "" : n.getDomain() + ".")
                    + n.getOpType() + " is not one cfq imports (Gemm, MatMul, Add, Relu, and a final Sigmoid or Softmax)",
                    "Export a plain MLP of Linear and ReLU layers; fold normalisation into the input layout");
        }
    }

    /** A float tensor: shape and row-major data. */
    private record Tensor(long[] dims, float[] data) {
        static Tensor of(TensorProto t, String at) {
            if (t.getDataType() != FLOAT) {
                throw new InvalidInputException(at, "element type " + TensorProto.DataType.forNumber(t.getDataType())
                        + " is not float32", "Export the model in float32");
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            long count = 1;
            for (long d : dims) {
                count *= d;
            }
            if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new InvalidInputException(at, "the tensor is stored in an external file",
                        "Export with the weights inside the .onnx file");
            }
            float[] data = new float[(int) count];
            if (!t.getRawData().isEmpty()) {
                if (t.getRawData().size() != count * 4) {
                    throw new InvalidInputException(at, "raw data holds " + t.getRawData().size() + " bytes, not "
                            + count * 4 + " for shape " + java.util.Arrays.toString(dims), "Re-export the model");
                }
                ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            } else if (t.getFloatDataCount() == count) {
                for (int i = 0; i < count; i++) {
                    data[i] = t.getFloatData(i);
                }
            } else {
                throw new InvalidInputException(at, "holds " + t.getFloatDataCount() + " values, not " + count
                        + " for shape " + java.util.Arrays.toString(dims), "Re-export the model");
            }
            return new Tensor(dims, data);
        }

        String shape() {
            return java.util.Arrays.toString(dims);
        }
    }

    private static TensorProto constantValue(NodeProto n, String source) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("value") && a.hasT()) {
                return a.getT().toBuilder().setName(n.getOutput(0)).build();
            }
        }
        throw new InvalidInputException(source + ", " + describe(n, -1), "a Constant without a tensor 'value'",
                "Store the constant as an initializer");
    }

    private static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static float floatAttr(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    private static String describe(NodeProto n, int index) {
        String name = n.getName().isEmpty() ? (index >= 0 ? "#" + index : "(unnamed)") : "'" + n.getName() + "'";
        return "node " + name + " (op type " + n.getOpType() + ")";
    }
}
