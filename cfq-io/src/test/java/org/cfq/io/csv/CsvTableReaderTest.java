package org.cfq.io.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableReaderTest {
    private static final FeatureSchema SCHEMA = new FeatureSchema("loans", List.of(
            FeatureSpec.integer("age", Actionability.IMMUTABLE),
            FeatureSpec.continuous("income", Actionability.FREE),
            FeatureSpec.categorical("housing", List.of("rent", "own"), Actionability.FREE)), "approved", "yes");

    private static final String HEADER = "age,income,housing,approved\n";

    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        Path f = dir.resolve("loans.csv");
        Files.writeString(f, content);
        return f;
    }

    private AbstractThrowableAssert<?, ? extends Throwable> failsOn(String content) throws IOException {
        Path f = write(content);
        var a = assertThatThrownBy(() -> CsvTableReader.read(f, SCHEMA)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("loans.csv");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing written").containsExactly(f);
        }
        return a;
    }

    @Test
    void read_validFile_parsesValuesLevelsAndLabels() throws IOException {
        Table t = CsvTableReader.read(write(HEADER + "30,1.5,own,yes\n41, 2 ,rent,no\n"), SCHEMA);
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.column(0)).containsExactly(30, 41);
        assertThat(t.column(1)).containsExactly(1.5, 2.0);
        assertThat(t.column(2)).containsExactly(1, 0);
        assertThat(t.labels()).containsExactly(1, 0);
    }

    @Test
    void read_extraAndReorderedColumns_findsColumnsByName() throws IOException {
        Table t = CsvTableReader.read(write("id,approved,housing,income,age\n7,no,rent,3,50\n8,yes,own,4,51\n"), SCHEMA);
        assertThat(t.value(0, 0)).isEqualTo(50);
        assertThat(t.value(0, 1)).isEqualTo(3);
        assertThat(t.label(0)).isZero();
    }

    @Test
    void read_missingFile_failsNamingFileAndOption() {
        assertThatThrownBy(() -> CsvTableReader.read(dir.resolve("none.csv"), SCHEMA))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("none.csv")
                .hasMessageContaining("file not found").hasMessageContaining("--csv");
    }

    @Test
    void read_wrongColumnCount_failsNamingLineAndCounts() throws IOException {
        failsOn(HEADER + "30,1.5,own,yes\n31,2.5,own\n").hasMessageContaining("line 3")
                .hasMessageContaining("expected 4 fields").hasMessageContaining("found 3")
                .hasMessageContaining("one value per header column");
    }

    @Test
    void read_nonNumericValue_failsNamingLineColumnAndFix() throws IOException {
        failsOn(HEADER + "30,abc,own,yes\n").hasMessageContaining("line 2, column 'income'")
                .hasMessageContaining("expected a number, found 'abc'")
                .hasMessageContaining("declare 'income' categorical");
    }

    @Test
    void read_badLastLineWithoutNewline_namesItsLine() throws IOException {
        failsOn(HEADER + "30,1,own,yes\n\n31,x,own,yes").hasMessageContaining("line 4, column 'income'");
    }

    @Test
    void read_nan_failsNamingColumn() throws IOException {
        failsOn(HEADER + "30,NaN,own,yes\n").hasMessageContaining("line 2, column 'income'")
                .hasMessageContaining("NaN and infinite values are not allowed").hasMessageContaining("finite number");
    }

    @Test
    void read_infinity_failsNamingColumn() throws IOException {
        failsOn(HEADER + "30,1,own,yes\n30,-Infinity,own,yes\n").hasMessageContaining("line 3, column 'income'")
                .hasMessageContaining("'-Infinity'");
    }

    @Test
    void read_fractionalInteger_failsNamingFeature() throws IOException {
        failsOn(HEADER + "30.5,1,own,yes\n").hasMessageContaining("column 'age'").hasMessageContaining("30.5")
                .hasMessageContaining("continuous");
    }

    @Test
    void read_unknownLevel_failsListingLevels() throws IOException {
        failsOn(HEADER + "30,1,castle,yes\n").hasMessageContaining("line 2, column 'housing'")
                .hasMessageContaining("unknown level 'castle'").hasMessageContaining("[rent, own]")
                .hasMessageContaining("add 'castle'");
    }

    @Test
    void read_thirdLabelValue_failsNamingKnownLabels() throws IOException {
        failsOn(HEADER + "30,1,own,yes\n31,1,own,no\n32,1,own,maybe\n").hasMessageContaining("line 4, column 'approved'")
                .hasMessageContaining("a third label value 'maybe'").hasMessageContaining("favorable 'yes' and 'no'");
    }

    @Test
    void read_favorableLabelNeverPresent_blamesTheSchemaNotARow() throws IOException {
        // Before: the first other value became class 0 and the second was blamed as a "third" value.
        failsOn(HEADER + "30,1,own,Yes\n31,1,own,no\n32,1,own,Yes\n")
                .hasMessageContaining("favorable label 'yes' never occurs").hasMessageContaining("{Yes=2, no=1}")
                .hasMessageContaining("favorableLabel").satisfies(e -> assertThat(e.getMessage()).doesNotContain("line"));
    }

    @Test
    void read_oneLabelValue_failsAskingForBothOutcomes() throws IOException {
        failsOn(HEADER + "30,1,own,yes\n31,1,own,yes\n").hasMessageContaining("every row has the favorable label")
                .hasMessageContaining("both outcomes");
    }

    @Test
    void read_utf8ByteOrderMark_isSkipped() throws IOException {
        Table t = CsvTableReader.read(write("\uFEFF" + HEADER + "30,1.5,own,yes\n41,2,rent,no\n"), SCHEMA);
        assertThat(t.column(0)).containsExactly(30, 41);
    }

    @Test
    void read_duplicateHeaderOfUsedColumn_failsNamingBothPositions() throws IOException {
        failsOn("age,income,housing,income,approved\n30,1,own,2,yes\n").hasMessageContaining("line 1 (header)")
                .hasMessageContaining("column 'income' appears twice (columns 2 and 4)");
    }

    @Test
    void read_duplicateHeaderOfUnusedColumn_isAllowed() throws IOException {
        Table t = CsvTableReader.read(write("id,id,age,income,housing,approved\n1,2,30,1,own,yes\n3,4,31,1,own,no\n"),
                SCHEMA);
        assertThat(t.rows()).isEqualTo(2);
    }

    @Test
    void read_valueOutsideDeclaredRange_failsNamingRowColumnAndRange() throws IOException {
        FeatureSchema ranged = new FeatureSchema("loans", List.of(
                FeatureSpec.integer("age", Actionability.IMMUTABLE).withRange(new org.cfq.data.Range(18, 90)),
                FeatureSpec.continuous("income", Actionability.FREE),
                FeatureSpec.categorical("housing", List.of("rent", "own"), Actionability.FREE)), "approved", "yes");
        Path f = write(HEADER + "30,1,own,yes\n150,1,own,no\n");
        assertThatThrownBy(() -> CsvTableReader.read(f, ranged)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("loans.csv line 3, column 'age'")
                .hasMessageContaining("value 150 is outside the range [18, 90]")
                .hasMessageContaining("widen");
        assertThat(CsvTableReader.read(write(HEADER + "18,1,own,yes\n90,1,own,no\n"), ranged).rows()).isEqualTo(2);
    }

    @Test
    void read_missingLabelColumn_failsListingHeader() throws IOException {
        failsOn("age,income,housing\n30,1,own\n").hasMessageContaining("line 1 (header)")
                .hasMessageContaining("no column 'approved'").hasMessageContaining("labelColumn");
    }

    @Test
    void read_missingFeatureColumn_failsNamingFeature() throws IOException {
        failsOn("age,housing,approved\n30,own,yes\n").hasMessageContaining("no column 'income'")
                .hasMessageContaining("remove feature 'income'");
    }

    @Test
    void read_emptyOrQuestionMarkCell_failsAsMissingValue() throws IOException {
        failsOn(HEADER + "30,,own,yes\n").hasMessageContaining("column 'income'").hasMessageContaining("missing value")
                .hasMessageContaining("does not impute");
        failsOn(HEADER + "30,1,?,yes\n").hasMessageContaining("column 'housing'").hasMessageContaining("missing value")
                .hasMessageContaining("'unknown'");
    }

    @Test
    void read_headerOnly_failsAskingForRows() throws IOException {
        failsOn(HEADER).hasMessageContaining("no data rows");
    }
}
