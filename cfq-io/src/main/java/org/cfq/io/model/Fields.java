package org.cfq.io.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Reads required fields of a model file's JSON tree, turning every absence, type error or
 * rejected value into a {@link ModelFormatException} that names the file and the field.
 */
final class Fields {
    static final String FIX_CORRUPT = "The file is truncated or corrupt: restore it from a copy or re-export the "
            + "model with 'cfq train'";

    static final String FIX_CORRUPT_QUANTIZED = "The file is truncated or corrupt: restore it from a copy or "
            + "quantize the teacher again with 'cfq quantize'";

    private final String file;
    private final String path;
    private final String fix;

    Fields(String file, String path) {
        this(file, path, FIX_CORRUPT);
    }

    /** @param fix what to do about a corrupt field of this file's format */
    Fields(String file, String path, String fix) {
        this.file = file;
        this.path = path;
        this.fix = fix;
    }

    /** The reader for a nested object or array element. */
    Fields at(String child) {
        return new Fields(file, join(child), fix);
    }

    /** {@return what to do about a corrupt field of this file's format} */
    String fix() {
        return fix;
    }

    ModelFormatException corrupt(String field, String problem) {
        return new ModelFormatException(whereAbsolute(field), problem, fix);
    }

    /** {@return "FILE, field 'PATH.key'" for a field below this reader's path, or "FILE" at the top} */
    String where(String key) {
        return whereAbsolute(key.isEmpty() ? path : join(key));
    }

    private String whereAbsolute(String field) {
        return field.isEmpty() ? file : file + ", field '" + field + "'";
    }

    JsonNode node(JsonNode o, String key) {
        JsonNode n = o == null ? null : o.get(key);
        if (n == null || n.isNull()) {
            throw corrupt(join(key), "the field is missing");
        }
        return n;
    }

    String text(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isTextual()) {
            throw corrupt(join(key), "expected a string, found " + n.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return n.asText();
    }

    String textAt(JsonNode arr, int k) {
        JsonNode n = arr.get(k);
        if (n == null || !n.isTextual()) {
            throw corrupt(path + "[" + k + "]", "expected a string");
        }
        return n.asText();
    }

    long longValue(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw corrupt(join(key), "expected an integer, found '" + n + "'");
        }
        return n.asLong();
    }

    int intValue(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw corrupt(join(key), "expected an integer, found '" + n + "'");
        }
        return n.asInt();
    }

    double doubleValue(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isNumber()) {
            throw corrupt(join(key), "expected a number, found '" + n + "'");
        }
        return n.asDouble();
    }

    JsonNode array(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isArray()) {
            throw corrupt(join(key), "expected an array");
        }
        return n;
    }

    JsonNode object(JsonNode o, String key) {
        JsonNode n = node(o, key);
        if (!n.isObject()) {
            throw corrupt(join(key), "expected an object");
        }
        return n;
    }

    /** @param length the required length, or -1 for any */
    double[] doubles(JsonNode o, String key, int length) {
        JsonNode a = array(o, key);
        if (length >= 0 && a.size() != length) {
            throw corrupt(join(key), "expected " + length + " numbers, found " + a.size());
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            if (!a.get(i).isNumber()) {
                throw corrupt(join(key) + "[" + i + "]", "expected a number, found '" + a.get(i) + "'");
            }
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    <E extends Enum<E>> E enumValue(JsonNode o, String key, Class<E> type) {
        String s = text(o, key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw corrupt(join(key), "unknown value '" + s + "'; expected one of "
                + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    /** Runs a validating constructor, reporting its rejection as a corrupt field. */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw corrupt(path, e.getMessage());
        }
    }

    /** {@return the full path of a field below this reader's path} */
    String join(String key) {
        if (path.isEmpty()) {
            return key;
        }
        return key.startsWith("[") ? path + key : path + "." + key;
    }
}
