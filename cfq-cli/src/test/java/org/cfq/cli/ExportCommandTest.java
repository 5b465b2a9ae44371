package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.QuantizedModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.model.Classifier;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    static Path dir;
    static Path teacherFile;
    static Path quantizedFile;
    static SavedModel teacher;
    static QuantizedMlp student;
    static float[] xt;
    static int rows;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void writeModels() throws Exception {
        Dataset data = DatasetRegistry.builtIn().load("synthetic", ActionPreset.PAPER, DataDirectory.resolve(dir),
                Downloader.standard(), false);
        Encoder enc = Encoder.fit(data.train(), Scaling.STANDARD);
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(3).withSeed(1);
        float[] x = enc.encode(data.train());
        var r = new MlpTrainer(cfg).train(x, data.train().labels(), enc.encode(data.validation()),
                data.validation().labels());
        Provenance prov = Provenance.of(17, cfg.summary(), DatasetFingerprint.of(data.train()), Instant.now());
        teacher = new SavedModel(r.model(), enc, cfg, prov);
        teacherFile = dir.resolve("teacher.json");
        ModelFile.write(teacherFile, teacher);
        student = PostTrainingQuantizer.quantize(r.model(), 4, PtqConfig.defaults().withActivationBits(4), x,
                data.train().rows(), new SplittableRandom(2));
        quantizedFile = dir.resolve("w4a4.json");
        QuantizedModelFile.write(quantizedFile, new SavedQuantizedModel(student, enc, "ptq", 4, "0".repeat(64), prov));
        xt = enc.encode(data.test());
        rows = data.test().rows();
    }

    /** The decisions of a graph in ONNX Runtime. */
    private static int[] ortDecisions(Path onnx) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int d = teacher.model().inputDim();
        try (OrtSession s = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(xt, 0, rows * d), new long[] {rows, d});
             OrtSession.Result res = s.run(Map.of("input", t))) {
            float[][] y = (float[][]) res.get(0).getValue();
            int[] p = new int[rows];
            for (int i = 0; i < rows; i++) {
                p[i] = y[i][1] - y[i][0] > 0f ? 1 : 0;
            }
            return p;
        }
    }

    private static int[] decisions(Classifier c) {
        return c.predict(xt, rows);
    }

    @Test
    void export_teacherJson_writesFloatGraphWithTheTeachersDecisions() throws Exception {
        Path out = dir.resolve("teacher.onnx");
        Run r = run("export", "--model", teacherFile.toString(), "--format", "onnx", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("kind").asText()).isEqualTo("float");
        assertThat(j.get("opset").asInt()).isEqualTo(13);
        assertThat(j.get("bytes").asLong()).isEqualTo(Files.size(out));
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(out));
        assertThat(m.getMetadataPropsList()).anyMatch(p -> p.getKey().equals("cfq.seed") && p.getValue().equals("17"));
        assertThat(ortDecisions(out)).containsExactly(decisions(teacher.model()));
    }

    @Test
    void export_quantizedFourBit_writesOpset21QdqGraphWithTheStudentsDecisions() throws Exception {
        Path out = dir.resolve("w4a4.onnx");
        Run r = run("export", "--model", quantizedFile.toString(), "--format", "onnx", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("kind").asText()).isEqualTo("quantized");
        assertThat(j.get("opset").asInt()).isEqualTo(21);
        assertThat(j.get("bits_per_layer").toString()).isEqualTo("[4,4,4]");
        assertThat(ortDecisions(out)).containsExactly(decisions(student));
    }

    @Test
    void export_fourBitAtOpset13_exitsTwoNamingOpset21() {
        Run r = run("export", "--model", quantizedFile.toString(), "--format", "onnx", "--opset", "13", "--out",
                dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--opset 13").contains("4-bit weights").contains("--opset 21");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
    }

    @Test
    void export_unknownFormat_exitsTwoNamingOnnx() {
        Run r = run("export", "--model", teacherFile.toString(), "--format", "tflite", "--out",
                dir.resolve("x.tflite").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--format tflite").contains("--format onnx");
    }

    @Test
    void export_opsetOutOfRange_exitsTwo() {
        Run r = run("export", "--model", teacherFile.toString(), "--format", "onnx", "--opset", "9", "--out",
                dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--opset 9").contains("13 to 21");
    }

    @Test
    void export_jsonWithoutFormat_exitsTwoNamingTheFile() throws Exception {
        Path bad = dir.resolve("other.json");
        Files.writeString(bad, "{\"hello\": 1}");
        Run r = run("export", "--model", bad.toString(), "--format", "onnx", "--out", dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(bad.toString()).contains("no \"format\" field");
    }

    @Test
    void export_missingFile_exitsTwo() {
        Run r = run("export", "--model", dir.resolve("nope.json").toString(), "--format", "onnx", "--out",
                dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
    }
}
