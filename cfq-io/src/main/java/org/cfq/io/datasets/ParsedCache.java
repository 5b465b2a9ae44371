package org.cfq.io.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.cfq.io.csv.Cells;
import org.cfq.io.csv.TableBuilder;
import org.cfq.io.files.AtomicFiles;

/**
 * A binary copy of a parsed data file, so a fresh process does not parse the same CSV again
 * (Adult's 48,842 rows took about 0.5 s of a fresh {@code cfq train}, most of it cold code:
 * docs/benchmarks.md). Only a cache: the table read back is the parsed one, value for value.
 *
 * <p>An entry is keyed by the source file's length and two checksums of its bytes (CRC-32C
 * and CRC-32, 64 bits together), the schema it was parsed under (names, kinds, levels,
 * ranges), and the class files of the parsing code (the loader, {@link LoaderSupport},
 * {@link Cells}, {@link TableBuilder}, this class), so editing the file or the parser makes a
 * new entry. An entry is written atomically ({@link AtomicFiles}) and carries a checksum of
 * its own content; one that does not match is ignored and rewritten. Errors in the source
 * file are never cached: the parser throws before anything is written.
 *
 * <p>Entries live in {@code $CFQ_CACHE_DIR/parsed}, else {@code $XDG_CACHE_HOME/cfq/parsed},
 * else {@code ~/.cache/cfq/parsed}; {@code CFQ_CACHE_DIR=off} (or the system property
 * {@code cfq.cache.dir=off}) turns the cache off. A cache that cannot be written (read-only
 * home) is skipped silently: the parse result is returned either way.
 */
final class ParsedCache {
    private static final String ENV = "CFQ_CACHE_DIR";
    private static final String PROPERTY = "cfq.cache.dir";
    private static final long MAGIC = 0x3176_5041_5051_4643L; // "CFQPAPv1" little-endian
    private static final int HEADER = 8 + 8 + 4 + 4;

    private ParsedCache() {
    }

    /**
     * {@return the table of {@code file} under {@code schema}: read back from the cache when an
     * entry for these bytes, schema and parser exists, else {@code parse.apply(file)}, then stored}
     *
     * @param parser the loader class whose code parses the file (part of the key)
     */
    static Table read(Path file, FeatureSchema schema, Class<?> parser, Function<Path, Table> parse) {
        return read(directory(System.getenv(), System.getProperties()), file, schema, parser, parse);
    }

    /** {@link #read(Path, FeatureSchema, Class, Function)} with the cache in {@code dir} (null: off). */
    static Table read(Path dir, Path file, FeatureSchema schema, Class<?> parser, Function<Path, Table> parse) {
        if (dir == null) {
            return parse.apply(file);
        }
        long key;
        try {
            key = key(Files.readAllBytes(file), schema, parser);
        } catch (IOException e) {
            return parse.apply(file); // the parser reports the unreadable file
        }
        String prefix = schema.name() + "-" + file.getFileName() + "-";
        Path entry = dir.resolve(prefix + Long.toHexString(key) + ".bin");
        Table cached = load(entry, schema, key);
        if (cached != null) {
            return cached;
        }
        Table t = parse.apply(file);
        store(dir, prefix, entry, t, key);
        return t;
    }

    /** The cache directory, or null when turned off; pure, for tests. */
    static Path directory(Map<String, String> env, java.util.Properties props) {
        String v = props.getProperty(PROPERTY);
        if (v == null) {
            v = env.get(ENV);
        }
        if (v != null && !v.isBlank()) {
            return v.equalsIgnoreCase("off") || v.equals("0") ? null : Path.of(v).resolve("parsed");
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(props.getProperty("user.home", ".")).resolve(".cache");
        return base.resolve("cfq").resolve("parsed");
    }

    /** 64 bits over the file's bytes, the schema and the parsing code. */
    static long key(byte[] bytes, FeatureSchema schema, Class<?> parser) {
        CRC32C a = new CRC32C();
        CRC32 b = new CRC32();
        a.update(bytes, 0, bytes.length);
        b.update(bytes, 0, bytes.length);
        byte[] meta = (bytes.length + "|" + signature(schema) + "|" + codeSignature(parser))
                .getBytes(StandardCharsets.UTF_8);
        a.update(meta, 0, meta.length);
        b.update(meta, 0, meta.length);
        return a.getValue() << 32 | b.getValue();
    }

    private static String signature(FeatureSchema schema) {
        StringBuilder sb = new StringBuilder(schema.name()).append('|').append(schema.labelColumn()).append('|')
                .append(schema.favorableLabel());
        for (FeatureSpec f : schema.features()) {
            sb.append('|').append(f.name()).append(':').append(f.kind()).append(':').append(f.levels())
                    .append(':').append(f.range());
        }
        return sb.toString();
    }

    private static String codeSignature(Class<?> parser) {
        CRC32C c = new CRC32C();
        for (Class<?> k : new Class<?>[] {parser, LoaderSupport.class, Cells.class, TableBuilder.class,
                ParsedCache.class}) {
            String res = k.getName().substring(k.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = k.getResourceAsStream(res)) {
                if (in == null) {
                    return "unknown-" + System.nanoTime(); // never matches: no caching without the code's identity
                }
                byte[] b = in.readAllBytes();
                c.update(b, 0, b.length);
            } catch (IOException e) {
                return "unknown-" + System.nanoTime();
            }
        }
        return Long.toHexString(c.getValue());
    }

    /** {@return the cached table, or null when the entry is missing, for another key, or damaged} */
    static Table load(Path entry, FeatureSchema schema, long key) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(entry);
        } catch (IOException e) {
            return null;
        }
        if (bytes.length < HEADER + 8) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int payload = bytes.length - 8;
        CRC32C check = new CRC32C();
        check.update(bytes, 0, payload);
        if (bb.getLong(payload) != check.getValue() || bb.getLong(0) != MAGIC || bb.getLong(8) != key) {
            return null;
        }
        int rows = bb.getInt(16);
        int cols = bb.getInt(20);
        if (cols != schema.size() || rows < 0 || (long) HEADER + 4L * rows + 8L * rows * cols != payload) {
            return null;
        }
        bb.position(HEADER);
        int[] labels = new int[rows];
        bb.asIntBuffer().get(labels);
        bb.position(HEADER + 4 * rows);
        double[][] columns = new double[cols][rows];
        for (int c = 0; c < cols; c++) {
            bb.asDoubleBuffer().get(columns[c]);
            bb.position(bb.position() + 8 * rows);
        }
        try {
            return new Table(schema, columns, labels);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes the entry and removes this file's entries for other keys; failures are ignored. */
    static void store(Path dir, String prefix, Path entry, Table t, long key) {
        int rows = t.rows();
        int cols = t.schema().size();
        ByteBuffer bb = ByteBuffer.allocate(HEADER + 4 * rows + 8 * rows * cols + 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(MAGIC).putLong(key).putInt(rows).putInt(cols);
        bb.asIntBuffer().put(t.labels());
        bb.position(bb.position() + 4 * rows);
        for (int c = 0; c < cols; c++) {
            bb.asDoubleBuffer().put(t.column(c));
            bb.position(bb.position() + 8 * rows);
        }
        CRC32C check = new CRC32C();
        check.update(bb.array(), 0, bb.position());
        bb.putLong(check.getValue());
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, glob(prefix) + "*.bin")) {
                for (Path p : old) {
                    if (!p.equals(entry)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            AtomicFiles.write(entry, bb.array());
        } catch (IOException | RuntimeException e) {
            // Only a cache: the parsed table is returned whether or not it could be stored.
        }
    }

    private static String glob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}
