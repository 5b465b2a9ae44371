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

    @Test
    void render_cellWithoutFactuals_marksItsMetricsUndefinedNotZero() {
        StudentMethods reg = StudentMethods.empty().register(StudentMethods.uniform("r-margin", (ctx, bits, rng) -> {
            throw new AssertionError("not run");
        }));
        ExperimentPlan plan = new ExperimentPlan(List.of("adult"), List.of(3.0), List.of("r-margin"),
                List.of(1L, 2L, 3L), RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES,
                512, Path.of("x"), null, "paper", TrainingConfig.defaults());
        // seed 1: the reference model accepts every test row, so the audit had no factual (VD, CRG null)
        ObjectNode none = row("r-margin", 1, 0.80, 0).put("factuals", 0).put("teacher_found", 0)
                .put("reference_model", "a float model trained with the recourse-margin hinge (r-margin), not the "
                        + "teacher");
        none.putNull("vd");
        none.putNull("crg_ratio_of_means");
        List<CellResult> rows = results(none,
                row("r-margin", 2, 0.82, 0.40).put("factuals", 60).put("teacher_found", 60)
                        .put("crg_ratio_of_means", 0.1),
                row("r-margin", 3, 0.84, 0.20).put("factuals", 70).put("teacher_found", 70)
                        .put("crg_ratio_of_means", 0.3));
        ExperimentSummary summary = ExperimentSummary.of(plan, rows, reg, 1.0, true);
        assertThat(summary.sections().get(0).noRecourse()).containsExactly(new ExperimentSummary.NoRecourse(
                "r-margin", 3.0, 1, 0, none.get("reference_model").asText()));
        String md = SummaryMarkdown.render(summary);
        // VD is the mean of the two defined seeds (40 %, 20 %), marked as such; never (0 + 40 + 20) / 3 = 20 %
        assertThat(md).contains("| 30.0 ± 14.1 [2/3] |").contains("| 20.0 ± 14.1 [2/3] |")
                .doesNotContain("| 20.0 ± 20.0 |");
        assertThat(md).contains("`[k/n]`: mean over the k of n seeds where the value is defined")
                .contains("No recourse to audit in r-margin at B=3 seed 1 (0 factuals: its own float reference model "
                        + "rejects no test row)");
        // the accuracy is defined in every cell: no marker
        assertThat(md).contains("| 82.0 ± 2.0 |");
        // results.csv leaves the undefined values empty
        String csv = org.cfq.experiment.ExperimentRunner.csv(rows);
        int vd = List.of(csv.lines().findFirst().orElseThrow().split(",")).indexOf("vd");
        assertThat(csv.lines().skip(1).map(l -> l.split(",", -1)[vd]).toList()).containsExactly("", "0.4", "0.2");
    }
}
