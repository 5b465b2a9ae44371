package org.cfq.io.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.io.csv.Cells;

/**
 * What the built-in loaders share: reading a text file line by line, parsing a row's
 * feature cells, mapping a two-valued label, and checking a file's shape against the
 * canonical copy. Each loader keeps what is its own (splitting, filters, messages' wording).
 */
final class LoaderSupport {
    private LoaderSupport() {
    }

    /** Receives each line of a file with where it is ("adult.data line 12"), for messages. */
    @FunctionalInterface
    interface LineHandler {
        void line(String line, String at);
    }

    /**
     * Reads a US-ASCII text file line by line, blank and comment lines included (the
     * handler skips them, so line numbers stay those of the file).
     *
     * @throws InvalidInputException naming the file when it cannot be read
     */
    static void forEachLine(Path file, LineHandler handler) {
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                handler.line(line, name + " line " + lineNo);
            }
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions or download it again", e);
        }
    }

    /**
     * Parses one row's feature cells into {@code row}.
     *
     * @param cells at least one cell per schema feature, in schema order
     * @param row   on output, one value per schema feature (level index for level kinds)
     * @param at    where the row is, for messages
     * @throws InvalidInputException naming the row and column of a cell that does not parse
     */
    static void parseFeatures(FeatureSchema schema, String[] cells, double[] row, String at) {
        for (int i = 0; i < row.length; i++) {
            FeatureSpec f = schema.feature(i);
            row[i] = Cells.parse(cells[i], f, at + ", column '" + f.name() + "'");
        }
    }

    /**
     * {@return 1 for the favorable value, 0 for the unfavorable one}
     *
     * @param otherwise the error for any other value (naming the row, the column and the allowed values)
     * @throws InvalidInputException for any other value
     */
    static int label(String value, String favorable, String unfavorable, Supplier<InvalidInputException> otherwise) {
        if (value.equals(favorable)) {
            return 1;
        }
        if (value.equals(unfavorable)) {
            return 0;
        }
        throw otherwise.get();
    }

    /**
     * Checks a row's field count.
     *
     * @param fields what the fields are, for the message ("comma-separated fields")
     * @throws InvalidInputException naming the row, the count expected and the count found
     */
    static void checkFieldCount(int found, int expected, String fields, String at, String fix) {
        if (found != expected) {
            throw new InvalidInputException(at, "expected " + expected + " " + fields + ", found " + found, fix);
        }
    }

    /**
     * Checks a whole file's row count against the canonical file's.
     *
     * @param rows what the rows are, for the message ("data rows")
     * @throws InvalidInputException naming the file and where to get the canonical one
     */
    static void checkRowCount(Path file, int found, int expected, String rows, URI canonical) {
        if (found != expected) {
            throw new InvalidInputException(file.toString(), "holds " + found + " " + rows + ", expected " + expected,
                    replaceFrom(canonical));
        }
    }

    /** {@return the fix for a whole file that is not the canonical one} */
    static String replaceFrom(URI canonical) {
        return "Replace it with the canonical file from " + canonical;
    }

    /** {@return the fix for a row of a file that is not the canonical one} */
    static String replaceWith(URI canonical) {
        return "Replace the file with the canonical " + canonical;
    }
}
