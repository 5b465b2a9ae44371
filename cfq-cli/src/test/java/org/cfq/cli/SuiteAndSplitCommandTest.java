package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --split-seed} on a dataset command and {@code experiment --suite}. */
class SuiteAndSplitCommandTest {
    private static JsonNode train(Path dir, String splitSeed) throws Exception {
        TestModels.Run r = TestModels.run("train", "--json", "--dataset", "synthetic", "--hidden", "8", "--epochs", "2",
                "--split-seed", splitSeed, "--out", dir.resolve("t" + splitSeed + ".json").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void train_splitSeed_drawsAnotherStratifiedSplitOfTheSameSize(@TempDir Path dir) throws Exception {
        JsonNode s0 = train(dir, "0");
        JsonNode s4 = train(dir, "4");
        assertThat(s4.get("test_rows").asInt()).isEqualTo(s0.get("test_rows").asInt());
        assertThat(s4.get("train_rows").asInt()).isEqualTo(s0.get("train_rows").asInt());
        assertThat(s4.get("dataset_fingerprint").asText()).isNotEqualTo(s0.get("dataset_fingerprint").asText());
        TestModels.Run bad = TestModels.run("train", "--dataset", "synthetic", "--split-seed", "x", "--out",
                dir.resolve("bad.json").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--split-seed");
    }

    @Test
    void experiment_suiteSubgroups_writesItsOwnSummaryWithTheSubgroupTables(@TempDir Path data, @TempDir Path out)
            throws Exception {
        TestModels.Run r = TestModels.run("experiment", "--json", "--suite", "subgroups", "--datasets", "synthetic",
                "--data-dir", data.toString(), "--seeds", "7", "--max-factuals", "30", "--teacher-hidden", "8",
                "--teacher-epochs", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("suite").asText()).isEqualTo("subgroups");
        assertThat(o.get("cells").asInt()).as("budgets 3, 4 x ptq, mixed, cfq").isEqualTo(6);
        String summary = Files.readString(out.resolve("subgroups").resolve("summary.md"));
        assertThat(summary).startsWith("# Suite `subgroups`").contains("cfq experiment --json --suite subgroups")
                .contains("### Subgroups").contains("age <= ").contains("### Largest gap between subgroups")
                .contains("VD gap (pts)");
        JsonNode results = new ObjectMapper().readTree(Files.readString(out.resolve("subgroups")
                .resolve("results.json")));
        assertThat(results.get("plan").get("split").asText()).contains("per run seed");
        assertThat(results.get("rows").get(0).get("subgroups").get("groups")).hasSize(2);
    }

    @Test
    void experiment_unknownSuite_exitsWithBadInputListingTheFamilies(@TempDir Path out) {
        TestModels.Run r = TestModels.run("experiment", "--suite", "everything", "--out", out.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown suite 'everything'").contains("subgroups");
    }
}
