package org.cfq.io.files;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cfq.InvalidInputException;
import org.cfq.io.files.FileChecks.OutputKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChecksTest {
    @TempDir
    Path dir;

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void output_sameAsAnInput_isRefusedEvenWithForce() throws Exception {
        Path teacher = Files.writeString(dir.resolve("T.json"), "{\"format\": \"cfq-model\"}");
        assertThatThrownBy(() -> FileChecks.output(dir.resolve("./T.json"), "--out", OutputKind.QUANTIZED_MODEL, true,
                null, teacher)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--out").hasMessageContaining("also one of this command's inputs")
                .hasMessageContaining("another path");
    }

    @Test
    void output_existingFileOfAnotherKind_isRefusedWithoutForce() throws Exception {
        Path data = Files.writeString(dir.resolve("data.csv"), "age,income,y\n1,2,yes\n");
        Path schema = Files.writeString(dir.resolve("s.json"), "{\"name\": \"s\", \"labelColumn\": \"y\", \"features\": []}");
        assertThatThrownBy(() -> FileChecks.output(data, "--out", OutputKind.MODEL, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--out " + data)
                .hasMessageContaining("not a cfq model file (it looks like a CSV data file)")
                .hasMessageContaining("--force");
        assertThatThrownBy(() -> FileChecks.output(schema, "--out", OutputKind.MODEL, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("it looks like a schema file");
        assertThatCode(() -> FileChecks.output(data, "--out", OutputKind.MODEL, true)).doesNotThrowAnyException();
    }

    @Test
    void output_existingFileOfTheSameKindOrEmpty_mayBeReplaced() throws Exception {
        Path model = Files.writeString(dir.resolve("m.json"), "{\n  \"format\" : \"cfq-model\",\n  \"version\" : 1\n}");
        Path csv = Files.writeString(dir.resolve("r.csv"), "test_row,age\n1,2\n");
        Path empty = Files.createFile(dir.resolve("empty.json"));
        assertThatCode(() -> FileChecks.output(model, "--out", OutputKind.MODEL, false)).doesNotThrowAnyException();
        assertThatCode(() -> FileChecks.output(csv, "--out", OutputKind.RECOURSE_CSV, false)).doesNotThrowAnyException();
        assertThatCode(() -> FileChecks.output(empty, "--out", OutputKind.MODEL, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> FileChecks.output(model, "--out", OutputKind.QUANTIZED_MODEL, false))
                .hasMessageContaining("it is a cfq model file");
    }

    @Test
    void output_directoryOrBelowAFile_isRefused() throws Exception {
        assertThatThrownBy(() -> FileChecks.output(dir, "--out", OutputKind.MODEL, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("it is a directory")
                .hasMessageContaining("model.json");
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> FileChecks.output(file.resolve("sub/m.json"), "--out", OutputKind.MODEL, false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a file, so nothing can be created");
    }

    @Test
    void output_readOnlyDirectory_isRefusedBeforeWork() throws Exception {
        assumeFalse(root(), "root may write anywhere");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> FileChecks.output(ro.resolve("m.json"), "--out", OutputKind.MODEL, false))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not writable");
            assertThatThrownBy(() -> FileChecks.outputDirectory(ro.resolve("exp"), "--out"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not writable");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void outputDirectory_existingFile_isRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("exp"), "x");
        assertThatThrownBy(() -> FileChecks.outputDirectory(file, "--out")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--out " + file).hasMessageContaining("it is a file, not a directory");
        assertThatCode(() -> FileChecks.outputDirectory(dir.resolve("new/exp"), "--out")).doesNotThrowAnyException();
    }

    @Test
    void readable_directoryOrMissing_isRefusedNamingTheOption() {
        assertThatThrownBy(() -> FileChecks.readable(dir, "--model")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--model " + dir).hasMessageContaining("it is a directory");
        assertThatThrownBy(() -> FileChecks.readable(dir.resolve("nope.json"), "--model"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void output_reportsAndTables_replaceOnlyTheirOwnKind() throws Exception {
        Path md = Files.writeString(dir.resolve("table.md"), "# Quantization benchmark\n");
        Path data = Files.writeString(dir.resolve("data.csv"), "age,y\n1,yes\n");
        assertThatCode(() -> FileChecks.output(md, "--out", OutputKind.MARKDOWN, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> FileChecks.output(data, "--csv", OutputKind.QUANT_TABLE_CSV, false))
                .hasMessageContaining("not a cfq quant-table CSV (it looks like a CSV data file)");
    }
}
