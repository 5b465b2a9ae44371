package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
    @Test
    void describe_teacherAndQuantizedFiles_nameTheirKindAndAQuantizedOnesWidths(@TempDir Path dir) throws Exception {
        Path teacher = dir.resolve("teacher.json");
        ModelFile.write(teacher, GoldenModel.build());
        ObjectNode t = ModelFiles.read(teacher, "--model").describe();
        assertThat(t.get("kind").asText()).isEqualTo("float");
        assertThat(t.size()).isEqualTo(1);

        SavedQuantizedModel q = GoldenQuantizedModel.build();
        Path student = dir.resolve("student.json");
        QuantizedModelFile.write(student, q);
        ObjectNode s = ModelFiles.read(student, "--model").describe();
        assertThat(s.get("kind").asText()).isEqualTo("quantized");
        assertThat(s.get("method").asText()).isEqualTo(q.method());
        assertThat(s.get("bits_per_layer")).hasSize(q.model().bitsPerLayer().length);
        assertThat(s.get("bits_per_layer").get(0).asInt()).isEqualTo(q.model().bitsPerLayer()[0]);
    }
}
