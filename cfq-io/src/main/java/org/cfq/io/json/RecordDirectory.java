package org.cfq.io.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cfq.io.files.AtomicFiles;

/**
 * A directory of finished records, one JSON object per file {@code KEY.json}, each written
 * atomically and durably before it counts as finished. It is the truth a resumable run
 * rebuilds its results from: a record is in the directory whole or not at all, so after a
 * crash at any point the union of the records is exactly the work that finished, each
 * piece once (one file per key).
 */
public final class RecordDirectory {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._+-]+");

    private final Path dir;

    /** A record directory at {@code dir} (created on the first write). */
    public RecordDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** {@return the directory} */
    public Path dir() {
        return dir;
    }

    /** {@return the file of a key} @throws IllegalArgumentException when the key is not a plain file name */
    public Path file(String key) {
        if (!KEY.matcher(key).matches() || key.startsWith(".")) {
            throw new IllegalArgumentException("record keys are plain file names of [A-Za-z0-9._+-], got '" + key + "'");
        }
        return dir.resolve(key + ".json");
    }

    /** Writes (or replaces) a record atomically. */
    public void write(String key, ObjectNode record) throws IOException {
        AtomicFiles.writeString(file(key), Json.mapper().writeValueAsString(record) + "\n");
    }

    /**
     * {@return the record of a key, or empty when there is none or its file does not parse as
     * a JSON object} (a file that does not parse cannot come from {@link #write}, which is
     * atomic; it is treated as absent so the work is redone)
     */
    public Optional<ObjectNode> read(String key) {
        return parse(file(key));
    }

    /**
     * {@return every record in the directory, by key in ascending order} Temporary files of
     * interrupted writes and files that do not parse are skipped.
     */
    public TreeMap<String, ObjectNode> readAll() throws IOException {
        TreeMap<String, ObjectNode> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            ds.forEach(files::add);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (AtomicFiles.isTemporary(f) || name.startsWith(".")) {
                continue;
            }
            String key = name.substring(0, name.length() - ".json".length());
            parse(f).ifPresent(o -> out.put(key, o));
        }
        return out;
    }

    private static Optional<ObjectNode> parse(Path f) {
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.mapper().readTree(Files.readString(f));
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
