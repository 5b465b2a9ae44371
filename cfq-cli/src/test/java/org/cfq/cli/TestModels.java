package org.cfq.cli;

import java.io.IOException;
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
import org.cfq.io.model.SavedModel;
import org.cfq.model.Mlp;
import org.cfq.provenance.Provenance;
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

    private TestModels(Path teacher, Path student) {
        this.teacher = teacher;
        this.student = student;
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

    /** Trains a [16, 8] teacher for 10 epochs and quantizes it to {@code bits} (weights only). */
    static TestModels write(Path dir, int bits) throws IOException {
        Dataset d = synthetic(dir);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = enc.encode(d.train());
        TrainingConfig tc = TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(10).withSeed(1);
        Mlp teacher = new MlpTrainer(tc).train(x, d.train().labels(), enc.encode(d.validation()),
                d.validation().labels()).model();
        Mlp student = PostTrainingQuantizer.quantize(teacher, bits, PtqConfig.defaults(), x, d.train().rows(),
                new SplittableRandom(2)).dequantizedMlp();
        Provenance p = Provenance.of(1, "test", "sha256:test", Instant.EPOCH);
        Path t = dir.resolve("teacher.json");
        Path s = dir.resolve("student.json");
        ModelFile.write(t, new SavedModel(teacher, enc, tc, p));
        ModelFile.write(s, new SavedModel(student, enc, tc, p));
        return new TestModels(t, s);
    }
}
