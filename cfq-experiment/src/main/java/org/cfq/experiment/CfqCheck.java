package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.cfq.audit.Fidelity;
import org.cfq.audit.RecourseGap;
import org.cfq.audit.ValidityDrop;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.io.json.Json;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.model.Scores;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizationOutcome;
import org.cfq.quant.method.QuantizeRequest;
import org.cfq.quant.qat.QatTrainer;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;

/**
 * A quick check of CFQ on one teacher, for choosing its options: accuracy, agreement and
 * leniency against the teacher, and the validity drop at the teacher's pgd counterfactuals
 * for its unfavorable evaluation rows, for CFQ and for baselines quantized at the same budget
 * (uniform methods: the largest width <= B). The full audit belongs to the experiment grid.
 */
public final class CfqCheck {
    private CfqCheck() {
    }

    /** A student's numbers against the teacher. */
    public record StudentScores(double testAccuracy, double agreementWithTeacher, double leniency, double vd,
                          int vdInvalidated, double crgRatioOfMeans, double crg) {
    }

    /** A baseline method at the same budget. */
    public record Baseline(String method, double bits, int[] bitsPerLayer, double averageBits, double testAccuracy,
                           double agreementWithTeacher, double leniency, double vd, int vdInvalidated,
                           double crgRatioOfMeans, double secondsPerEpoch, double seconds) {
    }

    /** CFQ's run, its scores, and each baseline's. */
    public record Report(CfqResult cfq, double teacherAccuracy, StudentScores scores, int factuals, int teacherFeasible,
                         List<Baseline> baselines) {
        /** The CFQ student's facts a renderer needs, so renderers need not know the faithful package. */
        public Facts facts() {
            return new Facts(cfq.bitsPerLayer(), cfq.averageBits(), cfq.withinBudget(), cfq.epochsRun(),
                    cfq.bestEpoch(), cfq.secondsPerEpoch(), cfq.seconds());
        }

        /** {@return the report as JSON ({@code cfq cfq-quantize --json}): CFQ's student, its scores, history, baselines} */
        public ObjectNode json(String dataset, long seed, boolean onValidation, double bits, CfqConfig config) {
            ObjectNode root = Json.mapper().createObjectNode().put("method", "cfq").put("dataset", dataset)
                    .put("seed", seed).put("eval_split", onValidation ? "validation" : "test").put("budget_bits", bits)
                    .set("bits_per_layer", Json.snakeCase(cfq.bitsPerLayer()));
            root.put("average_bits", cfq.averageBits()).put("within_budget", cfq.withinBudget())
                    .put("teacher_accuracy", teacherAccuracy).put("factuals", factuals)
                    .put("teacher_feasible", teacherFeasible).setAll((ObjectNode) Json.snakeCase(scores));
            root.put("epochs_run", cfq.epochsRun()).put("best_epoch", cfq.bestEpoch())
                    .put("seconds_per_epoch", cfq.secondsPerEpoch()).put("teacher_search_seconds",
                            cfq.teacherSearchSeconds()).put("seconds", cfq.seconds()).put("config", config.summary());
            root.set("history", Json.snakeCase(cfq.history()));
            root.set("baselines", Json.snakeCase(baselines));
            return root;
        }
    }

    /** What CFQ chose and how long it trained (copied out of {@link CfqResult}). */
    public record Facts(int[] bitsPerLayer, double averageBits, boolean withinBudget, int epochsRun, int bestEpoch,
                        double secondsPerEpoch, double seconds) {
    }

    /**
     * {@return whether the measures are taken on the validation rows: the split a user names, test or validation}
     *
     * @throws org.cfq.InvalidInputException naming {@code --eval} when it is neither
     */
    public static boolean onValidation(String split) {
        boolean validation = "validation".equalsIgnoreCase(split);
        org.cfq.InvalidInputException.require(validation || "test".equalsIgnoreCase(split), "--eval " + split,
                "unknown split", "Use test or validation");
        return validation;
    }

