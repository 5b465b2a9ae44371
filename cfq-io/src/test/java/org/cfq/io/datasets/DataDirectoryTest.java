package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @Test
    void resolve_explicitEnvAndHome_searchesInThatOrder() {
        DataDirectory d = DataDirectory.resolve(Path.of("/a"), Map.of("CFQ_DATA_DIR", "/b"), Path.of("/home/u"));
        assertThat(d.candidates()).containsExactly(Path.of("/a"), Path.of("/b"), Path.of("/home/u/.cache/cfq/datasets"));
        assertThat(d.primary()).isEqualTo(Path.of("/a"));
    }

    @Test
    void resolve_noExplicitNoEnv_usesUserCache() {
        DataDirectory d = DataDirectory.resolve(null, Map.of(), Path.of("/home/u"));
        assertThat(d.candidates()).containsExactly(Path.of("/home/u/.cache/cfq/datasets"));
    }

    @Test
    void resolve_envOnly_isPrimary() {
        DataDirectory d = DataDirectory.resolve(null, Map.of("CFQ_DATA_DIR", "/b"), Path.of("/h"));
        assertThat(d.primary()).isEqualTo(Path.of("/b"));
        assertThat(d.candidates()).hasSize(2);
    }

    @Test
    void resolve_sameDirTwice_listsItOnce() {
        DataDirectory d = DataDirectory.resolve(Path.of("/b"), Map.of("CFQ_DATA_DIR", "/b"), Path.of("/h"));
        assertThat(d.candidates()).containsExactly(Path.of("/b"), Path.of("/h/.cache/cfq/datasets"));
    }

    @Test
    void find_fileInSecondCandidate_returnsIt(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Files.writeString(b.resolve("x.csv"), "1");
        DataDirectory d = new DataDirectory(java.util.List.of(a, b));
        assertThat(d.find("x.csv")).contains(b.resolve("x.csv"));
        assertThat(d.find("y.csv")).isEmpty();
    }
}
