package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.audit.FactualSelection;
import org.cfq.recourse.CostKind;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentJobTest {
    @TempDir
    Path dir;

    private ExperimentPlan plan(List<String> datasets, List<Double> budgets) {
        return ExperimentJob.plan(datasets, budgets, List.of("ptq", "cfq"), List.of(1L, 2L), "pgd", List.of(0.0),
                "paper", 16, dir, null, "paper", TrainingConfig.defaults());
    }

    @Test
    void plan_builtInDatasets_isThePlanWithThePublishedRecourseAndTheSelection() {
        ExperimentPlan p = plan(List.of("synthetic", "german"), List.of(3.0, 4.0));
        assertThat(p.cells()).isEqualTo(2 * 2 * 2 * 2);
        assertThat(p.recourse().id()).isEqualTo("pgd");
        assertThat(p.factuals()).isEqualTo(FactualSelection.parse("paper"));
    }

    @Test
    void plan_badValues_failNamingTheOption() {
        assertThatThrownBy(() -> plan(List.of("synthetic", "bogus"), List.of(3.0)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--datasets synthetic,bogus")
                .hasMessageContaining("'bogus' is not a built-in dataset");
        assertThatThrownBy(() -> plan(List.of("synthetic"), List.of(9.0))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("experiment options").hasMessageContaining("budgets must be in [2, 8]");
        assertThatThrownBy(() -> ExperimentJob.plan(List.of("synthetic"), List.of(3.0), List.of("ptq"), List.of(1L),
                "pgd", List.of(0.0), "some", 0, dir, null, "paper", TrainingConfig.defaults()))
                .hasMessageContaining("--factuals some");
    }

    @Test
    void backbone_namesThePapersShapes() {
        assertThat(ExperimentJob.backbone(null, List.of(7))).containsExactly(7);
        assertThat(ExperimentJob.backbone("mlp", List.of(7))).containsExactly(128, 64);
        assertThat(ExperimentJob.backbone("logistic", List.of(7))).isEmpty();
        assertThat(ExperimentJob.backbone("deep", List.of(7))).containsExactly(256, 128, 64, 32);
        assertThatThrownBy(() -> ExperimentJob.backbone("wide", List.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--teacher-backbone wide").hasMessageContaining("mlp, logistic or deep");
    }

    @Test
    void of_plainRun_isOneFamilyAndItsJsonNamesTheResultFiles() {
        ExperimentJob job = ExperimentJob.of(plan(List.of("synthetic"), List.of(3.0)), List.of(), null, true, "MAD",
                "cfq experiment x");
        assertThat(job.cost()).isEqualTo(CostKind.L1_MAD);
        assertThat(job.families()).hasSize(1);
        assertThat(job.cells()).isEqualTo(4);
        assertThat(job.summary()).isEqualTo(dir.resolve("summary.md"));
        ObjectNode j = job.json(new ExperimentRunner.Outcome(1, 2, 1, 0, 1.5, List.of()));
        assertThat(j.get("command").asText()).isEqualTo("experiment");
        assertThat(j.get("cells").asInt()).isEqualTo(4);
        assertThat(j.get("reused").asInt()).isEqualTo(2);
        assertThat(j.get("seconds").asDouble()).isEqualTo(1.5);
        assertThat(j.get("results_csv").asText()).isEqualTo(dir.resolve("results.csv").toString());
        assertThat(j.has("suite")).isFalse();
    }

    @Test
    void of_suite_isItsFamiliesEachWithItsSummary() {
        ExperimentJob job = ExperimentJob.of(plan(List.of("synthetic"), List.of(3.0)), List.of(), "main", true, "l1",
                "cfq experiment --suite main");
        assertThat(job.families()).isNotEmpty();
        assertThat(job.summary()).isEqualTo(dir.resolve("<family>").resolve("summary.md"));
        ObjectNode j = job.json(ExperimentRunner.Outcome.NONE);
        assertThat(j.get("suite").asText()).isEqualTo("main");
        assertThat(j.get("summaries")).hasSize(job.families().size());
        assertThat(j.has("results_csv")).isFalse();
    }

    @Test
    void of_badCostSuiteOrEvaluation_failsNamingTheOption() {
        ExperimentPlan p = plan(List.of("synthetic"), List.of(3.0));
        assertThatThrownBy(() -> ExperimentJob.of(p, List.of(), null, true, "l3", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--cost 'l3'");
        assertThatThrownBy(() -> ExperimentJob.of(p, List.of(), "nope", true, "l1", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--suite nope");
        assertThatThrownBy(() -> ExperimentJob.of(p, List.of("psychic"), null, true, "l1", "c"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--evaluations")
                .hasMessageContaining("unknown evaluation 'psychic'");
    }

    @Test
    void outcome_plusFromNone_isTheOtherOutcome() {
        var one = new ExperimentRunner.Outcome(3, 1, 0, 1, 2.25, List.of());
        assertThat(ExperimentRunner.Outcome.NONE.plus(one)).isEqualTo(one);
    }
}
