package org.cfq.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The text {@code cfq quantize} prints for a person, from the JSON object it prints with --json. */
public final class QuantizeText {
    private QuantizeText() {
    }

    /** {@return the summary of a quantization by a uniform or mixed method} */
    public static String method(JsonNode o) {
        return String.format(Locale.ROOT, "%s on %s: %s bits per layer (average %.3f), %d bytes (float: %d)%n"
                        + "test accuracy %.4f (teacher %.4f), agreement with teacher %.4f, %.1fs%nwrote %s%n",
                o.path("method").asText(), o.path("dataset").asText(), o.get("bits_per_layer"),
                o.path("average_bits").asDouble(), o.path("model_bytes").asLong(), floatBytes(o), o.path(
                        "test_accuracy").asDouble(), o.path("teacher_accuracy").asDouble(),
                o.path("agreement_with_teacher").asDouble(), o.path("seconds").asDouble(), o.path("out").asText());
    }

    /** {@return the summary of a quantization by CFQ} */
    public static String cfq(JsonNode o, double bits) {
        return String.format(Locale.ROOT, "cfq on %s: %s bits per layer (average %.3f, budget %s%s), %d bytes "
                        + "(float: %d)%ntest accuracy %.4f (teacher %.4f), agreement with teacher %.4f, %.1fs "
                        + "(%.2fs per epoch)%nwrote %s%n", o.path("dataset").asText(), o.get("bits_per_layer"),
                o.path("average_bits").asDouble(), bits, o.path("within_budget").asBoolean() ? "" : ", over budget",
                o.path("model_bytes").asLong(), floatBytes(o), o.path("test_accuracy").asDouble(),
                o.path("teacher_accuracy").asDouble(), o.path("agreement_with_teacher").asDouble(),
                o.path("seconds").asDouble(), o.path("seconds_per_epoch").asDouble(), o.path("out").asText());
    }

    private static long floatBytes(JsonNode o) {
        return (o.path("float_model_bits").asLong() + 7) / 8;
    }
}
