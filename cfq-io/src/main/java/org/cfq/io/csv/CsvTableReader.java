package org.cfq.io.csv;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.InvalidInputException;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;

/**
 * Reads a comma-separated file with a header row into a {@link Table}, using a schema.
 *
 * <p>Columns are found by header name; columns the schema does not mention are ignored
 * and, when a name repeats, the first column of that name is used. Every data row must
 * have as many fields as the header.
 *
 * <p><b>Missing values.</b> An empty cell or {@code ?} in a feature or label column is an
 * error: cfq does not impute, because a silently imputed value would change what a
 * counterfactual means for that person. Fill the cell, drop the row, or for a categorical
 * feature add an explicit level (e.g. {@code unknown}) to the schema and write it in the cell.
 *
 * <p><b>Labels.</b> The label column must hold exactly two values: the schema's favorable
 * label (class 1) and one other (class 0). A third value is an error.
 */
public final class CsvTableReader {
    private CsvTableReader() {
    }

    /**
     * Reads the file.
     *
     * @throws InvalidInputException naming the file, line, column and fix for any bad input
     */
    public static Table read(Path file, FeatureSchema schema) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(name, "file not found",
                    "Check the path given to --csv (relative paths start from " + Path.of("").toAbsolutePath() + ")");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new InvalidInputException(name, "the file is empty", "Write a header row and at least one data row");
            }
            List<String> header = new ArrayList<>(it.next().toList());
            int[] featureCol = new int[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                featureCol[i] = columnOf(header, schema.feature(i).name(), name,
                        "Add the column or remove feature '" + schema.feature(i).name() + "' from the schema");
            }
            int labelCol = columnOf(header, schema.labelColumn(), name,
                    "Add the label column or set the schema's labelColumn to one of the header's columns");
            TableBuilder out = new TableBuilder(schema);
            double[] row = new double[schema.size()];
            String otherLabel = null;
            while (it.hasNext()) {
                CSVRecord rec = it.next();
                long line = lineOf(parser);
                String at = name + " line " + line;
                if (rec.size() != header.size()) {
                    throw new InvalidInputException(at, "expected " + header.size() + " fields (as in the header), found "
                            + rec.size(), "Fix the row so it has one value per header column (quote values containing commas)");
                }
                for (int i = 0; i < row.length; i++) {
                    FeatureSpec f = schema.feature(i);
                    row[i] = Cells.parse(rec.get(featureCol[i]), f, at + ", column '" + f.name() + "'");
                }
                String y = rec.get(labelCol);
                String where = at + ", column '" + schema.labelColumn() + "'";
                if (Cells.isMissing(y)) {
                    throw new InvalidInputException(where, "missing label", "Fill in the label or drop the row");
                }
                int label;
                if (y.equals(schema.favorableLabel())) {
                    label = 1;
                } else if (otherLabel == null || otherLabel.equals(y)) {
                    otherLabel = y;
                    label = 0;
                } else {
                    throw new InvalidInputException(where, "unknown label value '" + y + "'; the column already holds '"
                            + schema.favorableLabel() + "' (favorable) and '" + otherLabel + "'",
                            "Labels must take exactly two values: fix the row or map the labels to two values");
                }
                out.add(row, label);
            }
            if (out.rows() == 0) {
                throw new InvalidInputException(name, "the file has a header but no data rows", "Add data rows");
            }
            return out.build();
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(name, "file not found", "Check the path given to --csv", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException(name, "cannot be read as CSV (" + e.getMessage() + ")",
                    "Check that it is a UTF-8 comma-separated file with balanced quotes", e);
        }
    }

    private static int columnOf(List<String> header, String column, String file, String fix) {
        int idx = header.indexOf(column);
        if (idx < 0) {
            throw new InvalidInputException(file + " line 1 (header)", "no column '" + column + "'; the header has "
                    + header, fix);
        }
        return idx;
    }

    /** The 1-based line the record just read ends on. */
    private static long lineOf(CSVParser parser) {
        return parser.getCurrentLineNumber();
    }
}
