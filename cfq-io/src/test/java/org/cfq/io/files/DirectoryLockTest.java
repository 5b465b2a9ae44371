package org.cfq.io.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cfq.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void acquire_whileHeld_failsNamingTheHolder() throws Exception {
        Path out = dir.resolve("exp");
        try (DirectoryLock held = DirectoryLock.acquire(out, "--out")) {
            assertThatThrownBy(() -> DirectoryLock.acquire(out, "--out")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("--out " + out).hasMessageContaining("another cfq process")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        assertThat(Files.readString(out.resolve(DirectoryLock.FILE))).startsWith("pid ");
    }

    @Test
    void acquire_afterRelease_succeeds() throws Exception {
        Path out = dir.resolve("exp");
        DirectoryLock.acquire(out, "--out").close();
        try (DirectoryLock again = DirectoryLock.acquire(out, "--out")) {
            assertThat(out.resolve(DirectoryLock.FILE)).exists();
        }
    }
}
