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
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfq-match and the teacher-quality methods in the grid (synthetic fixture). */
class CfqAblationsTest {
    private static final TrainingConfig TEACHER = TrainingConfig.defaults().withHidden(List.of(16, 8))
            .withMaxEpochs(5);

    private static TeacherContext context() {
        Dataset data = DatasetSource.builtIn("synthetic").load();
        Teachers.Trained t = Teachers.train(data, TEACHER.withSeed(7), "test", m -> { });
        return new TeacherContext(data, t.saved().encoder(), Teachers.actionSpace(t.saved().encoder(), data),
                t.saved().model(), t.splits(), RecourseRequest.defaults().withSparsity(3));
    }

    @Test
    void registry_andFamilies() {
        assertThat(StudentMethods.builtIn().ids()).contains("cfq-match", "cfq-k1-n0", "cfq-k1-n0.01", "cfq-k1-n0.05",
                "cfq-k1-n0.1", "cfq-k3-n0", "cfq-k3-n0.1");
        assertThat(Suites.builtIn().find("quality")).isPresent();
        assertThat(Suites.builtIn().find("ablations").orElseThrow().methods()).contains("cfq-match");
        StudentMethods.builtIn().checkKnown(Suites.builtIn().find("quality").orElseThrow().methods());
        assertThat(CfqAblations.match(3).loss().studentMatch().on()).isTrue();
        assertThat(CfqAblations.quality(3, 3, 0.05).search().directionNoise()).isEqualTo(0.05);
        assertThat(CfqAblations.quality(3, 3, 0.05).search().pgd().steps()).isEqualTo(3);
    }

    @Test
    void noiseZero_isThePlainDepthVariantBitForBit_noiseIsSeededAndChangesTheStudent() {
        TeacherContext ctx = context();
        StudentMethods all = StudentMethods.builtIn();
        DifferentiableClassifier plain = all.get("cfq-k1").quantize(ctx, 4, new SplittableRandom(5));
        assertThat(all.get("cfq-k1-n0").quantize(ctx, 4, new SplittableRandom(5))).isEqualTo(plain);
        DifferentiableClassifier noisy = all.get("cfq-k1-n0.05").quantize(ctx, 4, new SplittableRandom(5));
        assertThat(noisy).isNotEqualTo(plain);
        assertThat(all.get("cfq-k1-n0.05").quantize(ctx, 4, new SplittableRandom(5))).isEqualTo(noisy);
        assertThat(all.get("cfq-k1-n0.05").quantize(ctx, 4, new SplittableRandom(6))).isNotEqualTo(noisy);
    }

    @Test
    void grid_matchAndNoisyVariant_trainAndAudit(@TempDir Path data, @TempDir Path out) throws Exception {
        List<String> ids = List.of("cfq-match", "cfq-k3-n0.1");
        ExperimentPlan plan = new ExperimentPlan(List.of("synthetic"), List.of(4.0), ids, List.of(7L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 30, out, data,
                "paper", TEACHER);
        StringWriter err = new StringWriter();
        ExperimentRunner.Outcome o = new ExperimentRunner(plan, StudentMethods.builtIn(),
                ExperimentListener.printing(new PrintWriter(err), "test: "), null).run();
        assertThat(o.failed()).as(err.toString()).isZero();
        assertThat(o.computed()).isEqualTo(2);
        for (CellResult r : o.results()) {
            ObjectNode row = r.json();
            assertThat(row.get("status").asText()).isEqualTo("ok");
            assertThat(row.get("vd").isNumber()).isTrue();
            assertThat(row.get("student_avg_bits").asDouble()).isLessThanOrEqualTo(8.0);
        }
    }
}
