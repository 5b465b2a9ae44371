package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    @TempDir
    static Path dir;
    static Path teacher;
    static Dataset data;
    static SavedModel saved;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainTeacher() throws Exception {
        data = DatasetRegistry.builtIn().load("synthetic", ActionPreset.PAPER, DataDirectory.resolve(dir),
                Downloader.standard(), false);
        Encoder enc = Encoder.fit(data.train(), Scaling.STANDARD);
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(5).withSeed(1);
        var r = new MlpTrainer(cfg).train(enc.encode(data.train()), data.train().labels(),
                enc.encode(data.validation()), data.validation().labels());
        saved = new SavedModel(r.model(), enc, cfg, Provenance.of(1, cfg.summary(),
                DatasetFingerprint.of(data.train()), Instant.now()));
        teacher = dir.resolve("teacher.json");
        ModelFile.write(teacher, saved);
    }

    @Test
    void quantize_mixedJson_printsOneObjectWithRequiredKeysAndWritesLoadableFile() throws Exception {
        Path out = dir.resolve("mixed.json");
        Run r = run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "mixed", "--bits", "3", "--epochs", "2", "--seed", "42", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("method", "average_bits", "bits_per_layer", "model_bits", "teacher_accuracy",
                "test_accuracy", "agreement_with_teacher", "seconds")) {
            assertThat(j.has(key)).as(key).isTrue();
        }
        assertThat(j.get("method").asText()).isEqualTo("mixed");
        assertThat(j.get("average_bits").asDouble()).isLessThanOrEqualTo(3.0);
        assertThat(j.get("bits_per_layer")).hasSize(3);
        assertThat(j.get("agreement_with_teacher").asDouble()).isBetween(0.5, 1.0);
        assertThat(r.err()).contains("epoch 1/2");

        SavedQuantizedModel loaded = QuantizedModelFile.read(out, data.schema());
        float[] xt = saved.encoder().encode(data.test());
        int[] p = loaded.model().predict(xt, data.test().rows());
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == data.test().label(i) ? 1 : 0;
        }
        assertThat((double) ok / p.length).isEqualTo(j.get("test_accuracy").asDouble());
        assertThat(loaded.method()).isEqualTo("mixed");
        assertThat(loaded.provenance().seed()).isEqualTo(42);
    }

    @Test
    void quantize_ptqEightBits_agreesWithTeacherAlmostEverywhere() throws Exception {
        Path out = dir.resolve("ptq.json");
        Run r = run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "ptq", "--bits", "8", "--out", out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("agreement_with_teacher").asDouble()).isGreaterThan(0.99);
        assertThat(j.get("bits_per_layer").toString()).isEqualTo("[8,8,8]");
    }

    @Test
    void quantize_fractionalBitsForLsq_exitsTwoSuggestingMixed() {
        Run r = run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "lsq", "--bits", "3.5", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--method mixed");
    }

    @Test
    void quantize_unknownMethod_exitsTwo() {
        Run r = run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "magic", "--bits", "4", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--method magic").contains("ptq, qat, lsq, pact, mixed");
    }

    @Test
    void quantize_budgetBelowNarrowest_exitsTwo() {
        Run r = run("quantize", "--model", teacher.toString(), "--dataset", "synthetic", "--data-dir", dir.toString(),
                "--method", "mixed", "--bits", "2", "--candidates", "3,4", "--out", dir.resolve("x.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("below the smallest candidate width 3");
    }
}
