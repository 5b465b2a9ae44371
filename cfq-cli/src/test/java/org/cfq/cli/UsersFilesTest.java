package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, items 2, 4, 5 and 8: users' files are never destroyed, bad paths and data fail before work. */
class UsersFilesTest {
    @TempDir
    Path dir;

    private static final String SCHEMA = "{\"name\": \"loans\", \"labelColumn\": \"approved\", \"favorableLabel\": \"yes\","
            + " \"features\": [{\"name\": \"age\", \"kind\": \"integer\", \"actionability\": \"free\"},"
            + " {\"name\": \"income\", \"kind\": \"continuous\", \"actionability\": \"free\"}]}";

    private Path schema() throws Exception {
        return Files.writeString(dir.resolve("schema.json"), SCHEMA);
    }

    private Path csv(String name, int rows, boolean bothLabels) throws Exception {
        StringBuilder sb = new StringBuilder("\uFEFFage,income,approved\n");
        for (int i = 0; i < rows; i++) {
            sb.append(20 + i).append(',').append(1000 + 37 * i).append(',')
                    .append(bothLabels && i % 2 == 1 ? "no" : "yes").append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @Test
    void train_outputIsTheInputCsv_isRefusedAndTheDataKept() throws Exception {
        Path data = csv("data.csv", 40, true);
        String before = Files.readString(data);
        TestModels.Run r = TestModels.run("train", "--csv", data.toString(), "--schema", schema().toString(), "--out",
                data.toString(), "--epochs", "1", "--force");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + data).contains("also one of this command's inputs");
        assertThat(Files.readString(data)).isEqualTo(before);
    }

    @Test
    void train_byteOrderMarkCsv_trains() throws Exception {
        // Item 8: the BOM Excel writes used to hide the first column ("no column 'age'").
        Path data = csv("data.csv", 40, true);
        TestModels.Run r = TestModels.run("train", "--csv", data.toString(), "--schema", schema().toString(), "--out",
                dir.resolve("m.json").toString(), "--epochs", "1", "--hidden", "4");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void train_overExistingSchemaFile_needsForce() throws Exception {
        Path data = csv("data.csv", 40, true);
        Path other = Files.writeString(dir.resolve("other-schema.json"), SCHEMA);
        TestModels.Run r = TestModels.run("train", "--csv", data.toString(), "--schema", schema().toString(), "--out",
                other.toString(), "--epochs", "1", "--hidden", "4");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not a cfq model file (it looks like a schema file)").contains("--force");
        assertThat(Files.readString(other)).isEqualTo(SCHEMA);

        TestModels.Run forced = TestModels.run("train", "--csv", data.toString(), "--schema", schema().toString(),
                "--out", other.toString(), "--epochs", "1", "--hidden", "4", "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(Files.readString(other)).contains("\"format\" : \"cfq-model\"");
    }

    @Test
    void quantize_outputIsTheTeacher_isRefusedAndTheTeacherKept() throws Exception {
        TestModels m = TestModels.write(dir, 4);
        byte[] before = Files.readAllBytes(m.teacher);
        TestModels.Run r = TestModels.run("quantize", "--dataset", "synthetic", "--model", m.teacher.toString(),
                "--method", "ptq", "--bits", "4", "--out", m.teacher.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("also one of this command's inputs").doesNotContain("quantizing");
        assertThat(Files.readAllBytes(m.teacher)).isEqualTo(before);
    }

    @Test
    void badPaths_failBeforeWorkWithExit2() throws Exception {
        TestModels m = TestModels.write(dir, 4);
        Path file = Files.writeString(dir.resolve("exp"), "not a directory");
        TestModels.Run exp = TestModels.run("experiment", "--datasets", "synthetic", "--out", file.toString());
        assertThat(exp.exit()).isEqualTo(2);
        assertThat(exp.err()).contains("it is a file, not a directory");

        TestModels.Run modelDir = TestModels.run("recourse", "--dataset", "synthetic", "--model", dir.toString());
        assertThat(modelDir.exit()).isEqualTo(2);
        assertThat(modelDir.err()).contains("--model " + dir).contains("is a directory");

        TestModels.Run outDir = TestModels.run("recourse", "--dataset", "synthetic", "--model", m.teacher.toString(),
                "--out", dir.toString());
        assertThat(outDir.exit()).isEqualTo(2);
        assertThat(outDir.err()).contains("it is a directory").doesNotContain("cfq recourse: pgd");
    }

    @Test
    void train_readOnlyDirectory_failsBeforeTraining() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            TestModels.Run r = TestModels.run("train", "--dataset", "synthetic", "--out", ro.resolve("m.json").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("is not writable").doesNotContain("epoch");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void train_tooFewRowsOrOneLabel_failsSayingWhatIsNeeded() throws Exception {
        TestModels.Run three = TestModels.run("train", "--csv", csv("three.csv", 3, true).toString(), "--schema",
                schema().toString(), "--out", dir.resolve("m.json").toString());
        // Before: trained on an empty validation split ("val loss NaN").
        assertThat(three.exit()).isEqualTo(2);
        assertThat(three.err()).contains("needs at least 6 rows of each class").doesNotContain("epoch");

        TestModels.Run oneLabel = TestModels.run("train", "--csv", csv("one.csv", 40, false).toString(), "--schema",
                schema().toString(), "--out", dir.resolve("m.json").toString());
        // Before: trained to test accuracy 1.0 on a single class.
        assertThat(oneLabel.exit()).isEqualTo(2);
        assertThat(oneLabel.err()).contains("every row has the favorable label 'yes'");
        assertThat(dir.resolve("m.json")).doesNotExist();
    }
}