    /**
     * Runs CFQ and the baselines.
     *
     * @param onValidation take the measures on the validation rows (to choose CFQ's options: never on the
     *                    test rows), else on the test rows
     * @param compare     baseline methods
     * @param cfqListener sees every CFQ epoch
     * @param log         one line per baseline started
     */
    public static Report run(Mlp teacher, ActionSpace space, RecourseRequest request, EncodedSplits splits,
                             boolean onValidation, CfqConfig config, double budget, List<QuantMethod> compare,
                             long seed, CfqTrainer.Listener cfqListener, QatTrainer.Listener baselineListener,
                             Consumer<String> log) {
        float[] evalX = onValidation ? splits.validationX() : splits.testX();
        int[] evalY = onValidation ? splits.validationY() : splits.testY();
        CfqResult r = new CfqTrainer(config).train(teacher, space, request, splits, new SplittableRandom(seed),
                cfqListener);
        int width = teacher.inputDim();
        int[] td = teacher.predict(evalX, evalY.length);
        float[] neg = unfavorableRows(evalX, td, width);
        int k = neg.length / width;
        // The same search gives the teacher's recourse and each student's own.
        PgdGenerator search = new PgdGenerator(space, PgdConfig.defaults());
        RecourseBatch tr = search.generate(teacher, neg, k, request);
        float[] cfs = tr.counterfactualsOrFactuals(neg);
        StudentScores sc = score(r.student(), td, evalX, evalY, tr, cfs, neg, k, request, search);
        List<Baseline> baselines = new ArrayList<>();
        for (QuantMethod m : compare) {
            double b = m == QuantMethod.MIXED ? budget : Math.min(8, Math.floor(budget + 1e-9));
            log.accept("baseline " + m.id() + " at " + b + " bits");
            QuantizationOutcome o = Quantization.run(teacher, QuantizeRequest.of(m, b), splits,
                    new SplittableRandom(seed), baselineListener);
            QuantizedMlp q = o.model();
            StudentScores bs = score(q, td, evalX, evalY, tr, cfs, neg, k, request, search);
            baselines.add(new Baseline(m.id(), b, q.bitsPerLayer(), q.averageBits(), bs.testAccuracy(),
                    bs.agreementWithTeacher(), bs.leniency(), bs.vd(), bs.vdInvalidated(), bs.crgRatioOfMeans(),
                    o.epochSeconds().isEmpty() ? Double.NaN : o.secondsPerEpoch(), o.seconds()));
        }
        return new Report(r, Scores.accuracy(td, evalY), sc, k, tr.foundCount(), baselines);
    }

    private static StudentScores score(DifferentiableClassifier student, int[] teacherDecisions, float[] x, int[] y,
                                 RecourseBatch tr, float[] cfs, float[] factuals, int k, RecourseRequest request,
                                 PgdGenerator search) {
        int[] sd = student.predict(x, y.length);
        RecourseBatch sr = search.generate(student, factuals, k, request);
        RecourseGap gap = RecourseGap.of(tr.foundMask(), tr.costs(), sr.foundMask(), sr.costs());
        Fidelity fid = Fidelity.of(teacherDecisions, sd);
        ValidityDrop vd = ValidityDrop.of(tr.foundMask(), student.margins(cfs, k), request.threshold());
        return new StudentScores(Scores.accuracy(sd, y), fid.agreement(), fid.leniency(), vd.value(), vd.invalidated(),
                gap.ratioOfMeans(), gap.mean());
    }

    private static float[] unfavorableRows(float[] x, int[] decisions, int width) {
        int k = 0;
        for (int v : decisions) {
            if (v == 0) {
                k++;
            }
        }
        float[] out = new float[k * width];
        int j = 0;
        for (int r = 0; r < decisions.length; r++) {
            if (decisions[r] == 0) {
                System.arraycopy(x, r * width, out, j * width, width);
                j++;
            }
        }
        return out;
    }
}
