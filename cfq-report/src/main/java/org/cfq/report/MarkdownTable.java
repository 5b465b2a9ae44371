package org.cfq.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Markdown (GitHub pipe) table built row by row. It renders only: every number arrives
 * already computed and formatted.
 */
public final class MarkdownTable {
    private final List<String> header;
    private final List<Boolean> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param header column titles; a title starting with {@code '>'} is right-aligned (the
     *               marker is not printed), which suits numeric columns
     */
    public MarkdownTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = new ArrayList<>();
        this.rightAligned = new ArrayList<>();
        for (String h : header) {
            boolean right = h.startsWith(">");
            this.header.add(right ? h.substring(1) : h);
            this.rightAligned.add(right);
        }
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException when the cell count differs from the header's
     */
    public MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, the header has " + header.size());
        }
        rows.add(List.copyOf(cells.stream().map(c -> escape(Objects.requireNonNull(c, "cell"))).toList()));
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    /** {@return the table as Markdown, one line per row, ending with a newline} */
    public String render() {
        int n = header.size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = Math.max(3, header.get(c).length());
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        sb.append('|');
        for (int c = 0; c < n; c++) {
            sb.append(' ');
            if (rightAligned.get(c)) {
                sb.append("-".repeat(width[c] - 1)).append(':');
            } else {
                sb.append("-".repeat(width[c]));
            }
            sb.append(" |");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        sb.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String v = cells.get(c);
            String pad = " ".repeat(width[c] - v.length());
            sb.append(' ').append(rightAligned.get(c) ? pad + v : v + pad).append(" |");
        }
        sb.append('\n');
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }
}
