package org.cfq.io.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.cfq.io.csv.CsvTableReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaInferenceTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path p = dir.resolve("loans.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void infer_mixedColumns_kindsLevelsRangesAndChosenActionability() throws Exception {
        Path f = csv("""
                age,income,housing,owner,approved
                30,1200.5,rent,yes,no
                45,3000,own,no,yes
                52,2500.25,other,yes,yes
                """);
        SchemaInference.Result r = SchemaInference.infer(f, "loans", "approved", "yes", Actionability.IMMUTABLE);
        FeatureSchema s = r.schema();
        assertThat(s.features()).extracting(x -> x.name()).containsExactly("age", "income", "housing", "owner");
        assertThat(s.feature(0).kind()).isEqualTo(FeatureKind.INTEGER);
        assertThat(s.feature(0).range()).isEqualTo(new Range(30, 52));
        assertThat(s.feature(1).kind()).isEqualTo(FeatureKind.CONTINUOUS);
        assertThat(s.feature(1).range()).isEqualTo(new Range(1200.5, 3000));
        assertThat(s.feature(2).kind()).isEqualTo(FeatureKind.CATEGORICAL);
        assertThat(s.feature(2).levels()).containsExactly("other", "own", "rent");
        assertThat(s.feature(3).kind()).isEqualTo(FeatureKind.BINARY);
        assertThat(s.features()).allMatch(x -> x.actionability() == Actionability.IMMUTABLE);
        assertThat(r.notes().get(0)).contains("every feature is immutable").contains("never guessed");
        assertThat(r.notes()).anyMatch(n -> n.contains("'housing'") && n.contains("ordinal"));
        // the inferred schema reads the same file
        Table t = CsvTableReader.read(f, SchemaFiles.fromJson(SchemaFiles.toJson(s), "inferred"));
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.labels()).containsExactly(0, 1, 1);
    }

    @Test
    void infer_missingCells_countedInNotesNotLevels() throws Exception {
        Path f = csv("""
                job,y
                a,1
                ?,0
                ,1
                b,0
                """);
        SchemaInference.Result r = SchemaInference.infer(f, "t", "y", "1", Actionability.FREE);
        assertThat(r.schema().feature(0).levels()).containsExactly("a", "b");
        assertThat(r.notes()).anyMatch(n -> n.contains("'job': 2 of 4 cells are missing") && n.contains("unknown"));
    }

    @Test
    void infer_labelWithThreeValuesOrWrongFavorable_failsNamingValues() throws Exception {
        Path f = csv("x,y\n1,a\n2,b\n3,c\n");
        assertThatThrownBy(() -> SchemaInference.infer(f, "t", "y", "a", Actionability.FREE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("column 'y'")
                .hasMessageContaining("[a, b, c]").hasMessageContaining("exactly two values");
        Path g = csv("x,y\n1,a\n2,b\n");
        assertThatThrownBy(() -> SchemaInference.infer(g, "t", "y", "z", Actionability.FREE))
                .hasMessageContaining("Give --favorable one of [a, b]");
        assertThatThrownBy(() -> SchemaInference.infer(g, "t", "label", "a", Actionability.FREE))
                .hasMessageContaining("--label label").hasMessageContaining("[x, y]");
    }

    @Test
    void infer_zeroOneColumn_suggestsBinary() throws Exception {
        Path f = csv("flag,y\n0,a\n1,b\n1,a\n");
        SchemaInference.Result r = SchemaInference.infer(f, "t", "y", "a", Actionability.FREE);
        assertThat(r.schema().feature(0).kind()).isEqualTo(FeatureKind.INTEGER);
        assertThat(r.notes()).anyMatch(n -> n.contains("'flag': only 0 and 1"));
        assertThat(List.copyOf(r.notes())).last().asString().contains("observed min and max of 3 rows");
    }
}
