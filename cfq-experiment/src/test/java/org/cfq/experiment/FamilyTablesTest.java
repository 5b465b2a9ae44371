package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cfq.audit.FactualSelection;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The runtime-vs-K and teacher-quality tables, on synthetic cell results. */
class FamilyTablesTest {
    private static ExperimentPlan plan(List<String> methods, List<Long> seeds) {
        return new ExperimentPlan(List.of("german"), List.of(4.0), methods, seeds,
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 512, Path.of("out"),
                Path.of("data"), "paper", TrainingConfig.defaults());
    }

    private static CellResult cell(String method, long seed, double seconds, double vd) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("dataset", "german").put("method", method).put("budget", 4.0).put("seed", seed).put("margin", 0.0)
                .put("status", "ok").put("quantize_seconds", seconds).put("vd", vd).put("student_accuracy", 0.7)
                .put("fidelity", 0.9).put("leniency", 0.1).put("crg_ratio_of_means", -0.2);
        return CellResult.fromRow(row);
    }

    @Test
    void runtime_ratiosPerSeedThenMean_bothWaysForEachK() {
        List<String> methods = PaperMethods.suites().stream().filter(s -> s.id().equals("runtime")).findFirst()
                .orElseThrow().methods();
        List<CellResult> rs = new ArrayList<>();
        rs.add(cell("mixedprec", 1, 2.0, 0));
        rs.add(cell("mixedprec", 2, 4.0, 0));
        // K = 1: per batch 3x and 5x mixedprec (mean 4), once 1.5x and 1.25x (mean 1.375)
        rs.add(cell("cfq-k1", 1, 6.0, 0));
        rs.add(cell("cfq-k1", 2, 20.0, 0));
        rs.add(cell("cfq-k1-once", 1, 3.0, 0));
        rs.add(cell("cfq-k1-once", 2, 5.0, 0));
        // K = 2: only seed 2 per batch; once missing
        rs.add(cell("cfq-k2", 2, 8.0, 0));
        // K = 3: a seed without a mixedprec cell is left out of the ratio
        rs.add(cell("cfq-k3", 1, 10.0, 0));
        rs.add(cell("cfq-k3", 3, 99.0, 0));
        ExperimentSummary.EvaluationTable t = FamilyTables.runtime(plan(methods, List.of(1L, 2L, 3L)), rs, "german", 0)
                .orElseThrow();
        assertThat(t.columns()).hasSize(5);
        assertThat(t.lines()).extracting(ExperimentSummary.EvaluationLine::label).containsExactly("K = 1", "K = 2",
                "K = 3");
        ExperimentSummary.EvaluationLine k1 = t.lines().get(0);
        assertThat(k1.stats().get(0).mean()).isCloseTo(4.0, within(1e-12));
        assertThat(k1.stats().get(0).std()).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(k1.stats().get(1).mean()).isCloseTo(1.375, within(1e-12));
        assertThat(k1.stats().get(4).mean()).isCloseTo(3.0, within(1e-12));
        ExperimentSummary.EvaluationLine k2 = t.lines().get(1);
        assertThat(k2.stats().get(0).mean()).isCloseTo(2.0, within(1e-12));
        assertThat(k2.stats().get(0).n()).isEqualTo(1);
        assertThat(k2.stats().get(1).n()).isZero();
        ExperimentSummary.EvaluationLine k3 = t.lines().get(2);
        assertThat(k3.stats().get(0).mean()).isCloseTo(5.0, within(1e-12));
        assertThat(k3.stats().get(0).n()).isEqualTo(1);
        // and the summary carries it into the dataset's section
        ExperimentSummary s = ExperimentSummary.of(plan(methods, List.of(1L, 2L, 3L)), rs, StudentMethods.builtIn(),
                1, true);
        assertThat(s.evaluations()).extracting(ExperimentSummary.EvaluationTable::title)
                .containsExactly(FamilyTables.RUNTIME_TITLE);
    }

    @Test
    void runtime_withoutMixedprec_isNotComputed() {
        assertThat(FamilyTables.runtime(plan(List.of("cfq-k1"), List.of(1L)), List.of(cell("cfq-k1", 1, 3, 0)),
                "german", 0)).isEmpty();
    }

    @Test
    void quality_crossesDepthAndNoise_sigmaZeroIsThePlainVariant() {
        List<String> methods = CfqAblations.qualitySuite().methods();
        assertThat(methods).containsExactly("cfq-k1", "cfq-k1-n0.01", "cfq-k1-n0.05", "cfq-k1-n0.1", "cfq-k3",
                "cfq-k3-n0.01", "cfq-k3-n0.05", "cfq-k3-n0.1");
        List<CellResult> rs = List.of(cell("cfq-k1", 1, 1, 0.10), cell("cfq-k1", 2, 1, 0.20),
                cell("cfq-k1-n0.1", 1, 1, 0.30), cell("cfq-k3-n0.05", 1, 1, 0.5));
        ExperimentSummary.EvaluationTable t = FamilyTables.quality(plan(methods, List.of(1L, 2L)), rs, "german", 0)
                .orElseThrow();
        assertThat(t.lines()).extracting(ExperimentSummary.EvaluationLine::label).containsExactly("K = 1, sigma = 0",
                "K = 1, sigma = 0.1", "K = 3, sigma = 0.05");
        int vd = t.columns().indexOf("VD %");
        assertThat(t.lines().get(0).stats().get(vd).mean()).isCloseTo(15.0, within(1e-9));
        assertThat(t.lines().get(1).stats().get(vd).mean()).isCloseTo(30.0, within(1e-9));
        assertThat(FamilyTables.quality(plan(List.of("cfq-k1", "cfq-k3"), List.of(1L)), rs, "german", 0)).isEmpty();
    }
}
