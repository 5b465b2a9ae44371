package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.audit.FactualSelection;
import org.cfq.data.Dataset;
import org.cfq.faithful.CfqEpoch;
import org.cfq.faithful.CfqResult;
import org.cfq.faithful.CfqTrainer;
import org.cfq.model.Mlp;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.MagnitudePruning;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every method of {@link PaperMethods} trains and audits in the grid, and its distinctive part holds. */
class PaperMethodsTest {
    private static final TrainingConfig TEACHER = TrainingConfig.defaults().withHidden(List.of(16, 8))
            .withMaxEpochs(5);

    private static TeacherContext context() {
        Dataset data = DatasetSource.builtIn("synthetic").load();
        Teachers.Trained t = Teachers.train(data, TEACHER.withSeed(7), "test", m -> { });
        return new TeacherContext(data, t.saved().encoder(), Teachers.actionSpace(t.saved().encoder(), data),
                t.saved().model(), t.splits(), RecourseRequest.defaults().withSparsity(3));
    }

    @Test
    void grid_everyPaperMethod_trainsAndAuditsOnSynthetic(@TempDir Path data, @TempDir Path out) throws Exception {
        List<String> ids = PaperMethods.all().ids();
        assertThat(ids).contains("fp32", "mixedprec", "cfq-hinge", "cfq-uniform", "cfq-k1", "cfq-k3", "prune-q", "kd-q", "r-margin", "r-consistency",
                "ptq-out", "mixed-ptq", "mixed-ptq-greedy", "cf-ptq", "cf-ptq-greedy");
        assertThat(StudentMethods.builtIn().ids()).containsAll(ids);
        ExperimentPlan plan = new ExperimentPlan(List.of("synthetic"), List.of(3.0), ids, List.of(7L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 30, out, data,
                "paper", TEACHER);
        StringWriter err = new StringWriter();
        ExperimentRunner.Outcome o = new ExperimentRunner(plan, StudentMethods.builtIn(),
                ExperimentListener.printing(new PrintWriter(err), "test: "), null).run();
        assertThat(o.failed()).as(err.toString()).isZero();
        assertThat(o.computed()).isEqualTo(ids.size());
        for (CellResult r : o.results()) {
            ObjectNode row = r.json();
            String id = row.get("method").asText();
            assertThat(row.get("status").asText()).as(id).isEqualTo("ok");
            assertThat(row.get("vd").isNumber()).as(id).isTrue();
            boolean own = List.of("prune-q", "kd-q", "r-margin", "r-consistency").contains(id);
            // the reference-model baselines are audited against their own float model, and say so
            assertThat(row.get("reference_model").asText()).as(id).isEqualTo(own ? row.get("reference_model").asText()
                    : "teacher");
            if (own) {
                assertThat(row.get("reference_model").asText()).contains("not the teacher");
            }
            if (id.equals("fp32")) {
                assertThat(row.get("vd").asDouble()).isZero();
                assertThat(row.get("fidelity").asDouble()).isEqualTo(1.0);
                assertThat(row.get("target_bits").asDouble()).isEqualTo(32.0);
            } else {
                assertThat(row.get("student_avg_bits").asDouble()).as(id).isLessThanOrEqualTo(
                        id.equals("ptq-out") || id.equals("cfq-uniform") || id.startsWith("mixed-ptq")
                                || id.startsWith("cf-ptq") ? 3.0 : 8.0);
                if (id.equals("cfq-uniform") || id.equals("ptq-out")) {
                    assertThat(row.get("student_bits_per_layer").toString()).as(id).isEqualTo("[3,3,3]");
                }
            }
        }
    }

    @Test
    void mixedprec_lossHasNoRecourseTerm() {
        TeacherContext ctx = context();
        CfqResult r = new CfqTrainer(PaperMethods.mixedprec(3).withTraining(3, 256, 1e-3)).train(ctx.teacher(),
                ctx.space(), ctx.request(), ctx.splits(), new SplittableRandom(1));
        assertThat(r.config().loss().eta()).isZero();
        assertThat(r.config().loss().hingeWeight()).isZero();
        assertThat(r.config().loss().matchWeight()).isZero();
        for (CfqEpoch e : r.history()) {
            assertThat(e.counterfactualRows()).isZero();
            assertThat(e.counterfactualLoss()).isZero();
        }
        // the same trainer with the published recourse term sees counterfactual rows
        CfqResult cfq = new CfqTrainer(org.cfq.faithful.CfqConfig.defaults(3).withTraining(1, 256, 1e-3)).train(
                ctx.teacher(), ctx.space(), ctx.request(), ctx.splits(), new SplittableRandom(1));
        assertThat(cfq.history().get(0).counterfactualRows()).isPositive();
    }

    @Test
    void cfqVariants_configureOneWidthAndTheTeacherSearchDepth() {
        org.cfq.faithful.CfqConfig u = org.cfq.faithful.CfqConfig.defaults(3).withUniformWidth(3);
        assertThat(u.budget().bits().candidates()).containsExactly(3);
        assertThat(u.budget().initialBits()).isEqualTo(3);
        org.cfq.faithful.CfqConfig k1 = org.cfq.faithful.CfqConfig.defaults(3).withTeacherSteps(1, 3);
        assertThat(k1.search().pgd().steps()).isEqualTo(1);
        assertThat(k1.search().pgd().restarts()).isEqualTo(3);
        TeacherContext ctx = context();
        CfqResult r = new CfqTrainer(u.withTraining(2, 256, 1e-3)).train(ctx.teacher(), ctx.space(), ctx.request(),
                ctx.splits(), new SplittableRandom(1));
        assertThat(r.student().bitsPerLayer()).containsOnly(3);
        CfqResult k = new CfqTrainer(k1.withTraining(1, 256, 1e-3)).train(ctx.teacher(), ctx.space(), ctx.request(),
                ctx.splits(), new SplittableRandom(1));
        // with restarts the search is redone per batch: no up-front search time
        assertThat(k.teacherSearchSeconds()).isZero();
        assertThat(k.history().get(0).counterfactualRows()).isPositive();
    }

    @Test
    void pruneQ_referenceHasThirtyPercentZeroWeights() {
        TeacherContext ctx = context();
        StudentMethods.Student s = StudentMethods.builtIn().get("prune-q").train(ctx, 4, new SplittableRandom(2));
        assertThat(s.referenceIsTeacher(ctx)).isFalse();
        assertThat(MagnitudePruning.zeroFraction(s.reference())).isCloseTo(0.30, org.assertj.core.api.Assertions.within(0.005));
        assertThat(MagnitudePruning.zeroFraction(ctx.teacher())).isZero();
    }

    @Test
    void kdQ_referenceIsADistilledFloatStudentOfTheTeachersShape() {
        TeacherContext ctx = context();
        StudentMethods.Student s = StudentMethods.builtIn().get("kd-q").train(ctx, 4, new SplittableRandom(3));
        Mlp kd = s.reference();
        assertThat(kd).isNotEqualTo(ctx.teacher());
        assertThat(kd.hiddenSizes()).containsExactly(ctx.teacher().hiddenSizes());
        int n = ctx.splits().testY().length;
        float[] a = kd.margins(ctx.splits().testX(), n);
        float[] b = ctx.teacher().margins(ctx.splits().testX(), n);
        int agree = 0;
        for (int i = 0; i < n; i++) {
            agree += (a[i] > 0) == (b[i] > 0) ? 1 : 0;
        }
        // the teacher here trained 5 epochs, the student 30 (half hard labels): they agree on most rows, not all
        assertThat((double) agree / n).isGreaterThan(0.7);
    }
}
