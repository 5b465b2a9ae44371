package org.cfq.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.cfq.data.encode.EncodedSplits;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.ModelSize;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.QatConfig;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;

/**
 * Bytes of the deployed forms of one Adult teacher (default shape, 3 epochs, seed 42): the
 * teacher model file, and for PTQ at 8, 4, 3 and 2 bits and two mixed allocations (budgets
 * 2.5 and 3.5 bits over {2, 3, 4, 8}, 1 fine-tuning epoch) the quantized model file, its packed weights, and the binary
 * payload {@link ModelSize} counts (packed weights, float32 scales and biases). Writes the
 * files into OUT_DIR so {@code cfq export} can size their ONNX graphs.
 *
 * <p>Run: {@code java -cp cfq-bench/target/benchmarks.jar org.cfq.bench.DeploymentSizes DATA_DIR OUT_DIR}.
 */
public final class DeploymentSizes {
    private DeploymentSizes() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path outDir = Files.createDirectories(Path.of(args[1]));
        Dataset d = DatasetRegistry.builtIn().load("adult", ActionPreset.PAPER, new DataDirectory(List.of(dataDir)),
                Downloader.standard(), false);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = enc.encode(d.train());
        float[] xv = enc.encode(d.validation());
        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(3).withSeed(42);
        Mlp teacher = new MlpTrainer(cfg).train(x, d.train().labels(), xv, d.validation().labels()).model();
        Provenance prov = Provenance.of(42, cfg.summary(), DatasetFingerprint.of(d.train()), Instant.EPOCH);
        Path teacherFile = outDir.resolve("adult-teacher.json");
        ModelFile.write(teacherFile, new SavedModel(teacher, enc, cfg, prov));
        System.out.printf(Locale.ROOT, "adult teacher %s, %d parameters: model file %d bytes, float32 payload %d bytes%n",
                Arrays.toString(teacher.hiddenSizes()), teacher.parameterCount(), Files.size(teacherFile),
                teacher.parameterCount() * 4L);
        System.out.printf(Locale.ROOT, "%-16s %-12s %12s %14s %16s%n", "student", "bits", "file bytes",
                "packed weights", "binary payload");
        SplittableRandom rng = new SplittableRandom(42);
        EncodedSplits splits = new EncodedSplits(x, d.train().labels(), xv, d.validation().labels(), new float[0],
                new int[0], enc.width());
        Object[][] runs = {{"ptq8", QuantMethod.PTQ, 8.0}, {"ptq4", QuantMethod.PTQ, 4.0},
            {"ptq3", QuantMethod.PTQ, 3.0}, {"ptq2", QuantMethod.PTQ, 2.0}, {"mixed2.5", QuantMethod.MIXED, 2.5},
            {"mixed3.5", QuantMethod.MIXED, 3.5}};
        for (Object[] run : runs) {
            QuantizeRequest req = QuantizeRequest.of((QuantMethod) run[1], (double) run[2])
                    .withTraining(QatConfig.defaults().withEpochs(1));
            QuantizedMlp q = Quantization.run(teacher, req, splits, rng.split(), (e, n, l, a, s) -> { }).model();
            Path file = outDir.resolve("adult-" + run[0] + ".json");
            QuantizedModelFile.write(file, new SavedQuantizedModel(q, enc, ((QuantMethod) run[1]).id(),
                    (double) run[2], "0".repeat(64), prov));
            ModelSize size = q.size();
            System.out.printf(Locale.ROOT, "%-16s %-12s %12d %14d %16d%n", run[0], Arrays.toString(q.bitsPerLayer()),
                    Files.size(file), IntegerMlp.of(q).packedWeightBytes(), size.totalBytes());
        }
    }
}
