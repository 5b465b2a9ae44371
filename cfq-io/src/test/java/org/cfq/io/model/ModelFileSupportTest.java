package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.cfq.io.json.Json;
import org.junit.jupiter.api.Test;

class ModelFileSupportTest {
    private static JsonNode encoding(String value) throws Exception {
        return Json.mapper().readTree("{\"encoding\": \"" + value + "\"}");
    }

    @Test
    void checkEncoding_expectedEncoding_passes() throws Exception {
        JsonNode o = encoding("base64-float32-le");
        assertThatCode(() -> ModelFileSupport.checkEncoding(o, new Fields("m.json", "weights"), "weights.encoding",
                "weight encoding", "base64-float32-le")).doesNotThrowAnyException();
    }

    @Test
    void checkEncoding_otherEncoding_failsNamingFieldFoundAndExpected() throws Exception {
        JsonNode o = encoding("zip");
        assertThatThrownBy(() -> ModelFileSupport.checkEncoding(o, new Fields("m.json", "weights"),
                "weights.encoding", "weight encoding", "base64-float32-le"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("m.json")
                .hasMessageContaining("weights.encoding")
                .hasMessageContaining("unknown weight encoding 'zip'; expected 'base64-float32-le'");
    }

    @Test
    void parse_modelFileWithOtherWeightEncoding_failsNamingIt() {
        String text = ModelFile.toJson(GoldenModel.build()).replace("\"base64-float32-le\"", "\"hex\"");
        assertThatThrownBy(() -> ModelFile.parse(text, "m.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("weights.encoding")
                .hasMessageContaining("unknown weight encoding 'hex'; expected 'base64-float32-le'");
    }

    @Test
    void parse_quantizedFileWithOtherEncoding_failsNamingIt() {
        String text = QuantizedModelFile.toJson(GoldenQuantizedModel.build())
                .replace("\"packed-codes+base64-float32-le\"", "\"raw\"");
        assertThatThrownBy(() -> QuantizedModelFile.parse(text, "q.json")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layers.encoding")
                .hasMessageContaining("unknown encoding 'raw'; expected 'packed-codes+base64-float32-le'");
    }
}
