package org.cfq.io.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cfq.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureTest {
    @Test
    void badInputKeepsItsThreePartsAndExitsTwo() {
        Failure f = Failure.of(new InvalidInputException("--bits 9", "must be in [2, 8]", "Pass --bits 4"), "quantize");
        assertThat(f.exitCode()).isEqualTo(Failure.BAD_INPUT);
        assertThat(f.input()).isEqualTo("--bits 9");
        assertThat(f.line()).isEqualTo("cfq: --bits 9: must be in [2, 8]. Pass --bits 4");
        ObjectNode json = f.toJson();
        assertThat(json.path("error").path("problem").asText()).isEqualTo("must be in [2, 8]");
        assertThat(json.path("error").path("fix").asText()).isEqualTo("Pass --bits 4");
        assertThat(json.path("exit_code").asInt()).isEqualTo(2);
    }

    @Test
    void aMissingFileIsBadInputNamingTheFile() {
        Failure f = Failure.of(new UncheckedIOException(new NoSuchFileException("/no/such.csv")), "train");
        assertThat(f.exitCode()).isEqualTo(Failure.BAD_INPUT);
        assertThat(f.input()).isEqualTo("/no/such.csv");
        assertThat(f.problem()).contains("does not exist");
    }

    @Test
    void illegalArgumentNamesTheCommandAndItsHelp() {
        Failure f = Failure.of(new IllegalArgumentException("margin < 0"), "recourse");
        assertThat(f.exitCode()).isEqualTo(Failure.BAD_INPUT);
        assertThat(f.input()).isEqualTo("cfq recourse");
        assertThat(f.fix()).isEqualTo("Check the option values (cfq recourse --help)");
        assertThat(f.line()).isEqualTo("cfq: margin < 0");
    }

    @Test
    void outOfMemoryAndBugsAreFailures() {
        Failure oom = Failure.of(new OutOfMemoryError("Java heap space"), "experiment");
        assertThat(oom.exitCode()).isEqualTo(Failure.FAILURE);
        assertThat(oom.problem()).isEqualTo("Java ran out of memory (Java heap space)");
        assertThat(oom.fix()).contains("CFQ_JAVA_OPTS=-Xmx8g");
        Failure bug = Failure.of(new IllegalStateException("boom"), "demo");
        assertThat(bug.exitCode()).isEqualTo(Failure.FAILURE);
        assertThat(bug.line()).isEqualTo("cfq: failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void deleteTreeRemovesADirectoryAndItsChildren(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a").resolve("b"));
        Files.writeString(dir.resolve("f.txt"), "x");
        AtomicFiles.deleteTree(tmp.resolve("a"));
        assertThat(tmp.resolve("a")).doesNotExist();
        AtomicFiles.deleteTree(tmp.resolve("a"));
    }
}
