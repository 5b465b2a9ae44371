package org.cfq.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordDirectoryTest {
    @TempDir
    Path dir;

    private static ObjectNode row(int v) {
        return Json.mapper().createObjectNode().put("v", v);
    }

    @Test
    void readAll_skipsTemporaryAndTruncatedFiles_inKeyOrder() throws Exception {
        RecordDirectory cells = new RecordDirectory(dir.resolve("cells"));
        cells.write("b", row(2));
        cells.write("a", row(1));
        Files.writeString(cells.dir().resolve(".c.json.1234.tmp"), "{\"v\": 3}");
        Files.writeString(cells.dir().resolve("d.json"), "{\"v\": ");

        var all = cells.readAll();

        assertThat(all.keySet()).containsExactly("a", "b");
        assertThat(all.get("b").get("v").asInt()).isEqualTo(2);
        assertThat(cells.read("d")).isEmpty();
        assertThat(cells.read("a")).isPresent();
    }

    @Test
    void file_keyWithPathSeparator_isRefused() {
        RecordDirectory cells = new RecordDirectory(dir);
        assertThatThrownBy(() -> cells.file("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
