package org.cfq.io.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes CSV text with commons-csv: RFC 4180 quoting only where a value needs it (a comma,
 * quote or line break), {@code \n} line ends, and a null value as an empty field. The one CSV
 * writer of cfq (results, recourse rows, tables).
 */
public final class CsvWriter {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private CsvWriter() {
    }

    /** {@return the header line and one line per row; values are printed with {@code String.valueOf}} */
    public static String write(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT)) {
            p.printRecord(header);
            for (List<?> r : rows) {
                for (Object v : r) {
                    p.print(v == null ? null : String.valueOf(v));
                }
                p.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }
}
