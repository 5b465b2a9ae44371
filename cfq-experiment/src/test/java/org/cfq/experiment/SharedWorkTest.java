package org.cfq.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cfq.audit.FactualSelection;
import org.cfq.io.json.Json;
import org.cfq.recourse.CostKind;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-family reuse of a suite run ({@link SharedWork}): results exactly those of each family alone. */
class SharedWorkTest {
    private static ExperimentPlan base(Path out, Path data) {
        return new ExperimentPlan(List.of("synthetic"), List.of(4.0), List.of("ptq"), List.of(7L),
                RecourseMethods.published().get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 20, out, data,
                "paper", TrainingConfig.defaults().withHidden(List.of(8)).withMaxEpochs(2));
    }

    /** Two families sharing the cells ptq and mixed at B = 4, and one adding an evaluation. */
    private static List<Suites.Family> families(ExperimentPlan b) {
        Suites.Suite first = new Suites.Suite("first", "first", List.of(3.0, 4.0), List.of("ptq", "mixed"), List.of(),
                true);
        Suites.Suite second = new Suites.Suite("second", "second", List.of(4.0), List.of("mixed", "ptq", "cfq"),
                List.of(), true);
        Suites.Suite third = new Suites.Suite("third", "third", List.of(4.0), List.of("ptq"), List.of("theory"), true);
        List<Suites.Family> out = new ArrayList<>();
        for (Suites.Suite s : List.of(first, second, third)) {
            out.add(new Suites.Family(s.id(), "", s.plan(b)));
        }
        return out;
    }

    private static ExperimentRunner.Outcome run(ExperimentJob job, Suites.Family f) throws Exception {
        return job.run(f, ExperimentListener.none(), s -> "# summary\n");
    }

    /** The rows of a family's results by cell key, without the timing fields (they differ run to run). */
    private static Map<String, JsonNode> rows(Path familyDir) throws Exception {
        JsonNode r = Json.mapper().readTree(Files.readString(familyDir.resolve("results.json")));
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode row : r.get("rows")) {
            JsonNode c = row.deepCopy();
            stripTimes(c);
            m.put(row.get("cell_key").asText(), c);
        }
        return m;
    }

    private static void stripTimes(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.endsWith("seconds")) {
                    it.remove();
                } else {
                    stripTimes(o.get(k));
                }
            }
        } else if (n != null && n.isArray()) {
            n.forEach(SharedWorkTest::stripTimes);
        }
    }

    @Test
    void suiteRun_sharesTeachersAndCellsOfTheSameKeyAndEveryFamilyMatchesItsRunAlone(@TempDir Path out,
            @TempDir Path alone, @TempDir Path data) throws Exception {
        ExperimentPlan b = base(out, data);
        List<Suites.Family> fams = families(b);
        ExperimentJob job = new ExperimentJob(b, "test", fams, CostKind.L1, "cfq experiment --suite test");
        assertThat(job.shared()).isNotNull();
        ExperimentRunner.Outcome o1 = run(job, fams.get(0));
        ExperimentRunner.Outcome o2 = run(job, fams.get(1));
        ExperimentRunner.Outcome o3 = run(job, fams.get(2));
        assertThat(o1.computed()).isEqualTo(4);
        // mixed and ptq at B = 4 come from the first family; cfq is new
        assertThat(o2.reused()).isEqualTo(2);
        assertThat(o2.computed()).isEqualTo(1);
        // the evaluation is in the key (and so in the seed): computed, not reused
        assertThat(o3.computed()).isEqualTo(1);
        // one teacher for the three families, in OUT/teachers; none in a family's own cache
        try (Stream<Path> t = Files.list(out.resolve("teachers"))) {
            assertThat(t.map(p -> p.getFileName().toString()).toList()).containsExactly("synthetic-seed7-h8-e2_sp.json");
        }
        for (Suites.Family f : fams) {
            try (Stream<Path> t = Files.list(f.plan().out().resolve("teachers"))) {
                assertThat(t.toList()).isEmpty();
            }
        }
        // the second family's copied cells are in its own cells/ and results
        assertThat(rows(out.resolve("second"))).hasSize(3);

        // each family run alone, nothing shared, gives the same rows (timings aside)
        ExperimentPlan b2 = base(alone, data);
        for (Suites.Family f : families(b2)) {
            ExperimentRunner.Outcome a = new ExperimentRunner(f.plan(), StudentMethods.builtIn(),
                    ExperimentListener.none(), null).run();
            assertThat(a.reused()).isZero();
            assertThat(rows(alone.resolve(f.id()))).as(f.id()).isEqualTo(rows(out.resolve(f.id())));
        }

        // resumed: a second run of the job reuses every cell and computes nothing
        ExperimentJob again = new ExperimentJob(b, "test", fams, CostKind.L1, "cfq experiment --suite test");
        int computed = 0;
        for (Suites.Family f : fams) {
            computed += run(again, f).computed();
        }
        assertThat(computed).isZero();
    }

    @Test
    void backbones_runTheCoreMethodsOnTheLogisticAndTheDeepTeacher(@TempDir Path out, @TempDir Path data)
            throws Exception {
        ExperimentPlan b = base(out, data).withSplit(0, true);
        Suites suites = Suites.builtIn();
        assertThat(suites.expand("all")).extracting(Suites.Suite::id).contains("backbones-logistic", "backbones-deep");
        List<Suites.Family> fams = suites.families(b, Suites.BACKBONES, true, "cfq experiment --suite backbones");
        assertThat(fams).extracting(Suites.Family::id).containsExactly("backbones-logistic", "backbones-deep");
        ExperimentJob job = new ExperimentJob(b, Suites.BACKBONES, fams, CostKind.L1, "cfq experiment");
        for (Suites.Family f : fams) {
            ExperimentRunner.Outcome o = run(job, f);
            assertThat(o.failed()).as(f.id()).isZero();
            assertThat(o.computed()).as("ptq, mixed, cfq x B = 3, 4").isEqualTo(6);
            assertThat(Files.readString(f.plan().out().resolve("summary.md"))).startsWith("# Suite `" + f.id() + "`");
        }
        try (Stream<Path> t = Files.list(out.resolve("teachers"))) {
            assertThat(t.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "synthetic-seed7-h-e2-lr0.01_sp.json", "synthetic-seed7-h256x128x64x32-e2_sp.json");
        }
        for (JsonNode row : Json.mapper().readTree(Files.readString(out.resolve("backbones-logistic")
                .resolve("results.json"))).get("rows")) {
            // one weight layer: the logistic teacher's students have one bit width
            assertThat(row.get("student_bits_per_layer")).hasSize(1);
        }
        for (JsonNode row : Json.mapper().readTree(Files.readString(out.resolve("backbones-deep")
                .resolve("results.json"))).get("rows")) {
            assertThat(row.get("student_bits_per_layer")).hasSize(5);
        }
    }
}
