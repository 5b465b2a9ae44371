package org.cfq.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.time.Instant;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.data.synthetic.SyntheticCredit;
import org.cfq.model.DenseLayer;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;
import org.cfq.quant.calibrate.MinMaxCalibrator;
import org.cfq.quant.integer.IntegerMlp;
import org.cfq.quant.integer.QuantizedVariants;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class OnnxExporterTest {
    private static final Provenance PROV = new Provenance("0.1.0", 42, "test config", "sha256:abc", "17", "Linux",
            "amd64", Instant.parse("2026-11-26T00:00:00Z").toString());

    private static QuantizedMlp tiny(int bits, UniformQuantizer act) {
        DenseLayer h = new DenseLayer(2, 2, new float[] {1.0f, -0.5f, 0.25f, 0.75f}, new float[] {0.1f, -0.2f});
        DenseLayer o = new DenseLayer(2, 2, new float[] {0.5f, -1.0f, -0.25f, 1.0f}, new float[] {0f, 0.3f});
        MinMaxCalibrator c = new MinMaxCalibrator();
        return new QuantizedMlp(List.of(
                QuantizedLayer.quantize(h, c.weightQuantizer(h.weight(), 2, QuantSpec.weights(bits)), act),
                QuantizedLayer.quantize(o, c.weightQuantizer(o.weight(), 2, QuantSpec.weights(bits)), null)));
    }

    @Test
    void onnxExport_quantizedModel_isTheExportersBytesAndItsOpset() {
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        OnnxExport e = OnnxExport.of(OnnxExport.options("ONNX", null), tiny(2, act), PROV);
        ModelProto m = new OnnxExporter(OnnxExportOptions.defaults()).export(tiny(2, act), PROV);
        assertThat(e.opset()).isEqualTo(21);
        assertThat(e.bytes()).isEqualTo(OnnxExporter.toBytes(m));
        assertThat(OnnxExport.options("onnx", 21).opset()).isEqualTo(21);
    }

    @Test
    void onnxExport_options_badFormatOrOpset_failsNamingTheOption() {
        assertThatThrownBy(() -> OnnxExport.options("tflite", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--format tflite").hasMessageContaining("Use --format onnx");
        assertThatThrownBy(() -> OnnxExport.options("onnx", 12)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--opset 12").hasMessageContaining("13 to 21");
    }

    @Test
    void export_twoBitModel_usesInt4WeightsOpset21AndQdqNodes() {
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        ModelProto m = new OnnxExporter(OnnxExportOptions.defaults()).export(tiny(2, act), PROV);
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(21);
        TensorProto w = m.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("layer0.weight_q")).findFirst().orElseThrow();
        assertThat(w.getDataType()).isEqualTo(TensorProto.DataType.INT4_VALUE);
        // codes (1, 0, 0, 1) as nibbles, first in the low half: 0x01, 0x10
        assertThat(w.getRawData().toByteArray()).containsExactly((byte) 0x01, (byte) 0x10);
        assertThat(m.getGraph().getNodeList()).extracting(NodeProto::getOpType).containsExactly(
                "DequantizeLinear", "Gemm", "Relu", "Mul", "Clip", "QuantizeLinear", "DequantizeLinear",
                "DequantizeLinear", "Gemm");
    }

    @Test
    void export_eightBitModel_usesInt8WeightsOpset13() {
        ModelProto m = new OnnxExporter(OnnxExportOptions.defaults()).export(tiny(8, null), PROV);
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(13);
        assertThat(m.getGraph().getInitializer(0).getDataType()).isEqualTo(TensorProto.DataType.INT8_VALUE);
    }

    @Test
    void export_fourBitWeightsAtOpset13_failsNamingLayerOpsetAndFix() {
        OnnxExporter ex = new OnnxExporter(new OnnxExportOptions(13));
        assertThatThrownBy(() -> ex.export(tiny(4, null), PROV))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--opset 13").hasMessageContaining("layer 0 has 4-bit weights")
                .hasMessageContaining("opset 21").hasMessageContaining("--opset 21");
    }

    @Test
    void options_opsetOutsideRange_failsNamingRange() {
        assertThatThrownBy(() -> new OnnxExportOptions(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[13, 21], got 12");
    }

    @Test
    void export_tinyQuantizedModel_runsInOnnxRuntimeWithHandComputedLogits() {
        // As IntegerMlpTest: x = (1, 2) gives logits (-1.5, 1.8).
        UniformQuantizer act = new UniformQuantizer(QuantSpec.unsignedActivations(2), QuantParams.symmetric(0.5f));
        byte[] onnx = OnnxExporter.toBytes(new OnnxExporter(OnnxExportOptions.defaults()).export(tiny(2, act), PROV));
        try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(onnx, 2)) {
            float[] logits = new float[2];
            ort.logits(new float[] {1f, 2f}, 1, logits);
            assertThat(logits).containsExactly(-1.5f, 1.8f);
            assertThat(ort.metadata()).containsEntry("cfq.seed", "42").containsEntry("cfq.weight_bits", "2,2")
                    .containsEntry("cfq.activation_bits", "2").containsEntry("cfq.model_kind", "quantized")
                    .containsEntry("cfq.dataset_fingerprint", "sha256:abc");
        }
    }

    @Test
    void export_syntheticTeacherAndEveryVariant_onnxRuntimeMakesTheJavaDecisions() {
        Dataset d = SyntheticCredit.generate(2000, 11);
        Encoder e = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = e.encode(d.train());
        float[] xv = e.encode(d.validation());
        float[] xt = e.encode(d.test());
        int rows = d.test().rows();
        Mlp teacher = new MlpTrainer(TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(4).withSeed(3))
                .train(x, d.train().labels(), xv, d.validation().labels()).model();
        OnnxExporter ex = new OnnxExporter(OnnxExportOptions.defaults());
        try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(OnnxExporter.toBytes(ex.export(teacher, PROV)), teacher.inputDim())) {
            var a = QuantizedVariants.compare(teacher, ort, xt, rows);
            assertThat(a.decisionMismatches()).as("float teacher").isZero();
            assertThat(a.maxAbsLogitDiff()).as("float teacher").isLessThanOrEqualTo(1e-5 * (1 + a.maxAbsLogit()));
            assertThat(ort.metadata()).containsEntry("cfq.model_kind", "float");
        }
        for (var v : QuantizedVariants.all(teacher, x, d.train().rows(), xv, d.validation().labels(),
                d.validation().rows(), 5)) {
            try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(OnnxExporter.toBytes(ex.export(v.model(), PROV)), teacher.inputDim())) {
                var fake = QuantizedVariants.compare(v.model(), ort, xt, rows);
                var integer = QuantizedVariants.compare(IntegerMlp.of(v.model()), ort, xt, rows);
                assertThat(fake.decisionMismatches()).as(v.name() + " vs fake").isZero();
                assertThat(integer.decisionMismatches()).as(v.name() + " vs integer").isZero();
                assertThat(fake.maxAbsLogitDiff()).as(v.name()).isLessThanOrEqualTo(1e-5 * (1 + fake.maxAbsLogit()));
            }
        }
    }
}
