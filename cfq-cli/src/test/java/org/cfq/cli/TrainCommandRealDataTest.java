package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Trains the default teachers on the real datasets. Skipped unless {@code CFQ_DATA_DIR}
 * points at the dataset files. The thresholds are sanity floors well below the measured
 * accuracies (German ~0.74-0.78, COMPAS ~0.66, Adult ~0.856 with seed 0), so they catch a
 * broken trainer or encoder, not a small regression; Adult (~7 s on 2 cores) is included
 * because it stays well under the 30 s budget.
 */
class TrainCommandRealDataTest {
    @TempDir
    Path dir;

    private String dataDir;

    @BeforeEach
    void needData() {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR is not set to an existing directory: skipping the "
                + "real-data training tests (set it to the datasets directory)");
        dataDir = dir.get().toString();
    }

    private JsonNode train(String dataset) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = CfqCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Path file = dir.resolve(dataset + ".json");
        int code = cl.execute("train", "--dataset", dataset, "--data-dir", dataDir, "--seed", "0",
                "--out", file.toString(), "--json");
        assertThat(code).as(err.toString()).isZero();
        assertThat(ModelFile.read(file).schema().name()).isEqualTo(dataset);
        return Json.mapper().readTree(out.toString());
    }

    @Test
    void train_germanDefaultSeed0_isSane() throws Exception {
        JsonNode o = train("german");
        assertThat(o.get("test_rows").asInt()).isEqualTo(300);
        assertThat(o.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.70);
    }

    @Test
    void train_compasDefaultSeed0_isSane() throws Exception {
        JsonNode o = train("compas");
        assertThat(o.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.64);
    }

    @Test
    void train_adultDefaultSeed0_meetsBar() throws Exception {
        JsonNode o = train("adult");
        assertThat(o.get("test_rows").asInt()).isEqualTo(16281);
        assertThat(o.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
    }
}
