package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderSupportTest {
    @Test
    void forEachLine_blankLinesIncluded_namesFileAndLineNumber(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.data");
        Files.writeString(f, "a\n\nb\n");
        List<String> seen = new ArrayList<>();
        LoaderSupport.forEachLine(f, (line, at) -> seen.add(at + "=" + line));
        assertThat(seen).containsExactly("x.data line 1=a", "x.data line 2=", "x.data line 3=b");
    }

    @Test
    void forEachLine_missingFile_failsNamingFile(@TempDir Path dir) {
        Path f = dir.resolve("gone.data");
        assertThatThrownBy(() -> LoaderSupport.forEachLine(f, (line, at) -> { }))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("gone.data")
                .hasMessageContaining("cannot be read").hasMessageContaining("download it again");
    }

    @Test
    void parseFeatures_levelAndNumber_givesLevelIndexAndValue() {
        FeatureSchema s = new FeatureSchema("t", List.of(FeatureSpec.integer("age", Actionability.FREE),
                FeatureSpec.categorical("job", List.of("a", "b", "c"), Actionability.FREE)), "y", "1");
        double[] row = new double[2];
        LoaderSupport.parseFeatures(s, new String[] {"42", "c", "ignored"}, row, "t line 1");
        assertThat(row).containsExactly(42, 2);
        assertThatThrownBy(() -> LoaderSupport.parseFeatures(s, new String[] {"42", "z"}, row, "t line 2"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("t line 2, column 'job'");
    }

    @Test
    void label_favorableUnfavorableOther_givesOneZeroOrTheCallersError() {
        assertThat(LoaderSupport.label("good", "good", "bad", () -> new InvalidInputException("w", "p", "f"))).isEqualTo(1);
        assertThat(LoaderSupport.label("bad", "good", "bad", () -> new InvalidInputException("w", "p", "f"))).isEqualTo(0);
        assertThatThrownBy(() -> LoaderSupport.label("meh", "good", "bad",
                () -> new InvalidInputException("f line 3, column 'y'", "unknown label 'meh'", "Fix it")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("f line 3, column 'y'")
                .hasMessageContaining("unknown label 'meh'");
    }

    @Test
    void checkFieldCount_otherCount_failsNamingBothCounts() {
        LoaderSupport.checkFieldCount(3, 3, "fields", "f line 1", "fix");
        assertThatThrownBy(() -> LoaderSupport.checkFieldCount(2, 3, "comma-separated fields", "f line 1", "Fix it"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("f line 1: expected 3 comma-separated fields, found 2. Fix it");
    }

    @Test
    void checkRowCount_otherCount_failsNamingCanonicalFile() {
        Path f = Path.of("g.data");
        URI uri = URI.create("https://example.org/g.data");
        LoaderSupport.checkRowCount(f, 10, 10, "rows", uri);
        assertThatThrownBy(() -> LoaderSupport.checkRowCount(f, 9, 10, "rows", uri))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("g.data: holds 9 rows, expected 10. Replace it with the canonical file from " + uri);
    }
}
