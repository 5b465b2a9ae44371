package org.cfq.io.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The project's one Jackson configuration, so every file cfq writes looks the same. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Writes records with their component names in snake case ("testAccuracy" as "test_accuracy"). */
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }

    /**
     * {@return a parse error's problem for people: Jackson's message without its location
     * suffix and parser internals (the caller names the file, line and column)}
     */
    public static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "unreadable JSON";
        }
        int cut = m.indexOf("\n at [Source");
        if (cut >= 0) {
            m = m.substring(0, cut);
        }
        m = m.replaceAll("\\s*\\(?\\[?Source: [^\\]]*\\]?\\)?", "")
                .replaceAll("\\s*\\((?:Stream|Json)ReadFeature[^)]*\\)", "")
                .replaceAll("\\s*\\(for [A-Za-z.]+ starting at [^)]*\\)", "");
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        return m.strip();
    }

    /** The shared mapper. It is thread-safe once configured; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@return a record (or a list or array of them) as JSON, its component names in snake case} */
    public static <T extends com.fasterxml.jackson.databind.JsonNode> T snakeCase(Object value) {
        return SNAKE.valueToTree(value);
    }
}
