package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = CfqCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void train_syntheticJson_printsOneObjectAndWritesLoadableModel() throws Exception {
        Path file = dir.resolve("teacher.json");
        int code = run("train", "--dataset", "synthetic", "--epochs", "3", "--hidden", "16,8", "--seed", "5",
                "--out", file.toString(), "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode o = Json.mapper().readTree(out.toString());
        assertThat(o.get("dataset").asText()).isEqualTo("synthetic");
        assertThat(o.get("model").asText()).isEqualTo("mlp");
        assertThat(o.get("seed").asLong()).isEqualTo(5);
        assertThat(o.get("epochs").asInt()).isBetween(1, 3);
        assertThat(o.get("train_rows").asInt()).isPositive();
        assertThat(o.get("test_rows").asInt()).isPositive();
        assertThat(o.get("test_accuracy").asDouble()).isBetween(0.5, 1.0);
        assertThat(o.get("validation_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(o.get("seconds").asDouble()).isPositive();
        assertThat(o.get("seconds_per_epoch").asDouble()).isPositive();
        assertThat(o.get("out").asText()).isEqualTo(file.toString());
        // progress goes to stderr, one line per epoch
        assertThat(err.toString()).contains("epoch  1/3");

        SavedModel m = ModelFile.read(file);
        assertThat(m.model().hiddenSizes()).containsExactly(16, 8);
        assertThat(m.training().seed()).isEqualTo(5);
        assertThat(m.provenance().datasetFingerprint()).isEqualTo(o.get("dataset_fingerprint").asText());
    }

    @Test
    void train_logistic_writesLogisticModelAndTextSummary() throws Exception {
        Path file = dir.resolve("lr.json");
        int code = run("train", "--dataset", "synthetic", "--model", "logistic", "--epochs", "2",
                "--out", file.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("synthetic logistic: test accuracy").contains(file.toString());
        assertThat(ModelFile.read(file).kind()).isEqualTo("logistic");
    }

    @Test
    void train_logisticWithHidden_exitsTwoNamingOption() {
        int code = run("train", "--dataset", "synthetic", "--model", "logistic", "--hidden", "8",
                "--out", dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--hidden [8]").contains("logistic regression has no hidden layers");
    }

    @Test
    void train_zeroEpochs_exitsTwo() {
        int code = run("train", "--dataset", "synthetic", "--epochs", "0", "--out", dir.resolve("x.json").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--epochs 0");
    }
}
