package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cfq.audit.FactualSelection;
import org.cfq.data.Dataset;
import org.cfq.io.json.Json;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitSeedTest {
    private static Path csv(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("x,y");
        for (int i = 0; i < 60; i++) {
            lines.add(i + "," + (i % 3 == 0 ? "yes" : "no"));
        }
        Path f = dir.resolve("d.csv");
        Files.write(f, lines);
        Path s = dir.resolve("d.json");
        Files.writeString(s, "{\"name\": \"d\", \"labelColumn\": \"y\", \"favorableLabel\": \"yes\", \"features\": "
                + "[{\"name\": \"x\", \"kind\": \"integer\", \"actionability\": \"free\"}]}");
        return f;
    }

    @Test
    void load_csvWithSplitSeed_defaultKeepsTheSplitAndAnotherSeedRedrawsItStratified(@TempDir Path dir)
            throws Exception {
        Path f = csv(dir);
        DatasetSource src = DatasetSource.csv(f, dir.resolve("d.json"));
        Dataset d0 = src.load();
        Dataset d0again = src.withSplitSeed(0).load();
        Dataset d5 = src.withSplitSeed(5).load();
        assertThat(d0again.test().column(0)).containsExactly(d0.test().column(0));
        assertThat(d5.test().column(0)).isNotEqualTo(d0.test().column(0));
        // 20 favorable and 40 unfavorable rows: round(20 * .3) + round(40 * .3) = 6 + 12 test rows either way
        assertThat(d5.test().rows()).isEqualTo(18);
        assertThat(d5.test().favorableRate()).isEqualTo(d0.test().favorableRate());
    }

    private static ExperimentPlan plan(Path out, Path data) {
        return new ExperimentPlan(List.of("synthetic"), List.of(4.0), List.of("ptq"), List.of(1L, 2L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 10, out, data,
                "paper", TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(2));
    }

    @Test
    void cellKeyAndTeacherFile_nameTheSplitOnlyWhenNotTheDefault(@TempDir Path out) {
        ExperimentPlan p = plan(out, null);
        assertThat(p.cellKey("synthetic", "ptq", 4, 1, 0)).doesNotContain("_sp").doesNotContain("_ss");
        assertThat(p.withSplit(3, false).cellKey("synthetic", "ptq", 4, 1, 0)).endsWith("_ss3");
        assertThat(p.withSplit(0, true).cellKey("synthetic", "ptq", 4, 1, 0)).endsWith("_sp");
        assertThat(p.withSplit(0, true).teacherFile("synthetic", 1)).endsWith("_sp.json");
        assertThat(p.withSplit(0, true).splitSeedFor(42)).isEqualTo(42);
        assertThat(p.withSplit(7, false).splitSeedFor(42)).isEqualTo(7);
        assertThatThrownBy(() -> p.withEvaluations(List.of("nonsense"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown evaluation 'nonsense'");
    }

    @Test
    void cellKeyAndTeacherFile_learningRateNotTheDefault_nameIt(@TempDir Path out) {
        ExperimentPlan mlp = plan(out, null);
        assertThat(mlp.teacherFile("synthetic", 1)).isEqualTo("synthetic-seed1-h8-e2.json");
        // a logistic teacher trained at its own rate is not the one a run at the MLP's rate cached
        ExperimentPlan logistic = new ExperimentPlan(mlp.datasets(), mlp.budgets(), mlp.methods(), mlp.seeds(),
                mlp.recourse(), mlp.margins(), mlp.factuals(), mlp.maxFactuals(), out, null, "paper",
                TrainingConfig.logistic().withMaxEpochs(2));
        assertThat(logistic.teacherFile("synthetic", 1)).isEqualTo("synthetic-seed1-h-e2-lr0.01.json");
        assertThat(logistic.cellKey("synthetic", "ptq", 4, 1, 0)).contains("_t-h-e2-lr0.01");
    }

    @Test
    void run_splitPerSeed_trainsEachSeedsTeacherOnItsOwnSplit(@TempDir Path out, @TempDir Path data)
            throws Exception {
        ExperimentRunner.Outcome o = new ExperimentRunner(plan(out, data).withSplit(0, true), StudentMethods.builtIn(),
                ExperimentListener.none(), null).run();
        assertThat(o.computed()).isEqualTo(2);
        JsonNode results = Json.mapper().readTree(Files.readString(out.resolve("results.json")));
        JsonNode fp = results.get("dataset_fingerprints");
        assertThat(fp.get("synthetic split 1").asText()).isNotEqualTo(fp.get("synthetic split 2").asText());
        assertThat(results.get("plan").get("split").asText()).contains("per run seed");
        try (Stream<Path> t = Files.list(out.resolve("teachers"))) {
            assertThat(t.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("synthetic-seed1-h8-e2_sp.json", "synthetic-seed2-h8-e2_sp.json");
        }
        assertThat(o.results().get(0).json().get("cell_key").asText()).endsWith("_sp");
    }
}
