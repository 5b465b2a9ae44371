package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.io.schema.SchemaFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {
    @TempDir
    Path dir;

    @Test
    void infer_csv_printsSchemaOnStdoutNotesOnStderr_andTrainsWithIt() throws Exception {
        StringBuilder sb = new StringBuilder("age,income,housing,approved\n");
        for (int i = 0; i < 60; i++) {
            sb.append(20 + i).append(',').append(1000 + 37 * i).append(".5,").append(i % 3 == 0 ? "rent" : "own")
                    .append(',').append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        Path csv = dir.resolve("loans.csv");
        Files.writeString(csv, sb.toString());
        TestModels.Run r = TestModels.run("schema", "infer", "--csv", csv.toString(), "--label", "approved",
                "--favorable", "yes", "--actionability", "free");
        assertThat(r.exit()).as(r.err()).isZero();
        FeatureSchema s = SchemaFiles.fromJson(r.out(), "stdout");
        assertThat(s.name()).isEqualTo("loans");
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.features()).allMatch(f -> f.actionability() == Actionability.FREE);
        assertThat(r.err()).contains("review before use").contains("never guessed");

        Path schema = dir.resolve("loans.schema.json");
        Files.writeString(schema, r.out());
        TestModels.Run t = TestModels.run("train", "--csv", csv.toString(), "--schema", schema.toString(),
                "--model", "logistic", "--epochs", "2", "--out", dir.resolve("m.json").toString(), "--json");
        assertThat(t.exit()).as(t.err()).isZero();
    }

    @Test
    void infer_withoutActionabilityFlag_exits2() throws Exception {
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "x,y\n1,a\n2,b\n");
        TestModels.Run r = TestModels.run("schema", "infer", "--csv", csv.toString(), "--label", "y", "--favorable", "a");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--actionability");
    }
}
