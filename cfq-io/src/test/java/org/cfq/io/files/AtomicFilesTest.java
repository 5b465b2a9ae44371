package org.cfq.io.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Test
    void write_newFile_getsTheUmaskModeOfAnyNewFileNotTempFileMode() throws IOException {
        assumeTrue(posix(), "POSIX permissions only");
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> umaskMode = Files.getPosixFilePermissions(probe);

        Path f = dir.resolve("model.json");
        AtomicFiles.writeString(f, "{}\n");

        // Before: always rw------- (the temporary file's mode survived the move).
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(umaskMode);
        assertThat(Files.readString(f)).isEqualTo("{}\n");
    }

    @Test
    void write_existingFile_keepsItsPermissions() throws IOException {
        assumeTrue(posix(), "POSIX permissions only");
        Path f = dir.resolve("shared.json");
        Files.writeString(f, "old");
        Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(f, shared);

        AtomicFiles.writeString(f, "new");

        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(shared);
        assertThat(Files.readString(f)).isEqualTo("new");
    }

    @Test
    void write_writerFails_leavesOldContentAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, "old\n");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half a fi".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(Files.readString(f)).isEqualTo("old\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(f);
        }
    }

    @Test
    void isTemporary_recognizesOnlyInFlightNames() {
        assertThat(AtomicFiles.isTemporary(Path.of(".results.csv.1f2e.tmp"))).isTrue();
        assertThat(AtomicFiles.isTemporary(Path.of("results.csv"))).isFalse();
    }

    @Test
    void removeLeftovers_deletesOnlyTemporaryFiles() throws IOException {
        Path kept = Files.writeString(dir.resolve("results.csv"), "x");
        Files.writeString(dir.resolve(".results.csv.1f2e.tmp"), "half");
        assertThat(AtomicFiles.removeLeftovers(dir)).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(kept);
        }
    }
}
