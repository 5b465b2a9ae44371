package org.cfq.cli;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.io.model.SavedModel;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.calibrate.PostTrainingQuantizer;
import org.cfq.quant.calibrate.PtqConfig;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;

/** A small teacher and a dequantized PTQ student on the built-in synthetic dataset, written as model files. */
final class TestModels {
    record Run(int exit, String out, String err) {
    }

    final Path teacher;
    final Path student;
    /** A quantized model file of the same teacher: weights at the given bits, activations at 4 bits. */
    final Path quantized;

    private TestModels(Path teacher, Path student, Path quantized) {
        this.teacher = teacher;
        this.student = student;
        this.quantized = quantized;
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Dataset synthetic(Path dir) {
        return DatasetRegistry.builtIn().load("synthetic", ActionPreset.PAPER, DataDirectory.resolve(dir),
                Downloader.standard(), false);
    }

    /**
     * Trains a [16, 8] teacher for 5 epochs on the synthetic data and writes it to
     * {@code dir/teacher.json}.
     */
    static SavedModel writeSmallTeacher(Path dir) throws Exception {
        Dataset d = synthetic(dir);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        TrainingConfig cfg = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(5).withSeed(1);
        var r = new MlpTrainer(cfg).train(enc.encode(d.train()), d.train().labels(), enc.encode(d.validation()),
                d.validation().labels());
        SavedModel saved = new SavedModel(r.model(), enc, cfg, Provenance.of(1, cfg.summary(),
                DatasetFingerprint.of(d.train()), Instant.now()));
        ModelFile.write(dir.resolve("teacher.json"), saved);
        return saved;
    }

    /** Trains a [16, 8] teacher for 10 epochs and quantizes it to {@code bits} (weights only). */
    static TestModels write(Path dir, int bits) throws Exception {
        Dataset d = synthetic(dir);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = enc.encode(d.train());
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(10).withSeed(1);
        Mlp teacher = new MlpTrainer(tc).train(x, d.train().labels(), enc.encode(d.validation()),
                d.validation().labels()).model();
        Mlp student = PostTrainingQuantizer.quantize(teacher, bits, PtqConfig.defaults(), x, d.train().rows(),
                new SplittableRandom(2)).dequantizedMlp();
        QuantizedMlp quantized = PostTrainingQuantizer.quantize(teacher, bits, PtqConfig.defaults()
                .withActivationBits(4), x, d.train().rows(), new SplittableRandom(2));
        Provenance p = Provenance.of(1, "test", "sha256:test", Instant.EPOCH);
        Path t = dir.resolve("teacher.json");
        Path s = dir.resolve("student.json");
        ModelFile.write(t, new SavedModel(teacher, enc, tc, p));
        ModelFile.write(s, new SavedModel(student, enc, tc, p));
        Path q = dir.resolve("quantized.json");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(t)));
        QuantizedModelFile.write(q, new SavedQuantizedModel(quantized, enc, "ptq", bits, sha, p));
        return new TestModels(t, s, q);
    }
}
