package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzing of the ONNX exporter's inputs through {@code cfq export} (issue 12): a mutated teacher
 * or quantized model file gives an ONNX file that parses (exit 0) or exit 2 with no file at all;
 * never exit 1, never a partial file, never a hang. Bounded tries for CI.
 */
class ExportFuzzTest {
    private static Path dir;
    private static String teacherText;
    private static String quantizedText;

    @BeforeContainer
    static void models() throws Exception {
        dir = Files.createTempDirectory("cfq-export-fuzz");
        TestModels m = TestModels.write(dir, 4);
        teacherText = Files.readString(m.teacher);
        quantizedText = Files.readString(m.quantized);
    }

    @AfterContainer
    static void clean() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String mutate(String s, long seed, int n) {
        return FuzzMutations.mutate(s, seed, n);
    }

    private static void exportGivesOnnxOrExit2(String modelText, long seed) throws Exception {
        Path in = dir.resolve("in-" + Long.toHexString(seed) + ".json");
        Path out = dir.resolve("out-" + Long.toHexString(seed) + ".onnx");
        Files.writeString(in, modelText);
        try {
            TestModels.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> TestModels.run("export",
                    "--model", in.toString(), "--format", "onnx", "--out", out.toString()));
            assertThat(r.exit()).as(r.err()).isIn(0, 2);
            if (r.exit() == 0) {
                assertThat(ModelProto.parseFrom(Files.readAllBytes(out)).getGraph().getNodeCount()).isPositive();
            } else {
                assertThat(out).as("no partial file").doesNotExist();
                assertThat(r.err()).startsWith("cfq: ").doesNotContain("\tat ");
            }
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Property(tries = 40)
    void export_mutatedTeacher_onnxOrExit2(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n)
            throws Exception {
        exportGivesOnnxOrExit2(mutate(teacherText, seed, n), seed);
    }

    @Property(tries = 40)
    void export_mutatedQuantizedModel_onnxOrExit2(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n)
            throws Exception {
        exportGivesOnnxOrExit2(mutate(quantizedText, seed, n), seed);
    }

    @Property(tries = 20)
    void export_randomBytes_exit2(@ForAll long seed, @ForAll @IntRange(max = 300) int length) throws Exception {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        exportGivesOnnxOrExit2(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1), seed);
    }
}
