package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cfq.experiment.QuantTable;
import org.junit.jupiter.api.Test;

class QuantTableMarkdownTest {
    private static QuantTable.Cell cell(long seed, String method, int bits, double teacher, double acc) {
        return new QuantTable.Cell("german", seed, method, bits, teacher, acc, 1.0, bits, "[4, 4, 4]", 0.1, 1.0);
    }

    @Test
    void check_dropOfExactlyTheBar_isMet() {
        // 300 test rows per seed; the student misses 3 more rows than the teacher under every seed:
        // (222 + 221 + 222 - 219 - 218 - 219) / 900 = 1.00 points exactly, which is within 1 point.
        List<QuantTable.Cell> cells = List.of(
                cell(42, "lsq", 4, 222 / 300.0, 219 / 300.0),
                cell(123, "lsq", 4, 221 / 300.0, 218 / 300.0),
                cell(2024, "lsq", 4, 222 / 300.0, 219 / 300.0));
        String line = QuantTableMarkdown.check(cells, "german", "lsq", 4, (222 + 221 + 222) / 900.0, 1.0);
        assertThat(line).contains("drop 1.00 points (bar 1.0): met");
    }

    @Test
    void check_dropOneRowOverTheBar_isNotMet() {
        List<QuantTable.Cell> cells = List.of(
                cell(42, "lsq", 4, 222 / 300.0, 218 / 300.0),
                cell(123, "lsq", 4, 221 / 300.0, 218 / 300.0),
                cell(2024, "lsq", 4, 222 / 300.0, 219 / 300.0));
        String line = QuantTableMarkdown.check(cells, "german", "lsq", 4, (222 + 221 + 222) / 900.0, 1.0);
        assertThat(line).contains("drop 1.11 points (bar 1.0): NOT met");
    }
}
