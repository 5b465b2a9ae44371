package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.cfq.io.csv.TableBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParsedCacheTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("toy", List.of(
            FeatureSpec.integer("age", Actionability.FREE),
            FeatureSpec.categorical("color", List.of("red", "green", "blue"), Actionability.FREE),
            FeatureSpec.continuous("amount", Actionability.FREE)), "y", "yes");

    @TempDir
    Path tmp;

    /** A "parser" of lines "age,color,amount,label" that counts its calls. */
    private static Function<Path, Table> parser(AtomicInteger calls) {
        return file -> {
            calls.incrementAndGet();
            TableBuilder b = new TableBuilder(SCHEMA);
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] c = line.split(",");
                    b.add(new double[] {Double.parseDouble(c[0]), SCHEMA.feature(1).levelIndex(c[1]),
                        Double.parseDouble(c[2])}, c[3].equals("yes") ? 1 : 0);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return b.build();
        };
    }

    private static void assertSameTable(Table a, Table b) {
        assertThat(a.rows()).isEqualTo(b.rows());
        assertThat(a.labels()).isEqualTo(b.labels());
        for (int c = 0; c < SCHEMA.size(); c++) {
            assertThat(a.column(c)).isEqualTo(b.column(c));
        }
    }

    @Test
    void secondRead_comesFromTheCache_withTheSameValues() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Files.writeString(data, "39,red,0.1,yes\n50,blue,1e-300,no\n-3,green,2174.5,no\n");
        Path cache = tmp.resolve("cache");
        AtomicInteger calls = new AtomicInteger();

        Table first = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        Table second = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));

        assertThat(calls).hasValue(1);
        assertThat(second.schema()).isSameAs(SCHEMA);
        assertSameTable(second, first);
        assertThat(second.value(1, 2)).isEqualTo(1e-300);
        assertThat(second.value(2, 0)).isEqualTo(-3.0);
    }

    @Test
    void changedBytes_areParsedAgain_andReplaceTheOldEntry() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Path cache = tmp.resolve("cache");
        AtomicInteger calls = new AtomicInteger();
        Files.writeString(data, "39,red,0.1,yes\n");
        ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        Files.writeString(data, "40,red,0.1,yes\n");

        Table t = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));

        assertThat(calls).hasValue(2);
        assertThat(t.value(0, 0)).isEqualTo(40.0);
        try (var entries = Files.list(cache)) {
            assertThat(entries.filter(p -> p.getFileName().toString().endsWith(".bin")).count()).isEqualTo(1);
        }
    }

    @Test
    void anotherSchemaOrParser_isAnotherEntry() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Files.writeString(data, "39,red,0.1,yes\n");
        byte[] bytes = Files.readAllBytes(data);
        FeatureSchema other = SCHEMA.withActionability(Map.of("age", Actionability.FREE));
        FeatureSchema renamed = new FeatureSchema("toy", List.of(FeatureSpec.integer("age", Actionability.FREE),
                FeatureSpec.categorical("color", List.of("red", "green", "teal"), Actionability.FREE),
                FeatureSpec.continuous("amount", Actionability.FREE)), "y", "yes");

        long key = ParsedCache.key(bytes, SCHEMA, ParsedCacheTest.class);

        assertThat(ParsedCache.key(bytes, other, ParsedCacheTest.class)).isEqualTo(key);
        assertThat(ParsedCache.key(bytes, renamed, ParsedCacheTest.class)).isNotEqualTo(key);
        assertThat(ParsedCache.key(bytes, SCHEMA, AdultLoader.class)).isNotEqualTo(key);
        assertThat(ParsedCache.key("40,red,0.1,yes\n".getBytes(), SCHEMA, ParsedCacheTest.class)).isNotEqualTo(key);
    }

    @Test
    void damagedEntry_isIgnoredAndRewritten() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Files.writeString(data, "39,red,0.1,yes\n50,blue,7,no\n");
        Path cache = tmp.resolve("cache");
        AtomicInteger calls = new AtomicInteger();
        Table first = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        Path entry;
        try (var entries = Files.list(cache)) {
            entry = entries.findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(entry);
        b[b.length - 20] ^= 1;
        Files.write(entry, b);

        Table again = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        Table third = ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));

        assertThat(calls).hasValue(2);
        assertSameTable(again, first);
        assertSameTable(third, first);
    }

    @Test
    void parseErrors_areNotCached() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Files.writeString(data, "39,red,not-a-number,yes\n");
        Path cache = tmp.resolve("cache");
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            try {
                ParsedCache.read(cache, data, SCHEMA, ParsedCacheTest.class, parser(calls));
            } catch (NumberFormatException expected) {
                // the parser's error reaches the caller each time
            }
        }
        assertThat(calls).hasValue(2);
        assertThat(Files.exists(cache)).isFalse();
    }

    @Test
    void off_parsesEveryTime() throws IOException {
        Path data = tmp.resolve("toy.csv");
        Files.writeString(data, "39,red,0.1,yes\n");
        AtomicInteger calls = new AtomicInteger();
        ParsedCache.read(null, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        ParsedCache.read(null, data, SCHEMA, ParsedCacheTest.class, parser(calls));
        assertThat(calls).hasValue(2);
    }

    @Test
    void directory_fromPropertyEnvXdgOrHome() {
        Properties props = new Properties();
        props.setProperty("user.home", "/home/u");
        assertThat(ParsedCache.directory(Map.of(), props)).isEqualTo(Path.of("/home/u/.cache/cfq/parsed"));
        assertThat(ParsedCache.directory(Map.of("XDG_CACHE_HOME", "/x"), props)).isEqualTo(Path.of("/x/cfq/parsed"));
        assertThat(ParsedCache.directory(Map.of("CFQ_CACHE_DIR", "/c"), props)).isEqualTo(Path.of("/c/parsed"));
        assertThat(ParsedCache.directory(Map.of("CFQ_CACHE_DIR", "off"), props)).isNull();
        props.setProperty("cfq.cache.dir", "0");
        assertThat(ParsedCache.directory(Map.of("CFQ_CACHE_DIR", "/c"), props)).isNull();
    }
}
