package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cfq.io.datasets.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode dataset(JsonNode root, String name) {
        for (JsonNode n : root.get("datasets")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no dataset " + name + " in " + root);
    }

    @Test
    void datasets_json_printsOneObjectWithSyntheticSplit(@TempDir Path empty) throws Exception {
        Run r = run("datasets", "--json", "--data-dir", empty.toString());
        assertThat(r.exit()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.isObject()).isTrue();
        assertThat(root.get("data_directories").get(0).asText()).isEqualTo(empty.toAbsolutePath().toString());
        JsonNode s = dataset(root, "synthetic");
        assertThat(s.get("available").asBoolean()).isTrue();
        assertThat(s.get("rows").get("train").asInt() + s.get("rows").get("validation").asInt()
                + s.get("rows").get("test").asInt()).isEqualTo(4000);
        assertThat(s.get("features").asInt()).isEqualTo(7);
        assertThat(s.get("model_space_width").asInt()).isEqualTo(10);
        assertThat(root.get("datasets")).hasSize(7);
        JsonNode credit = dataset(root, "default");
        assertThat(credit.get("available").asBoolean()).isFalse();
        assertThat(credit.get("reason").asText()).contains("default of credit card clients.xls")
                .contains("downloads are off");
    }

    @Test
    void datasets_json_everyKeyIsSnakeCase(@TempDir Path empty) throws Exception {
        Run r = run("datasets", "--json", "--data-dir", empty.toString());
        List<String> keys = new ArrayList<>();
        collectKeys(new ObjectMapper().readTree(r.out()), keys);
        assertThat(keys).contains("data_directories", "model_space_width", "favorable_rate")
                .allMatch(k -> k.matches("[a-z0-9_]+"), "snake_case");
    }

    private static void collectKeys(JsonNode n, List<String> keys) {
        n.fieldNames().forEachRemaining(keys::add);
        for (JsonNode child : n) {
            collectKeys(child, keys);
        }
    }

    @Test
    void datasets_filesAbsent_reportsWhereItLookedWithoutDownloading(@TempDir Path empty) throws Exception {
        Run r = run("datasets", "--json", "--data-dir", empty.toString());
        JsonNode adult = dataset(new ObjectMapper().readTree(r.out()), "adult");
        if (DataDirectory.fromEnv().isPresent()) {
            // CFQ_DATA_DIR is the second candidate: the files are found there.
            assertThat(adult.get("available").asBoolean()).isTrue();
            assertThat(adult.get("rows").get("test").asInt()).isEqualTo(16_281);
            assertThat(adult.get("model_space_width").asInt()).isEqualTo(90);
        } else {
            assertThat(adult.get("available").asBoolean()).isFalse();
            assertThat(adult.get("reason").asText()).contains("adult.data").contains(empty.toString())
                    .contains("downloads are off").contains("--data-dir");
        }
    }

    @Test
    void datasets_text_printsATableRow() {
        Run r = run("datasets");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("dataset").contains("synthetic").contains("generated (rows=4000, seed=0)");
    }
}
