package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cfq.io.model.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 13: the same seed gives the same model; a byte-identical retrain is the same teacher. */
class DeterminismTest {
    @TempDir
    Path dir;

    private static final String[] TRAIN = {"train", "--dataset", "synthetic", "--hidden", "8", "--epochs", "2",
        "--seed", "3", "--out"};

    private static String[] train(Path out) {
        String[] a = java.util.Arrays.copyOf(TRAIN, TRAIN.length + 1);
        a[TRAIN.length] = out.toString();
        return a;
    }

    private static List<String> withoutCreatedAt(Path f) throws Exception {
        return Files.readAllLines(f).stream().filter(l -> !l.contains("\"created_at\"")).toList();
    }

    @Test
    void train_sameSeedTwice_sameBytesExceptCreatedAtAndSameTeacherChecksum() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(TestModels.run(train(a)).exit()).isZero();
        Thread.sleep(5);
        assertThat(TestModels.run(train(b)).exit()).isZero();

        assertThat(withoutCreatedAt(a)).isEqualTo(withoutCreatedAt(b));
        assertThat(ModelFile.contentSha256(ModelFile.read(a))).isEqualTo(ModelFile.contentSha256(ModelFile.read(b)));

        Path q = dir.resolve("q.json");
        TestModels.Run quant = TestModels.run("quantize", "--dataset", "synthetic", "--model", a.toString(), "--method",
                "ptq", "--bits", "4", "--out", q.toString());
        assertThat(quant.exit()).as(quant.err()).isZero();
        TestModels.Run audit = TestModels.run("audit", "--dataset", "synthetic", "--teacher", b.toString(), "--student",
                q.toString(), "--max-factuals", "8");
        // Before: the checksum covered created_at, so the retrained teacher was "another teacher".
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.err()).doesNotContain("quantized from a teacher file");
    }

    @Test
    void train_sourceDateEpoch_sameSeedGivesByteIdenticalFiles() throws Exception {
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(ChildCfq.run(dir.resolve("log-a"), env, train(a))).as(() -> stderr("log-a")).isZero();
        assertThat(ChildCfq.run(dir.resolve("log-b"), env, train(b))).as(() -> stderr("log-b")).isZero();

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readString(a)).contains("\"created_at\" : \"2023-11-14T22:13:20Z\"");
    }

    /** A schema whose level sets are listed in the given orders (as {@code Set.of} gives them in two JVM runs). */
    private static String schema(String notTargets, String ifLevels, String thenLevels) {
        return """
                {"name": "loans", "labelColumn": "approved", "favorableLabel": "yes", "features": [
                  {"name": "income", "kind": "continuous", "actionability": "free", "natural": {"min": 0, "step": 0}},
                  {"name": "job", "kind": "categorical", "levels": ["clerk", "manager", "retired", "student", "unknown"],
                   "actionability": "free", "natural": {"notTargets": [%s], "forbidden": []}},
                  {"name": "rel", "kind": "categorical", "levels": ["husband", "wife", "single"], "actionability": "free"},
                  {"name": "marital", "kind": "categorical", "levels": ["married", "married-af", "never"],
                   "actionability": "free"}],
                 "rules": [{"if": "rel", "ifLevels": [%s], "then": "marital", "thenLevels": [%s]}]}
                """.formatted(notTargets, ifLevels, thenLevels);
    }

    @Test
    void trainAndQuantize_twiceInOneJvmAndLevelSetsInAnotherOrder_sameBytesExceptCreatedAt() throws Exception {
        String[] jobs = {"clerk", "manager", "retired", "student", "unknown"};
        StringBuilder csv = new StringBuilder("income,job,rel,marital,approved\n");
        for (int i = 0; i < 120; i++) {
            int rel = i % 3;
            csv.append(1000 + 37 * (i % 29)).append(',').append(jobs[i % 5]).append(',')
                    .append(new String[] {"husband", "wife", "single"}[rel]).append(',')
                    .append(rel == 2 ? "never" : i % 7 == 0 ? "married-af" : "married").append(',')
                    .append((i * 7) % 10 < 4 || i % 29 > 20 ? "yes" : "no").append('\n');
        }
        Path data = Files.writeString(dir.resolve("loans.csv"), csv);
        // One order, and every set reversed: the same schema (sets), so the same model files.
        Path s1 = Files.writeString(dir.resolve("s1.json"),
                schema("\"unknown\", \"retired\", \"student\"", "\"wife\", \"husband\"", "\"married-af\", \"married\""));
        Path s2 = Files.writeString(dir.resolve("s2.json"),
                schema("\"student\", \"retired\", \"unknown\"", "\"husband\", \"wife\"", "\"married\", \"married-af\""));
        List<List<String>> teachers = new java.util.ArrayList<>();
        List<List<String>> students = new java.util.ArrayList<>();
        int n = 0;
        for (Path schema : List.of(s1, s1, s2)) {
            Path t = dir.resolve("t" + n + ".json");
            Path q = dir.resolve("q" + n++ + ".json");
            TestModels.Run train = TestModels.run("train", "--csv", data.toString(), "--schema", schema.toString(),
                    "--hidden", "8", "--epochs", "2", "--seed", "5", "--out", t.toString());
            assertThat(train.exit()).as(train.err()).isZero();
            TestModels.Run quant = TestModels.run("quantize", "--csv", data.toString(), "--schema", schema.toString(),
                    "--model", t.toString(), "--method", "lsq", "--bits", "3", "--epochs", "1", "--seed", "5",
                    "--out", q.toString());
            assertThat(quant.exit()).as(quant.err()).isZero();
            teachers.add(withoutCreatedAt(t));
            students.add(withoutCreatedAt(q));
        }
        // The files list the sets in the levels' order, not in the order a set happened to iterate in.
        assertThat(String.join("\n", teachers.get(0)).replaceAll("\\s+", ""))
                .contains("\"notTargets\":[\"retired\",\"student\",\"unknown\"]")
                .contains("\"ifLevels\":[\"husband\",\"wife\"]")
                .contains("\"thenLevels\":[\"married\",\"married-af\"]");
        assertThat(teachers.get(1)).isEqualTo(teachers.get(0));
        assertThat(teachers.get(2)).isEqualTo(teachers.get(0));
        assertThat(students.get(1)).isEqualTo(students.get(0));
        assertThat(students.get(2)).isEqualTo(students.get(0));
    }

    private String stderr(String log) {
        try {
            return ChildCfq.stderr(dir.resolve(log));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
