package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class DatasetOptionsTest {
    /** A command that only loads the dataset, as train/recourse/quantize/audit will. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        DatasetOptions data;
        Dataset loaded;

        @Override
        public Integer call() {
            loaded = data.load();
            return 0;
        }
    }

    private record Run(int exit, String err, Dataset dataset) {
    }

    private static Run run(String... args) {
        Probe p = new Probe();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(p).setExecutionExceptionHandler(new CliErrors())
                .setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, err.toString(), p.loaded);
    }

    private static Actionability act(Dataset d, String feature) {
        return d.schema().feature(d.schema().indexOf(feature)).actionability();
    }

    @Test
    void load_syntheticDefaultActions_appliesRealisticPresetWithNaturalDomain() {
        Run r = run("--dataset", "synthetic");
        assertThat(r.exit()).isZero();
        assertThat(act(r.dataset(), "age")).isEqualTo(Actionability.IMMUTABLE);
        assertThat(act(r.dataset(), "education")).isEqualTo(Actionability.INCREASE_ONLY);
        assertThat(r.dataset().schema().hasNaturalDomain()).isTrue();
        Run paper = run("--dataset", "synthetic", "--actions", "paper");
        assertThat(act(paper.dataset(), "education")).isEqualTo(Actionability.FREE);
        assertThat(paper.dataset().schema().hasNaturalDomain()).isFalse();
    }

    @Test
    void load_realistic_appliesRealisticPreset() {
        Run r = run("--dataset", "synthetic", "--actions", "realistic");
        assertThat(act(r.dataset(), "education")).isEqualTo(Actionability.INCREASE_ONLY);
    }

    @Test
    void load_actionsFile_replacesPresetRules(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.json");
        Files.writeString(rules, "{\"income\": \"decrease_only\"}");
        Run r = run("--dataset", "synthetic", "--actions", rules.toString());
        assertThat(r.exit()).isZero();
        assertThat(act(r.dataset(), "income")).isEqualTo(Actionability.DECREASE_ONLY);
        assertThat(act(r.dataset(), "age")).isEqualTo(Actionability.FREE);
    }

    @Test
    void load_unknownDataset_exitsTwoListingNames() {
        Run r = run("--dataset", "iris");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'iris'").contains("[adult, german, compas, bank, bank-duration, default, synthetic]");
    }

    @Test
    void load_unknownActions_exitsTwoNamingChoices() {
        Run r = run("--dataset", "synthetic", "--actions", "strict");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("strict").contains("paper, realistic");
    }

    @Test
    void load_nothingChosen_exitsTwoExplainingOptions() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--dataset NAME").contains("--csv FILE");
    }

    @Test
    void load_csvWithSchema_readsAndSplits(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("s.json");
        Files.writeString(schema, "{\"name\":\"mini\",\"labelColumn\":\"y\",\"favorableLabel\":\"1\",\"features\":["
                + "{\"name\":\"x\",\"kind\":\"continuous\",\"actionability\":\"free\"}]}");
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(',').append(i % 2).append('\n');
        }
        Path data = dir.resolve("d.csv");
        Files.writeString(data, csv);
        Run r = run("--csv", data.toString(), "--schema", schema.toString());
        assertThat(r.exit()).isZero();
        // 50 per class: test 15 + 15 = 30; train 70: validation round(35 * 0.15) * 2 = 5 * 2 = 10.
        assertThat(r.dataset().test().rows()).isEqualTo(30);
        assertThat(r.dataset().validation().rows()).isEqualTo(10);
        assertThat(r.dataset().train().rows()).isEqualTo(60);
    }

    @Test
    void load_csvWithRealisticPreset_keepsTheSchemaFileAndPaperDropsItsNaturalDomain(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("s.json"), """
                {"name": "t", "labelColumn": "y", "favorableLabel": "1", "features": [
                  {"name": "n", "kind": "integer", "actionability": "free", "natural": {"min": 0, "max": 9}}]}
                """);
        StringBuilder csv = new StringBuilder("n,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 10).append(',').append(i % 2).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), csv);
        Run real = run("--csv", dir.resolve("d.csv").toString(), "--schema", dir.resolve("s.json").toString(),
                "--actions", "realistic");
        assertThat(real.exit()).isZero();
        assertThat(real.dataset().schema().feature(0).natural().max()).isEqualTo(9);
        Run paper = run("--csv", dir.resolve("d.csv").toString(), "--schema", dir.resolve("s.json").toString(),
                "--actions", "paper");
        assertThat(paper.exit()).isZero();
        assertThat(paper.dataset().schema().hasNaturalDomain()).isFalse();
    }
}
