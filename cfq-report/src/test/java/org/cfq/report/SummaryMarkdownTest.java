package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.cfq.audit.FactualSelection;
import org.cfq.experiment.CellMetrics;
import org.cfq.experiment.CellResult;
import org.cfq.experiment.ExperimentPlan;
import org.cfq.experiment.ExperimentSummary;
import org.cfq.experiment.RecourseMethods;
import org.cfq.experiment.Stat;
import org.cfq.experiment.StudentMethods;
import org.cfq.io.json.Json;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

class SummaryMarkdownTest {

    private static ObjectNode row(String method, long seed, double acc, double vd) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("status", "ok").put("dataset", "adult").put("method", method).put("budget", 3.0).put("margin", 0.0)
                .put("seed", seed).put("student_accuracy", acc).put("vd", vd)
                .put("teacher_accuracy", 0.80 + seed / 100.0);
        return o;
    }

    private static List<CellResult> results(ObjectNode... rows) {
        return java.util.Arrays.stream(rows).map(CellResult::fromRow).toList();
    }

    @Test
    void stat_threeSeeds_givesMeanAndSampleStdInPercent() {
        // acc 0.80, 0.82, 0.84: mean 82.0 %, sample std 2.0 points.
        List<CellResult> rows = results(row("ptq", 1, 0.80, 0), row("ptq", 2, 0.82, 0), row("ptq", 3, 0.84, 0));
        assertThat(SummaryMarkdown.stat(Stat.of(rows, CellMetrics::studentAccuracy), true)).isEqualTo("82.0 ± 2.0");
        assertThat(SummaryMarkdown.stat(Stat.of(rows.subList(0, 1), CellMetrics::studentAccuracy), true))
                .isEqualTo("80.0");
        assertThat(SummaryMarkdown.stat(Stat.of(rows, CellMetrics::recourseGap), true)).isEqualTo("n/a");
    }

    @Test
    void render_accuracyMatched_keepsOnlyBaselinesWithinOnePoint() {
        StudentMethods reg = StudentMethods.empty();
        for (String m : List.of("ptq", "lsq", "cfq")) {
            reg.register(StudentMethods.uniform(m, (ctx, bits, rng) -> {
                throw new AssertionError("not run");
            }));
        }
        ExperimentPlan plan = new ExperimentPlan(List.of("adult"), List.of(3.0), List.of("ptq", "lsq", "cfq"),
                List.of(1L), RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 512,
                Path.of("x"), null, "paper", TrainingConfig.defaults());
        // CFQ 84.0 %; lsq 83.5 % is within 1 point, ptq 82.0 % is not.
        List<CellResult> rows = results(row("ptq", 1, 0.820, 0.10).put("student_avg_bits", 3.0),
                row("lsq", 1, 0.835, 0.04), row("cfq", 1, 0.840, 0.01).put("student_avg_bits", 4.0));
        String md = SummaryMarkdown.render(ExperimentSummary.of(plan, rows, reg, 1.0, true));
        // One teacher per seed: the three rows share seed 1, so the teacher line shows one value.
        assertThat(md).contains("Teacher (one per seed): accuracy 81.0 %");
        assertThat(md).contains("**Over budget** (average weight bits above B): cfq at B=3 seed 1 (4.00 bits).");
        String matched = md.substring(md.indexOf("### Accuracy-matched"));
        assertThat(matched).contains("| cfq").contains("| lsq").doesNotContain("| ptq");
        assertThat(matched).contains("83.5").contains("4.0");
    }
}
