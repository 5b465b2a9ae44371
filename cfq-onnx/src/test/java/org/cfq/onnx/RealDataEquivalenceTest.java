package org.cfq.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqTrainer;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;
import org.cfq.quant.integer.QuantizedVariants;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment bar on real data: for every test row of Adult, German and COMPAS, the integer
 * engine and the ONNX graph (run in ONNX Runtime) make the fake-quantized model's decision, at
 * every width 2..8, per tensor and per channel, weights only and with activations, and for the
 * exact allocator's mixed widths; the float teacher's ONNX graph makes the teacher's decisions.
 *
 * <p>Logit tolerance, integer engine: {@code |delta| <= 1e-5 * (1 + max |logit|)} on every
 * logit of every row (its activation codes equal the fake-quantized ones by construction, so
 * only float32 rounding of the accumulation remains). ONNX Runtime sums its Gemm in another
 * order with no such guard, so a hidden value that lies within float32 rounding of a rounding
 * boundary can take the neighbouring code there: its logits must be within the same tolerance
 * on all but {@code 1 + rows / 1000} rows of each model (observed: 15 rows in 30 x 18,433),
 * and its decisions must still equal the fake-quantized ones on every row.
 *
 * <p>The teacher (64, 32) is trained for 2 epochs only: this checks equivalence, not accuracy.
 *
 * <p>Reads the real files; skipped unless CFQ_DATA_DIR points at a directory holding them.
 */
class RealDataEquivalenceTest {

    private static Dataset load(String name) {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR not set: skipping the " + name + " equivalence test");
        return DatasetRegistry.builtIn().load(name, ActionPreset.PAPER, new DataDirectory(List.of(dir.get())),
                Downloader.standard(), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"adult", "german", "compas"})
    void everyTestRow_integerAndOnnxRuntime_makeTheFakeQuantizedDecisions(String name) {
        Dataset d = load(name);
        Encoder e = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = e.encode(d.train());
        float[] xv = e.encode(d.validation());
        float[] xt = e.encode(d.test());
        int rows = d.test().rows();
        Mlp teacher = new MlpTrainer(TrainingConfig.defaults().withHidden(List.of(64, 32)).withMaxEpochs(2).withSeed(7))
                .train(x, d.train().labels(), xv, d.validation().labels()).model();
        OnnxExporter ex = new OnnxExporter(OnnxExportOptions.defaults());
        try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(OnnxExporter.toBytes(ex.export(teacher, null)), teacher.inputDim())) {
            var a = QuantizedVariants.compare(teacher, ort, xt, rows);
            assertThat(a.decisionMismatches()).as(name + " float teacher vs ONNX").isZero();
            assertThat(a.maxAbsLogitDiff()).as(name + " float teacher").isLessThanOrEqualTo(tolerance(a));
        }
        var variants = QuantizedVariants.all(teacher, x, d.train().rows(), xv, d.validation().labels(),
                d.validation().rows(), 13);
        assertThat(variants).hasSize(30);
        int beyondInteger = 0;
        long fallbacks = 0;
        int beyondOnnx = 0;
        for (var v : variants) {
            String what = name + " " + v.name();
            IntegerMlp im = IntegerMlp.of(v.model());
            var integer = QuantizedVariants.compare(v.model(), im, xt, rows);
            IntegerMlp.Workspace ws = im.workspace(rows);
            im.forward(xt, rows, ws, new float[rows * 2]);
            fallbacks += ws.fallbacks();
            assertThat(integer.decisionMismatches()).as(what + " integer vs fake").isZero();
            assertThat(integer.maxAbsLogitDiff()).as(what + " integer logits").isLessThanOrEqualTo(tolerance(integer));
            beyondInteger += integer.rowsBeyondTolerance();
            try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(OnnxExporter.toBytes(ex.export(v.model(), null)), teacher.inputDim())) {
                var onnx = QuantizedVariants.compare(v.model(), ort, xt, rows);
                assertThat(onnx.decisionMismatches()).as(what + " ONNX vs fake").isZero();
                assertThat(onnx.rowsBeyondTolerance()).as(what + " ONNX rows beyond the logit tolerance")
                        .isLessThanOrEqualTo(1 + rows / 1000);
                beyondOnnx += onnx.rowsBeyondTolerance();
            }
        }
        System.err.printf("%s: %d test rows x %d students: rows beyond the logit tolerance: integer %d, ONNX %d;"
                + " integer fallbacks to the float32 sum: %d%n", name, rows, variants.size(), beyondInteger, beyondOnnx,
                fallbacks);
    }

    /**
     * CFQ's students: mixed widths chosen by its Gumbel-softmax (published, which stays at 4
     * bits) or projected onto a 3-bit budget (extended), with PACT-clipped 8-bit activations.
     * Two epochs: this checks the engines on CFQ's allocations and clips, not CFQ's quality.
     */
    @ParameterizedTest
    @ValueSource(strings = {"adult", "german", "compas"})
    void cfqStudents_integerAndOnnxRuntime_makeTheFakeQuantizedDecisions(String name) {
        Dataset d = load(name);
        Encoder e = Encoder.fit(d.train(), Scaling.STANDARD);
        float[] x = e.encode(d.train());
        float[] xv = e.encode(d.validation());
        float[] xt = e.encode(d.test());
        int rows = d.test().rows();
        Mlp teacher = new MlpTrainer(TrainingConfig.defaults().withHidden(List.of(64, 32)).withMaxEpochs(2).withSeed(7))
                .train(x, d.train().labels(), xv, d.validation().labels()).model();
        ActionSpace space = ActionSpace.of(e, d.train());
        OnnxExporter ex = new OnnxExporter(OnnxExportOptions.defaults());
        for (CfqConfig config : List.of(CfqConfig.defaults(3.0), CfqConfig.extended(3.0))) {
            QuantizedMlp student = new CfqTrainer(config.withTraining(2, 256, 1e-3))
                    .train(teacher, space, RecourseRequest.defaults(), EncodedSplits.trainingOnly(x,
                            d.train().labels(), xv, d.validation().labels(), e.width()), new SplittableRandom(11))
                    .student();
            String what = name + " cfq " + java.util.Arrays.toString(student.bitsPerLayer());
            assertThat(student.quantizesActivations()).as(what + " quantizes activations (PACT)").isTrue();
            var integer = QuantizedVariants.compare(student, IntegerMlp.of(student), xt, rows);
            assertThat(integer.decisionMismatches()).as(what + " integer vs fake").isZero();
            assertThat(integer.maxAbsLogitDiff()).as(what + " integer logits").isLessThanOrEqualTo(tolerance(integer));
            try (OnnxRuntimeClassifier ort = new OnnxRuntimeClassifier(OnnxExporter.toBytes(ex.export(student, null)),
                    teacher.inputDim())) {
                var onnx = QuantizedVariants.compare(student, ort, xt, rows);
                assertThat(onnx.decisionMismatches()).as(what + " ONNX vs fake").isZero();
                assertThat(onnx.rowsBeyondTolerance()).as(what + " ONNX rows beyond the logit tolerance")
                        .isLessThanOrEqualTo(1 + rows / 1000);
            }
        }
    }

    private static double tolerance(QuantizedVariants.Agreement a) {
        return QuantizedVariants.LOGIT_TOLERANCE * (1 + a.maxAbsLogit());
    }
}
