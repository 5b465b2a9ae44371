package org.cfq.io.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;
import org.cfq.io.csv.CsvTableReader;
import org.cfq.io.schema.SchemaFiles;

/**
 * Fuzzing of every reader of user files (issue 12): random and mutated inputs give a result or
 * an {@link InvalidInputException} (exit 2 in the CLI), never another exception, and never hang.
 * The number of tries is bounded so the suite runs in seconds in CI; each property's seed is
 * printed by jqwik when it fails, to reproduce it.
 */
class ReadersFuzzTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    static final FeatureSchema SCHEMA = new FeatureSchema("loans", List.of(
            FeatureSpec.integer("age", Actionability.IMMUTABLE).withRange(new Range(18, 90)),
            FeatureSpec.continuous("income", Actionability.FREE),
            FeatureSpec.categorical("housing", List.of("rent", "own"), Actionability.FREE),
            FeatureSpec.ordinal("edu", List.of("low", "high"), Actionability.INCREASE_ONLY),
            FeatureSpec.binary("phone", List.of("no", "yes"), Actionability.DECREASE_ONLY)), "approved", "yes");

    private static final String CSV;

    static {
        StringBuilder sb = new StringBuilder("age,income,housing,edu,phone,approved\n");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 24; i++) {
            sb.append(18 + r.nextInt(70)).append(',').append(r.nextInt(100000) / 7.0).append(',')
                    .append(r.nextBoolean() ? "rent" : "own").append(',').append(r.nextBoolean() ? "low" : "high")
                    .append(',').append(r.nextBoolean() ? "no" : "yes").append(',').append(i % 2 == 0 ? "yes" : "no")
                    .append('\n');
        }
        CSV = sb.toString();
    }

    /** Pieces a mutation inserts: numbers at the edges, JSON and CSV syntax, odd characters. */
    private static final String[] TOKENS = {"-1", "0", "1e308", "-1e308", "NaN", "Infinity", "2147483648", "1e-320",
        "9999999999999999999999", "null", "true", "\"\"", "[]", "{}", "[", "]", "{", "}", ",", ":", "\"", "\n", "\r\n",
        "\uFEFF", "?", " ", "\u0000", "é", "\\u0000", "AAAA", "====", "-0", "0x10", "1.5"};

    /** Applies {@code n} seeded mutations: flip, delete, duplicate, insert a token, truncate. */
    static String mutate(String s, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(s);
        for (int k = 0; k < n && b.length() > 0; k++) {
            int at = r.nextInt(b.length());
            int len = 1 + r.nextInt(Math.min(40, b.length() - at));
            switch (r.nextInt(6)) {
                case 0 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                case 1 -> b.delete(at, at + len);
                case 2 -> b.insert(at, b.substring(at, at + len));
                case 3 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 4 -> b.setLength(at);
                default -> {
                    // Replace the number under the cursor, if any, with an edge value.
                    int end = at;
                    while (end < b.length() && "0123456789.-+eE".indexOf(b.charAt(end)) >= 0) {
                        end++;
                    }
                    b.replace(at, end, TOKENS[r.nextInt(9)]);
                }
            }
        }
        return b.toString();
    }

    private static String randomText(long seed, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(r.nextInt(4) == 0 ? TOKENS[r.nextInt(TOKENS.length)] : String.valueOf((char) (r.nextInt(128))));
        }
        return b.toString();
    }

    /** Runs a reader on input; anything but a result or an InvalidInputException fails the property. */
    private static void onlyResultOrInvalidInput(String input, ThrowingRunnable reader) {
        assertTimeoutPreemptively(NO_HANG, () -> {
            try {
                reader.run();
            } catch (InvalidInputException expected) {
                assertThat(expected.what()).isNotBlank();
                assertThat(expected.fix()).isNotBlank();
            } catch (Throwable other) {
                throw new AssertionError("input " + abbreviate(input) + " gave " + other, other);
            }
        });
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "... (" + s.length() + " chars)";
    }

    @Property(tries = 300)
    void csvReader_mutatedCsv_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int n)
            throws Exception {
        String text = mutate(CSV, seed, n);
        Path f = Files.createTempFile("fuzz", ".csv");
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8);
            onlyResultOrInvalidInput(text, () -> CsvTableReader.read(f, SCHEMA));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 100)
    void csvReader_randomBytes_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(max = 600) int length)
            throws Exception {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        Path f = Files.createTempFile("fuzz", ".csv");
        try {
            Files.write(f, bytes);
            onlyResultOrInvalidInput("(random bytes)", () -> CsvTableReader.read(f, SCHEMA));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 300)
    void schemaReader_mutatedSchema_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n) {
        String text = mutate(SchemaFiles.toJson(SCHEMA), seed, n);
        onlyResultOrInvalidInput(text, () -> SchemaFiles.fromJson(text, "s.json"));
    }

    @Property(tries = 100)
    void schemaReader_randomText_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(max = 400) int length) {
        String text = randomText(seed, length);
        onlyResultOrInvalidInput(text, () -> SchemaFiles.fromJson(text, "s.json"));
    }

    @Property(tries = 300)
    void modelFile_mutatedModel_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n) {
        String text = mutate(ModelFile.toJson(GoldenModel.build()), seed, n);
        onlyResultOrInvalidInput(text, () -> ModelFile.parse(text, "m.json"));
    }

    @Property(tries = 300)
    void quantizedModelFile_mutatedModel_resultOrInvalidInput(@ForAll long seed,
                                                               @ForAll @IntRange(min = 1, max = 6) int n) {
        String text = mutate(QuantizedModelFile.toJson(GoldenQuantizedModel.build()), seed, n);
        onlyResultOrInvalidInput(text, () -> QuantizedModelFile.parse(text, "q.json"));
    }

    @Property(tries = 100)
    void modelReaders_randomText_resultOrInvalidInput(@ForAll long seed, @ForAll @IntRange(max = 400) int length) {
        String text = randomText(seed, length);
        onlyResultOrInvalidInput(text, () -> ModelFile.parse(text, "m.json"));
        onlyResultOrInvalidInput(text, () -> QuantizedModelFile.parse(text, "q.json"));
    }
}
