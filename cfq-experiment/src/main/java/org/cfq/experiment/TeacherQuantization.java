package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.io.model.SavedQuantizedModel;
import org.cfq.model.Scores;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.mixed.LayerSensitivity;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.QatConfig;
import org.cfq.quant.qat.QatTrainer;
import org.cfq.recourse.RecourseRequest;

/**
 * Quantizes a saved teacher on a dataset ({@code cfq quantize}): one method of the engine, or
 * CFQ; scores the student beside its teacher on the test rows and makes its quantized model
 * file (linked to the teacher by its content checksum, with the settings in its provenance).
 */
public final class TeacherQuantization {
    private TeacherQuantization() {
    }

    /** Test accuracy of the teacher and the student, and how often they decide alike. */
    public record Scored(double teacherAccuracy, double testAccuracy, double agreement) {
    }

    /**
     * A finished quantization.
     *
     * @param run    what the method reported ({@link QuantizationOutcome} or {@link CfqResult})
     * @param file   the quantized model file's content
     * @param splits the dataset in the teacher's model space
     */
    public record Result<R>(R run, SavedQuantizedModel file, Scored scores, EncodedSplits splits) {
        public QuantizedMlp student() {
            return file.model();
        }
    }

    /**
     * Runs a method of the engine ({@link Quantization}) at {@code bits}.
     *
     * @param listener sees every fine-tuning epoch
     */
    public static Result<QuantizationOutcome> method(SavedModel teacher, Dataset d, QuantizeRequest request,
                                                     double bits, long seed, QatTrainer.Listener listener) {
        EncodedSplits split = EncodedSplits.of(teacher.encoder(), d);
        QuantizationOutcome o = Quantization.run(teacher.model(), request, split, new SplittableRandom(seed),
                listener);
        return result(o, o.model(), teacher, d, split, request.method().id(), bits, describe(request, bits), seed);
    }

    /**
     * Runs CFQ under the dataset's actionability and natural domain (not the model file's) with
     * the dataset's published sparsity.
     *
     * @param bits     the budget, recorded in the file
     * @param listener sees every epoch
     */
    public static Result<CfqResult> cfq(SavedModel teacher, Dataset d, CfqConfig config, double bits, long seed,
                                        CfqTrainer.Listener listener) {
        EncodedSplits split = EncodedSplits.of(teacher.encoder(), d);
        RecourseRequest request = RecourseRequest.defaults()
                .withSparsity(DatasetRegistry.builtIn().publishedSparsity(d.name())).withSeed(seed);
        CfqResult r = new CfqTrainer(config).train(teacher.model(),
                Teachers.actionSpace(Teachers.withSchema(teacher.encoder(), d.schema()), d), request, split,
                new SplittableRandom(seed), listener);
        return result(r, r.student(), teacher, d, split, "cfq", bits, "quantize " + config.summary(), seed);
    }

    private static <R> Result<R> result(R run, QuantizedMlp q, SavedModel teacher, Dataset d, EncodedSplits split,
                                        String method, double bits, String settings, long seed) {
        Scored scores = new Scored(Scores.accuracy(teacher.model(), split.testX(), split.testY()),
                Scores.accuracy(q, split.testX(), split.testY()),
                Scores.agreement(teacher.model(), q, split.testX(), split.testRows()));
        Provenance prov = Provenance.of(seed, settings, DatasetFingerprint.of(d.train()), Provenance.now());
        return new Result<>(run, new SavedQuantizedModel(q, teacher.encoder(), method, bits,
                ModelFile.contentSha256(teacher), prov), scores, split);
    }

    /** {@return the settings of a quantization by the engine, recorded in the model file's provenance} */
    public static String describe(QuantizeRequest request, double bits) {
        QuantMethod m = request.method();
        QatConfig t = request.training();
        return "quantize method=" + m.id() + " bits=" + bits(bits) + " activation_bits="
                + request.effectiveActivationBits() + " granularity="
                + request.granularity().name().toLowerCase(Locale.ROOT)
                + (m == QuantMethod.PTQ ? "" : " epochs=" + t.epochs() + " lr=" + t.learningRate() + " distill="
                + t.distillWeight() + " temperature=" + t.temperature() + " selection=" + t.selection().id())
                + (m == QuantMethod.MIXED ? " candidates=" + request.candidates() : "");
    }

    /** Puts a mixed-precision sensitivity (its estimate, rows, candidates and layer x candidate scores) into {@code o}. */
    public static void putSensitivity(ObjectNode o, LayerSensitivity sensitivity, int rows) {
        o.put("method", sensitivity.method()).put("rows", rows);
        ArrayNode candidates = o.putArray("candidates");
        for (int c : sensitivity.candidates()) {
            candidates.add(c);
        }
        ArrayNode scores = o.putArray("scores");
        for (int l = 0; l < sensitivity.layers(); l++) {
            ArrayNode layer = scores.addArray();
            for (int k = 0; k < sensitivity.candidates().length; k++) {
                layer.add(sensitivity.score(l, k));
            }
        }
    }

    /** {@return a bit width or budget as written: "4" for a whole number, "2.5" otherwise} */
    public static String bits(double b) {
        return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
    }
}
