package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.cfq.audit.FactualSelection;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every evaluation on a small synthetic grid: its row fields, its summary table. */
class EvaluationsTest {
    private static ExperimentRunner.Outcome run(Path out, Path data, List<String> evaluations) throws Exception {
        ExperimentPlan plan = new ExperimentPlan(List.of("synthetic"), List.of(3.0), List.of("ptq"), List.of(5L, 6L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 40, out, data,
                "paper", TrainingConfig.defaults().withHidden(List.of(16, 8)).withMaxEpochs(4))
                .withEvaluations(evaluations);
        return new ExperimentRunner(plan, StudentMethods.builtIn(), ExperimentListener.none(), null).run();
    }

    @Test
    void run_allEvaluations_writeTheirRowsAndSummaryTables(@TempDir Path out, @TempDir Path data) throws Exception {
        ExperimentRunner.Outcome o = run(out, data, Evaluations.IDS);
        assertThat(o.failed()).as(o.results().toString()).isZero();
        JsonNode row = o.results().get(0).json();
        assertThat(row.get("cell_key").asText()).endsWith("_e-subgroups+shift+tightness+theory+robust");

        JsonNode sg = row.get("subgroups");
        assertThat(sg.get("feature").asText()).isEqualTo("age");
        assertThat(sg.get("groups")).hasSize(2);
        int factuals = 0;
        for (JsonNode g : sg.get("groups")) {
            factuals += g.get("factuals").asInt();
        }
        assertThat(factuals).as("the groups partition the audit's factuals").isEqualTo(row.get("factuals").asInt());
        assertThat(sg.get("largest_gap").has("vd")).isTrue();
        assertThat(row.has("subgroup_vd_gap")).isTrue();

        JsonNode shift = row.get("shift");
        assertThat(shift.get("sets")).hasSize(3);
        assertThat(shift.get("sets").get(0).get("name").asText()).isEqualTo("noise sigma 0.1");
        assertThat(shift.get("sets").get(2).get("name").asText()).isEqualTo("favorable at 20%");
        assertThat(shift.get("sets").get(0).get("test_rows").asInt()).isEqualTo(row.get("test_rows").asInt());

        // synthetic has no published sparsity: only the two box scales are run
        JsonNode tight = row.get("tightness").get("settings");
        assertThat(tight).hasSize(2);
        assertThat(tight.get(0).get("name").asText()).isEqualTo("box x0.35");

        JsonNode theory = row.get("theory");
        assertThat(theory.get("sound").asBoolean()).isFalse();
        assertThat(theory.get("neighbours").asInt()).isEqualTo(8);
        assertThat(theory.get("layer_weight_error")).hasSize(3);
        assertThat(theory.get("layer_weight_error").get(0).get("linf").asDouble()).isPositive();
        assertThat(theory.get("transfer_rate").asDouble()).isEqualTo(1 - row.get("vd").asDouble(),
                org.assertj.core.api.Assertions.within(1e-9));

        // robust recourse over 5 step-perturbed variants: every robust success is a nominal one, and
        // searching on the worst variant holds on at least as many rows as the standard recourse
        JsonNode robust = row.get("robust");
        assertThat(robust.get("available").asBoolean()).isTrue();
        assertThat(robust.get("variants").asInt()).isEqualTo(5);
        assertThat(robust.get("factuals").asInt()).isPositive().isLessThanOrEqualTo(40);
        JsonNode std = robust.get("standard");
        JsonNode rob = robust.get("robust");
        assertThat(std.get("robust_valid").asInt()).isLessThanOrEqualTo(std.get("nominal_valid").asInt());
        assertThat(rob.get("robust_valid").asInt()).isLessThanOrEqualTo(rob.get("nominal_valid").asInt())
                .isGreaterThanOrEqualTo(std.get("robust_valid").asInt());

        ExperimentSummary s = ExperimentSummary.of(new ExperimentPlan(List.of("synthetic"), List.of(3.0),
                List.of("ptq"), List.of(5L, 6L), RecourseMethods.published().get("pgd"), List.of(0.0),
                FactualSelection.NEGATIVES, 40, out, data, "paper", TrainingConfig.defaults())
                .withEvaluations(Evaluations.IDS), o.results(), StudentMethods.builtIn(), 1, true);
        assertThat(s.evaluations()).extracting(ExperimentSummary.EvaluationTable::title).containsExactly(
                Evaluations.SUBGROUP_TABLE, Evaluations.SUBGROUP_GAP_TABLE, StressEvaluations.SHIFT_TABLE,
                StressEvaluations.TIGHTNESS_TABLE, StressEvaluations.THEORY_TABLE, RobustEvaluation.TABLE);
        ExperimentSummary.EvaluationTable sub = s.evaluations().get(0);
        assertThat(sub.lines()).hasSize(2);
        assertThat(sub.lines().get(0).n()).as("both seeds").isEqualTo(2);
        assertThat(sub.columns()).contains("VD %", "CRG %", "fidelity %", "leniency %", "S feas %");
    }

    @Test
    void suites_expandAndPlan_writeEachFamilyIntoItsOwnDirectoryWithItsSettings(@TempDir Path out) {
        Suites suites = Suites.builtIn();
        assertThat(suites.ids()).containsExactly("main", "budget", "stress", "subgroups", "theory", "ablations",
                "baselines", "ptq", "runtime", "quality", "backbones-logistic", "backbones-deep");
        assertThat(suites.expand(Suites.ALL)).hasSize(12);
        assertThat(suites.groups()).containsExactly(Suites.BACKBONES);
        // every family's methods are registered
        for (Suites.Suite f : suites.expand(Suites.ALL)) {
            StudentMethods.builtIn().checkKnown(f.methods());
        }
        ExperimentPlan base = new ExperimentPlan(List.of("german"), List.of(4.0), List.of("ptq"), List.of(1L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 10, out, null,
                "paper", TrainingConfig.defaults());
        ExperimentPlan stress = suites.expand("stress").get(0).plan(base);
        assertThat(stress.out()).isEqualTo(out.resolve("stress"));
        assertThat(stress.evaluations()).containsExactly("shift", "tightness", "robust");
        assertThat(stress.splitPerSeed()).isTrue();
        assertThat(stress.datasets()).containsExactly("german");
        assertThat(suites.expand("main").get(0).plan(base).methods()).containsExactly("ptq", "qat", "lsq", "pact",
                "mixed", "cfq");
        assertThatThrownBy(() -> suites.expand("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown suite 'nope'").hasMessageContaining("main")
                .hasMessageContaining(Suites.BACKBONES);
        assertThat(suites.expand("backbones-deep").get(0).plan(base).teacher().hidden())
                .containsExactly(256, 128, 64, 32);
        assertThat(suites.expand("backbones-deep").get(0).plan(base).teacher().learningRate())
                .isEqualTo(base.teacher().learningRate());
        assertThat(suites.expand("backbones-logistic").get(0).plan(base).teacher().hidden()).isEmpty();
        // the logistic teacher's own rate (chosen on validation accuracy), not the MLP's
        assertThat(suites.expand("backbones-logistic").get(0).plan(base).teacher().learningRate())
                .isEqualTo(TrainingConfig.LOGISTIC_LEARNING_RATE);
        assertThat(suites.expand("main").get(0).plan(base).teacher()).isEqualTo(base.teacher());
    }
}
