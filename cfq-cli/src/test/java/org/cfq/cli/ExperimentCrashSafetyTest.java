package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code cfq experiment} (issue 12): the experiment is killed with SIGKILL at
 * seeded random moments, many times, on a tiny grid; after every kill each file on disk parses,
 * and no finished cell is lost or recomputed by the restarts; a last run completes the grid with
 * every cell exactly once in the results.
 */
@Tag("crash-safety")
class ExperimentCrashSafetyTest {
    private static final int KILLS = 8;
    private static final long SCHEDULE_SEED = 12;

    @TempDir
    Path dir;

    private String[] args(Path out, boolean json) {
        List<String> a = new java.util.ArrayList<>(List.of("experiment", "--datasets", "synthetic", "--data-dir",
                dir.toString(), "--methods", "ptq", "--budgets", "3,4,8", "--seeds", "1,2", "--max-factuals", "16",
                "--teacher-hidden", "8", "--teacher-epochs", "2", "--out", out.toString()));
        if (json) {
            a.add("--json");
        }
        return a.toArray(String[]::new);
    }

    @Test
    void experiment_killedAtRandomPoints_losesNoFinishedCellAndLeavesOnlyParsableFiles() throws Exception {
        Path out = dir.resolve("exp");
        Random schedule = new Random(SCHEDULE_SEED);
        Map<String, byte[]> finished = new HashMap<>();
        for (int k = 0; k < KILLS; k++) {
            Process p = ChildCfq.start(dir.resolve("log-" + k), Map.of(), args(out, false));
            // Early kills land in JVM start-up and teacher training, later ones in the cells and the results.
            long delay = 300 + schedule.nextInt(400 + 500 * k);
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            checkEveryFileParses(out);
            Map<String, byte[]> now = cells(out);
            for (Map.Entry<String, byte[]> e : finished.entrySet()) {
                assertThat(now).as("cell %s after kill %d", e.getKey(), k).containsKey(e.getKey());
                assertThat(now.get(e.getKey())).as("cell %s recomputed after kill %d", e.getKey(), k)
                        .isEqualTo(e.getValue());
            }
            finished = now;
        }

        int before = finished.size();
        Path log = dir.resolve("log-final");
        int exit = ChildCfq.run(log, Map.of(), args(out, true));
        assertThat(exit).as(() -> read(log.resolve("stderr.txt"))).isZero();
        JsonNode summary = Json.mapper().readTree(log.resolve("stdout.txt").toFile());
        assertThat(summary.path("reused").asInt()).isEqualTo(before);
        assertThat(summary.path("computed").asInt()).isEqualTo(6 - before);
        checkEveryFileParses(out);
        Map<String, byte[]> last = cells(out);
        assertThat(last).hasSize(6);
        for (Map.Entry<String, byte[]> e : finished.entrySet()) {
            assertThat(last.get(e.getKey())).as("cell %s", e.getKey()).isEqualTo(e.getValue());
        }
        Set<String> keys = new HashSet<>();
        try (Reader in = Files.newBufferedReader(out.resolve("results.csv"));
             CSVParser csv = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().get())) {
            for (CSVRecord r : csv) {
                assertThat(r.get("status")).isEqualTo("ok");
                assertThat(keys.add(r.get("seed") + "/" + r.get("budget"))).as("row repeated").isTrue();
            }
        }
        assertThat(keys).hasSize(6);
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(AtomicFiles::isTemporary).toList()).as("leftovers of killed writes removed").isEmpty();
        }
    }

    private static Map<String, byte[]> cells(Path out) throws Exception {
        Map<String, byte[]> m = new HashMap<>();
        Path cells = out.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return m;
        }
        try (Stream<Path> s = Files.list(cells)) {
            for (Path f : s.toList()) {
                if (!AtomicFiles.isTemporary(f)) {
                    m.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
        }
        return m;
    }

    /** Every file under its final name parses as what it claims to be (temporary files are not final). */
    private static void checkEveryFileParses(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> s = Files.walk(out)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (AtomicFiles.isTemporary(f) || name.equals(".lock")) {
                    continue;
                }
                if (f.getParent().getFileName().toString().equals("teachers")) {
                    ModelFile.read(f);
                } else if (name.endsWith(".json")) {
                    assertThat(Json.mapper().readTree(f.toFile()).isObject()).as(f.toString()).isTrue();
                } else if (name.endsWith(".csv")) {
                    List<String> lines = Files.readAllLines(f);
                    assertThat(lines).as(f.toString()).isNotEmpty();
                    int columns = lines.get(0).split(",", -1).length;
                    try (Reader in = Files.newBufferedReader(f);
                         CSVParser csv = CSVParser.parse(in, CSVFormat.DEFAULT)) {
                        for (CSVRecord r : csv) {
                            assertThat(r.size()).as(f + " line " + r.getRecordNumber()).isEqualTo(columns);
                        }
                    }
                } else if (name.endsWith(".md")) {
                    assertThat(Files.readString(f)).as(f.toString()).startsWith("#");
                }
            }
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
