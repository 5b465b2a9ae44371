package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.ModelOrigin;
import org.cfq.io.model.SavedModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two Adult MLPs PyTorch exported ({@code ../shared/fixtures/onnx}, see its README),
 * imported from the command line: they must reproduce PyTorch's own outputs on the first 500
 * rows of adult.test, then quantize to 4 bits with CFQ, find recourse and pass the audit.
 * Skipped unless the fixtures directory and {@code CFQ_DATA_DIR} (for adult.test) exist.
 */
class ImportCommandFixturesTest {
    /** Where the fixtures are: $CFQ_FIXTURES_DIR, else ../shared/fixtures from the repository root. */
    static Path fixtures() {
        String env = System.getenv("CFQ_FIXTURES_DIR");
        Path base = env != null && !env.isBlank() ? Path.of(env) : findUp(Path.of("").toAbsolutePath());
        return base == null ? null : base.resolve("onnx");
    }

    private static Path findUp(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            Path c = p.resolve("../shared/fixtures").normalize();
            if (Files.isDirectory(c.resolve("onnx"))) {
                return c;
            }
        }
        return null;
    }

    @TempDir
    static Path dir;

    static Path onnxDir;
    static String dataDir;
    static Dataset adult;
    static float[][] expected;

    @BeforeAll
    static void needFixturesAndData() throws Exception {
        onnxDir = fixtures();
        Assumptions.assumeTrue(onnxDir != null && Files.isRegularFile(onnxDir.resolve("adult-input-layout.json")),
                "../shared/fixtures/onnx is absent (set CFQ_FIXTURES_DIR): skipping the PyTorch ONNX import tests");
        var data = DataDirectory.fromEnv();
        Assumptions.assumeTrue(data.isPresent(), "CFQ_DATA_DIR is not set to an existing directory: skipping the "
                + "PyTorch ONNX import tests, which score adult.test");
        dataDir = data.get().toString();
        adult = DatasetRegistry.builtIn().load("adult", ActionPreset.PAPER, DataDirectory.resolve(data.get()),
                Downloader.standard(), false);
        List<String> lines = Files.readAllLines(onnxDir.resolve("adult-expected-first500.csv"));
        assertThat(lines.get(0)).isEqualTo("test_row,logit0,logit1,probability");
        expected = new float[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            assertThat(Integer.parseInt(c[0])).isEqualTo(i - 1);
            expected[i - 1] = new float[] {Float.parseFloat(c[1]), Float.parseFloat(c[2]), Float.parseFloat(c[3])};
        }
        assertThat(expected).hasNumberOfRows(500);
    }

    private static JsonNode importModel(String onnx, Path out, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("import", "--onnx", onnxDir.resolve(onnx).toString(),
                "--layout", onnxDir.resolve("adult-input-layout.json").toString(), "--dataset", "adult",
                "--data-dir", dataDir, "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        TestModels.Run r = TestModels.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.mapper().readTree(r.out());
    }

    private static float[] first500Logits(SavedModel m) {
        Table first = adult.test().select(java.util.stream.IntStream.range(0, 500).toArray());
        float[] logits = new float[500 * 2];
        m.model().logits(m.encoder().encode(first), 500, logits);
        return logits;
    }

    @Test
    void import_twoLogitModel_reproducesPytorchLogitsOn500Rows() throws Exception {
        Path out = dir.resolve("two.json");
        JsonNode o = importModel("adult-mlp-two-logits.onnx", out, "--favorable-index", "1");
        assertThat(o.get("producer_name").asText()).isEqualTo("pytorch");
        assertThat(o.get("opset").asInt()).isEqualTo(13);
        assertThat(o.get("decisions_agree").asBoolean()).isTrue();
        // the layout file records PyTorch's own test accuracy for this model
        assertThat(o.get("test_accuracy").asDouble()).isCloseTo(0.856704133652724, org.assertj.core.data.Offset.offset(1e-9));

        SavedModel m = ModelFile.read(out);
        assertThat(m.origin()).isInstanceOf(ModelOrigin.Imported.class);
        var src = ((ModelOrigin.Imported) m.origin()).source();
        assertThat(src.sha256()).isEqualTo(sha256(onnxDir.resolve("adult-mlp-two-logits.onnx")));
        assertThat(src.producerName()).isEqualTo("pytorch");
        assertThat(src.producerVersion()).isEqualTo("1.13.0");

        float[] l = first500Logits(m);
        for (int r = 0; r < 500; r++) {
            assertThat(l[2 * r]).as("row %d logit0", r).isCloseTo(expected[r][0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(l[2 * r + 1]).as("row %d logit1", r).isCloseTo(expected[r][1], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(l[2 * r + 1] - l[2 * r] > 0).as("row %d decision", r).isEqualTo(expected[r][1] > expected[r][0]);
        }
    }

    @Test
    void import_sigmoidModel_reproducesPytorchProbabilityOn500Rows() throws Exception {
        Path out = dir.resolve("sig.json");
        JsonNode o = importModel("adult-mlp-sigmoid.onnx", out);
        assertThat(o.get("output").asText()).isEqualTo("1 probability (sigmoid)");
        assertThat(o.get("test_accuracy").asDouble()).isCloseTo(0.8565812910754868, org.assertj.core.data.Offset.offset(1e-9));

        SavedModel m = ModelFile.read(out);
        float[] l = first500Logits(m);
        for (int r = 0; r < 500; r++) {
            // the margin is the logit before PyTorch's sigmoid; logit0 is exactly 0
            assertThat(l[2 * r]).isZero();
            double p = 1 / (1 + Math.exp(-l[2 * r + 1]));
            assertThat(p).as("row %d probability", r).isCloseTo(expected[r][2], org.assertj.core.data.Offset.offset(1e-5));
            assertThat(l[2 * r + 1] > 0).as("row %d decision", r).isEqualTo(expected[r][2] > 0.5f);
        }
    }

    @Test
    void importedModels_quantizeCfq4AndAudit_endToEnd() throws Exception {
        for (String name : List.of("adult-mlp-two-logits.onnx", "adult-mlp-sigmoid.onnx")) {
            Path teacher = dir.resolve("e2e-" + name + ".json");
            if (name.contains("two")) {
                importModel(name, teacher, "--favorable-index", "1");
            } else {
                importModel(name, teacher);
            }
            Path student = dir.resolve("e2e-" + name + "-cfq4.json");
            TestModels.Run q = TestModels.run("quantize", "--model", teacher.toString(), "--dataset", "adult",
                    "--data-dir", dataDir, "--method", "cfq", "--bits", "4", "--epochs", "2", "--seed", "1",
                    "--out", student.toString(), "--json");
            assertThat(q.exit()).as(q.err()).isZero();
            JsonNode qo = Json.mapper().readTree(q.out());
            assertThat(qo.get("average_bits").asDouble()).isLessThanOrEqualTo(4.0);
            assertThat(qo.get("test_accuracy").asDouble()).as(name).isGreaterThan(0.80);

            TestModels.Run rc = TestModels.run("recourse", "--model", teacher.toString(), "--dataset", "adult",
                    "--data-dir", dataDir, "--limit", "20", "--json");
            assertThat(rc.exit()).as(rc.err()).isZero();
            JsonNode ro = Json.mapper().readTree(rc.out());
            assertThat(ro.toString()).contains("found");

            TestModels.Run a = TestModels.run("audit", "--teacher", teacher.toString(), "--student", student.toString(),
                    "--dataset", "adult", "--data-dir", dataDir, "--max-factuals", "40", "--json");
            assertThat(a.exit()).as(a.err()).isZero();
            JsonNode ao = Json.mapper().readTree(a.out());
            assertThat(ao.get("teacher_accuracy").asDouble()).isGreaterThan(0.85);
            assertThat(ao.get("teacher_found").asInt()).isPositive();
            assertThat(ao.get("vd").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void import_layoutWidthDiffersFromModel_exits2NamingBoth() throws Exception {
        String layout = Files.readString(onnxDir.resolve("adult-input-layout.json"));
        JsonNode tree = Json.mapper().readTree(layout);
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("inputs")).remove(0);
        Path shortLayout = dir.resolve("short-layout.json");
        Files.writeString(shortLayout, tree.toString());
        TestModels.Run r = TestModels.run("import", "--onnx", onnxDir.resolve("adult-mlp-sigmoid.onnx").toString(),
                "--layout", shortLayout.toString(), "--dataset", "adult", "--data-dir", dataDir,
                "--out", dir.resolve("bad.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("short-layout.json").contains("90 inputs").contains("takes 91");
    }

    @Test
    void import_twoOutputsWithoutFavorableIndex_exits2() {
        TestModels.Run r = TestModels.run("import", "--onnx", onnxDir.resolve("adult-mlp-two-logits.onnx").toString(),
                "--layout", onnxDir.resolve("adult-input-layout.json").toString(), "--dataset", "adult",
                "--data-dir", dataDir, "--out", dir.resolve("bad2.json").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--favorable-index");
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
