package org.cfq.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.cfq.InvalidInputException;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.model.imported.OutputHead.FinalActivation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OnnxImporterTest {
    private static final int IN = 4;
    private static final int HID = 3;

    /** A tiny graph builder: one float input "x", named nodes, float initializers. */
    private static final class G {
        final GraphProto.Builder g = GraphProto.newBuilder().setName("t");
        final SplittableRandom rng = new SplittableRandom(7);
        int opset = 13;

        G() {
            g.addInput(value("x", -1, IN));
        }

        String init(String name, long... dims) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
            long n = 1;
            for (long d : dims) {
                t.addDims(d);
                n *= d;
            }
            for (int i = 0; i < n; i++) {
                t.addFloatData((float) rng.nextGaussian());
            }
            g.addInitializer(t);
            return name;
        }

        String node(String op, String name, List<String> inputs, AttributeProto... attrs) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name + "_out");
            inputs.forEach(n::addInput);
            for (AttributeProto a : attrs) {
                n.addAttribute(a);
            }
            g.addNode(n);
            return name + "_out";
        }

        byte[] bytes(String output, int outputs) {
            g.addOutput(value(output, -1, outputs));
            return ModelProto.newBuilder().setIrVersion(8).setProducerName("test").setProducerVersion("1")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                    .setGraph(g).build().toByteArray();
        }

        static ValueInfoProto value(String name, long rows, long cols) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            s.addDim(rows < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(rows));
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(cols));
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
        }
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    /** Gemm(transB=1) - Relu - Gemm - Sigmoid, as torch.onnx.export writes nn.Linear. */
    private static byte[] gemmSigmoid(int opset) {
        G g = new G();
        g.opset = opset;
        String h = g.node("Gemm", "fc1", List.of("x", g.init("w1", HID, IN), g.init("b1", HID)), intAttr("transB", 1));
        h = g.node("Relu", "relu1", List.of(h));
        h = g.node("Gemm", "fc2", List.of(h, g.init("w2", 1, HID), g.init("b2", 1)), intAttr("transB", 1));
        h = g.node("Sigmoid", "sig", List.of(h));
        return g.bytes(h, 1);
    }

    private static float[] ort(byte[] model, float[] x, int rows, int outputs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, x.length / rows});
             OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
            float[][] y = (float[][]) r.get(0).getValue();
            float[] out = new float[rows * outputs];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(y[i], 0, out, i * outputs, outputs);
            }
            return out;
        }
    }

    private static float[] randomRows(int rows, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 2);
        }
        return x;
    }

    @Test
    void parse_gemmReluSigmoid_matchesOnnxRuntime() throws Exception {
        byte[] bytes = gemmSigmoid(13);
        OnnxImporter.Imported imp = OnnxImporter.parse(bytes, "t.onnx", OptionalInt.empty());
        ImportedNetwork net = imp.network();
        assertThat(net.inputDim()).isEqualTo(IN);
        assertThat(net.head().activation()).isEqualTo(FinalActivation.SIGMOID);
        assertThat(imp.producerName()).isEqualTo("test");
        assertThat(imp.opset()).isEqualTo(13);
        assertThat(imp.sha256()).hasSize(64);
        var source = imp.source("t.onnx", "{}");
        assertThat(source.file()).isEqualTo("t.onnx");
        assertThat(source.sha256()).isEqualTo(imp.sha256());
        assertThat(source.opset()).isEqualTo(13);
        assertThat(source.output()).isEqualTo(net.head().describe());
        assertThat(source.layoutSha256()).isEqualTo(org.cfq.provenance.Digests.sha256Hex("{}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        float[] x = randomRows(50, IN, 1);
        float[] expected = ort(bytes, x, 50, 1);
        float[] got = net.outputs(x, 50);
        for (int i = 0; i < 50; i++) {
            assertThat(got[i]).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void parse_matMulAddSoftmax_matchesOnnxRuntime() throws Exception {
        G g = new G();
        String h = g.node("MatMul", "mm1", List.of("x", g.init("w1", IN, HID)));
        h = g.node("Add", "add1", List.of(g.init("b1", HID), h));
        h = g.node("Relu", "relu1", List.of(h));
        h = g.node("MatMul", "mm2", List.of(h, g.init("w2", HID, 2)));
        h = g.node("Add", "add2", List.of(h, g.init("b2", 2)));
        h = g.node("Softmax", "sm", List.of(h), intAttr("axis", -1));
        byte[] bytes = g.bytes(h, 2);
        ImportedNetwork net = OnnxImporter.parse(bytes, "t.onnx", OptionalInt.of(1)).network();
        assertThat(net.head().activation()).isEqualTo(FinalActivation.SOFTMAX);
        assertThat(net.head().favorableIndex()).isEqualTo(1);
        float[] x = randomRows(40, IN, 2);
        float[] expected = ort(bytes, x, 40, 2);
        float[] got = net.outputs(x, 40);
        for (int i = 0; i < 80; i++) {
            assertThat(got[i]).isCloseTo(expected[i], within(1e-6f));
        }
    }

    @Test
    void parse_opsets9And21_accepted_8And22_rejected() {
        assertThat(OnnxImporter.parse(gemmSigmoid(9), "a.onnx", OptionalInt.empty()).opset()).isEqualTo(9);
        assertThat(OnnxImporter.parse(gemmSigmoid(21), "a.onnx", OptionalInt.empty()).opset()).isEqualTo(21);
        for (int bad : new int[] {8, 22}) {
            assertThatThrownBy(() -> OnnxImporter.parse(gemmSigmoid(bad), "a.onnx", OptionalInt.empty()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("a.onnx").hasMessageContaining("opset " + bad).hasMessageContaining("9 to 21");
        }
    }

    @Test
    void parse_tanhActivation_failsNamingNodeAndOpType() {
        G g = new G();
        String h = g.node("Gemm", "fc1", List.of("x", g.init("w1", HID, IN), g.init("b1", HID)), intAttr("transB", 1));
        h = g.node("Tanh", "act1", List.of(h));
        h = g.node("Gemm", "fc2", List.of(h, g.init("w2", 1, HID), g.init("b2", 1)), intAttr("transB", 1));
        byte[] bytes = g.bytes(h, 1);
        assertThatThrownBy(() -> OnnxImporter.parse(bytes, "m.onnx", OptionalInt.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("m.onnx, node 'act1' (op type Tanh)").hasMessageContaining("op type Tanh is not");
    }

    @Test
    void parse_batchNormalization_failsNamingNode() {
        G g = new G();
        String h = g.node("Gemm", "fc1", List.of("x", g.init("w1", HID, IN), g.init("b1", HID)), intAttr("transB", 1));
        h = g.node("BatchNormalization", "bn1", List.of(h, g.init("s", HID), g.init("bb", HID), g.init("m", HID),
                g.init("v", HID)));
        byte[] bytes = g.bytes(h, HID);
        assertThatThrownBy(() -> OnnxImporter.parse(bytes, "m.onnx", OptionalInt.empty()))
                .hasMessageContaining("node 'bn1' (op type BatchNormalization)");
    }

    @Test
    void parse_branch_failsNamingTheSecondConsumer() {
        G g = new G();
        String h = g.node("Gemm", "fc1", List.of("x", g.init("w1", HID, IN), g.init("b1", HID)), intAttr("transB", 1));
        String a = g.node("Relu", "relu_a", List.of(h));
        g.node("Relu", "relu_b", List.of(h));
        byte[] bytes = g.bytes(a, HID);
        assertThatThrownBy(() -> OnnxImporter.parse(bytes, "m.onnx", OptionalInt.empty()))
                .hasMessageContaining("node 'relu_b' (op type Relu)").hasMessageContaining("branches");
    }

    @Test
    void parse_twoOutputsWithoutIndex_failsAskingForIt() {
        G g = new G();
        String h = g.node("Gemm", "fc1", List.of("x", g.init("w1", 2, IN), g.init("b1", 2)), intAttr("transB", 1));
        byte[] bytes = g.bytes(h, 2);
        assertThatThrownBy(() -> OnnxImporter.parse(bytes, "m.onnx", OptionalInt.empty()))
                .hasMessageContaining("--favorable-index");
        assertThat(OnnxImporter.parse(bytes, "m.onnx", OptionalInt.of(0)).network().head().favorableIndex()).isZero();
    }

    @Test
    void parse_notOnnx_failsNamingFile() {
        assertThatThrownBy(() -> OnnxImporter.parse(new byte[] {1, 2, 3, 4, 5}, "junk.onnx", OptionalInt.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("junk.onnx");
    }

    @Test
    void read_pytorchFixtures_matchOnnxRuntime() throws Exception {
        Path dir = null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("../shared/fixtures/onnx").normalize();
            if (Files.isDirectory(c)) {
                dir = c;
                break;
            }
        }
        Assumptions.assumeTrue(dir != null, "../shared/fixtures/onnx is absent: skipping the PyTorch fixture check");
        List<String> names = new ArrayList<>(List.of("adult-mlp-two-logits.onnx", "adult-mlp-sigmoid.onnx"));
        for (String name : names) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            int outputs = name.contains("two") ? 2 : 1;
            OnnxImporter.Imported imp = OnnxImporter.read(dir.resolve(name), OptionalInt.of(outputs - 1));
            assertThat(imp.producerName()).isEqualTo("pytorch");
            assertThat(imp.network().inputDim()).isEqualTo(91);
            assertThat(imp.network().layers()).hasSize(3);
            float[] x = randomRows(64, 91, 3);
            float[] expected = ort(bytes, x, 64, outputs);
            float[] got = imp.network().outputs(x, 64);
            for (int i = 0; i < expected.length; i++) {
                assertThat(got[i]).as(name + " value " + i).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }
}
