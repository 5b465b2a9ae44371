package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.cfq.experiment.RecourseRun;
import org.cfq.data.Dataset;
import org.cfq.experiment.RecourseMethods;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.provenance.Provenance;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecourseCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Trains a teacher on a built-in dataset and writes its model file. */
    static Path teacher(Path dir, String dataset, List<Integer> hidden, int epochs) throws Exception {
        Dataset d = DatasetRegistry.builtIn().load(dataset, ActionPreset.PAPER,
                DataDirectory.resolve(null), Downloader.standard(), false);
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        TrainingConfig cfg = new TrainingConfig(hidden, 1e-3, 1e-4, 256, epochs, 8,
                TrainingConfig.defaults().stopping(), 42L);
        var res = new MlpTrainer(cfg).train(enc.encode(d.train()), d.train().labels(), enc.encode(d.validation()),
                d.validation().labels());
        Path f = dir.resolve(dataset + "-" + hidden + ".json");
        ModelFile.write(f, new SavedModel(res.model(), enc, cfg, Provenance.of(42L, "test", "none", Instant.EPOCH)));
        return f;
    }

    @Test
    void recourse_syntheticPgdJson_findsRecourseWithoutViolationsAndWritesCsv(@TempDir Path dir) throws Exception {
        Path model = teacher(dir, "synthetic", List.of(16), 5);
        Path csv = dir.resolve("out.csv");
        Run r = run("recourse", "--dataset", "synthetic", "--model", model.toString(), "--json", "--out",
                csv.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        for (String key : List.of("instances", "found", "found_rate", "mean_cost", "mean_changed_features",
                "constraint_violations", "median_margin", "seconds", "instances_per_second")) {
            assertThat(o.has(key)).as(key).isTrue();
        }
        int n = o.get("instances").asInt();
        assertThat(n).isPositive();
        assertThat(o.get("constraint_violations").asInt()).isZero();
        assertThat(o.get("found_rate").asDouble()).isGreaterThan(0.9);
        assertThat(o.get("median_margin").asDouble()).isGreaterThan(0);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(n + 1);
        assertThat(lines.get(0)).startsWith("test_row,").contains("cf_").endsWith("changes,reason");
        assertThat(lines.get(1)).contains(" -> ");
    }

    @Test
    void recourse_unknownMethod_failsWithBadInputNamingTheMethods(@TempDir Path dir) throws Exception {
        Path model = teacher(dir, "synthetic", List.of(8), 1);
        Run r = run("recourse", "--dataset", "synthetic", "--model", model.toString(), "--method", "magic");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("magic").contains("growing-spheres").contains("linear-exact");
    }

    @Test
    void recourse_linearExactOnMlp_failsWithBadInputSuggestingPgd(@TempDir Path dir) throws Exception {
        Path model = teacher(dir, "synthetic", List.of(8), 1);
        Run r = run("recourse", "--dataset", "synthetic", "--model", model.toString(), "--method", "linear-exact");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("hidden layers").contains("--method pgd");
    }

    @Test
    void recourse_everyMethodOnSynthetic_hasNoConstraintViolation(@TempDir Path dir) throws Exception {
        Path mlp = teacher(dir, "synthetic", List.of(16), 5);
        Path logistic = teacher(dir, "synthetic", List.of(), 5);
        for (String m : List.of("wachter", "growing-spheres", "diverse", "linear-exact")) {
            Path model = m.equals("linear-exact") ? logistic : mlp;
            Run r = run("recourse", "--dataset", "synthetic", "--actions", "realistic", "--model", model.toString(),
                    "--method", m, "--limit", "40", "--json");
            assertThat(r.exit()).as(m + ": " + r.err()).isZero();
            JsonNode o = new ObjectMapper().readTree(r.out());
            assertThat(o.get("instances").asInt()).as(m).isEqualTo(40);
            assertThat(o.get("constraint_violations").asInt()).as(m).isZero();
            assertThat(o.get("found").asInt()).as(m).isPositive();
        }
    }

    @Test
    void recourse_realDataDefaultTeachers_pgdAndWachterFindAtLeast95Percent(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(DataDirectory.fromEnv().isPresent(), "CFQ_DATA_DIR not set: skipping real-data recourse");
        for (String ds : List.of("german", "compas")) {
            Path model = teacher(dir, ds, List.of(128, 64), 30);
            for (String actions : List.of("paper", "realistic")) {
                for (String m : List.of("pgd", "wachter")) {
                    Run r = run("recourse", "--dataset", ds, "--actions", actions, "--model", model.toString(),
                            "--method", m, "--json");
                    assertThat(r.exit()).as(ds + " " + actions + " " + m + ": " + r.err()).isZero();
                    JsonNode o = new ObjectMapper().readTree(r.out());
                    assertThat(o.get("constraint_violations").asInt()).isZero();
                    if (actions.equals("paper")) {
                        assertThat(o.get("found_rate").asDouble()).as(ds + " " + m).isGreaterThanOrEqualTo(0.95);
                    }
                }
            }
        }
    }

    @Test
    void linearExact_realDataLogisticTeacher_neverCostlierThanPgd(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(DataDirectory.fromEnv().isPresent(), "CFQ_DATA_DIR not set: skipping real-data recourse");
        for (String ds : List.of("german", "compas")) {
            for (ActionPreset preset : ActionPreset.values()) {
                Path file = teacher(dir, ds, List.of(), 30);
                Dataset d = DatasetRegistry.builtIn().load(ds, preset, DataDirectory.resolve(null), Downloader.standard(),
                        false);
                SavedModel sm = ModelFile.read(file, d.schema());
                org.cfq.recourse.RecourseRequest req = org.cfq.recourse.RecourseRequest.defaults()
                        .withSparsity(DatasetRegistry.builtIn().publishedSparsity(ds));
                RecourseRun exact = new RecourseRun(sm.encoder(), sm.model(), d, req, 0);
                exact.run(RecourseMethods.builtIn().get("linear-exact"), sm.model(), req);
                RecourseRun pgd = new RecourseRun(sm.encoder(), sm.model(), d, req, 0);
                pgd.run(RecourseMethods.builtIn().get("pgd"), sm.model(), req);
                assertThat(exact.report().violations()).isEmpty();
                assertThat(exact.report().invalid()).isZero();
                int compared = 0;
                for (int i = 0; i < exact.rows(); i++) {
                    if (pgd.batch().get(i) instanceof org.cfq.recourse.RecourseResult.Found p) {
                        assertThat(exact.batch().get(i)).as(ds + " " + preset + " row " + i)
                                .isInstanceOfSatisfying(org.cfq.recourse.RecourseResult.Found.class,
                                        e -> assertThat(e.cost()).isLessThanOrEqualTo(p.cost() + 1e-4));
                        compared++;
                    }
                }
                if (preset == ActionPreset.PAPER) {
                    assertThat(compared).as(ds + " " + preset).isPositive();
                }
            }
        }
    }
}
