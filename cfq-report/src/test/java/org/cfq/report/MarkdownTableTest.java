package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void render_numericColumn_isPaddedAndRightAligned() {
        String md = new MarkdownTable(List.of("method", ">acc")).row(List.of("ptq", "0.851"))
                .row(List.of("lsq|x", "0.9")).render();
        assertThat(md).isEqualTo("""
                | method |   acc |
                | ------ | ----: |
                | ptq    | 0.851 |
                | lsq\\|x |   0.9 |
                """);
    }

    @Test
    void row_wrongCellCount_isRejected() {
        assertThatThrownBy(() -> new MarkdownTable(List.of("a", "b")).row(List.of("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells").hasMessageContaining("2");
    }
}
