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

    private String stderr(String log) {
        try {
            return ChildCfq.stderr(dir.resolve(log));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
