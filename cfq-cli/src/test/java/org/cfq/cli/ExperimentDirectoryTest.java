package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cfq.io.files.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 7: one writer per experiment directory; results are the union of the finished cells. */
class ExperimentDirectoryTest {
    @TempDir
    Path dir;

    private TestModels.Run experiment(Path out, String seeds) {
        return TestModels.run("experiment", "--datasets", "synthetic", "--data-dir", dir.toString(), "--budgets", "4",
                "--methods", "ptq", "--seeds", seeds, "--max-factuals", "16", "--teacher-hidden", "8",
                "--teacher-epochs", "2", "--out", out.toString());
    }

    @Test
    void experiment_directoryLockedByAnotherRun_failsNamingItAndComputesNothing() throws Exception {
        Path out = dir.resolve("exp");
        try (DirectoryLock other = DirectoryLock.acquire(out, "--out")) {
            TestModels.Run r = experiment(out, "1");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("another cfq process is writing to this directory")
                    .contains("pid " + ProcessHandle.current().pid()).doesNotContain("teacher synthetic");
        }
        assertThat(out.resolve("cells")).doesNotExist();
        assertThat(out.resolve("teachers")).doesNotExist();
    }

    @Test
    void experiment_twoRunsWithOtherSeeds_resultsHoldTheUnionOfFinishedCells() throws Exception {
        Path out = dir.resolve("exp");
        assertThat(experiment(out, "1").exit()).isZero();
        TestModels.Run second = experiment(out, "2");
        assertThat(second.exit()).as(second.err()).isZero();

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        // Before: results.csv held the last run's rows only.
        assertThat(csv).hasSize(3);
        int seedCol = List.of(csv.get(0).split(",")).indexOf("seed");
        assertThat(csv.subList(1, 3)).extracting(l -> l.split(",")[seedCol]).containsExactlyInAnyOrder("1", "2");
        assertThat(org.cfq.io.json.Json.mapper().readTree(out.resolve("results.json").toFile()).path("rows"))
                .hasSize(2);
    }
}
