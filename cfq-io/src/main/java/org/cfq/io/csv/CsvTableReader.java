package org.cfq.io.csv;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Columns are found by header name; columns the schema does not mention are ignored. A
 * column the schema uses must appear once in the header (a repeated name is an error, since
 * either copy could be the right one). A UTF-8 byte-order mark, as Excel writes, is
 * skipped. Every data row must have as many fields as the header.
 *
 * <p><b>Ranges.</b> A numeric feature with a declared {@code range} in the schema must lie in
 * it: a value outside is an error naming the row (a declared range is a promise about the
 * data; training, boxes and recourse rely on it).
 *
 * <p><b>Missing values.</b> An empty cell or {@code ?} in a feature or label column is an
 * error: cfq does not impute, because a silently imputed value would change what a
 * counterfactual means for that person. Fill the cell, drop the row, or for a categorical
 * feature add an explicit level (e.g. {@code unknown}) to the schema and write it in the cell.
 *
 * <p><b>Labels.</b> The label column must hold exactly two values: the schema's favorable
 * label (class 1) and one other (class 0). A third value, a favorable label that never
 * occurs and a column with one value are errors that name the values found.
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
            if (!header.isEmpty() && header.get(0).startsWith(BOM)) {
                header.set(0, header.get(0).substring(1).trim());
            }
            int[] featureCol = new int[schema.size()];
            for (int i = 0; i < schema.size(); i++) {
                featureCol[i] = columnOf(header, schema.feature(i).name(), name,
                        "Add the column or remove feature '" + schema.feature(i).name() + "' from the schema");
            }
            int labelCol = columnOf(header, schema.labelColumn(), name,
                    "Add the label column or set the schema's labelColumn to one of the header's columns");
            TableBuilder out = new TableBuilder(schema);
            double[] row = new double[schema.size()];
            // Label values other than the favorable one, with the line each first occurs on.
            Map<String, Long> labelLines = new LinkedHashMap<>();
            Map<String, Integer> labelCounts = new LinkedHashMap<>();
            boolean favorableSeen = false;
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
                    if (f.range() != null && !(row[i] >= f.range().min() && row[i] <= f.range().max())) {
                        throw new InvalidInputException(at + ", column '" + f.name() + "'", "value "
                                + rec.get(featureCol[i]).trim() + " is outside the range [" + plain(f.range().min())
                                + ", " + plain(f.range().max()) + "] the schema declares for '" + f.name() + "'",
                                "Fix or drop the row, or widen (or remove) the feature's range in the schema");
                    }
                }
                String y = rec.get(labelCol);
                String where = at + ", column '" + schema.labelColumn() + "'";
                if (Cells.isMissing(y)) {
                    throw new InvalidInputException(where, "missing label", "Fill in the label or drop the row");
                }
                int label;
                if (y.equals(schema.favorableLabel())) {
                    label = 1;
                    favorableSeen = true;
                } else {
                    label = 0;
                    if (!labelLines.containsKey(y)) {
                        labelLines.put(y, line);
                    }
                }
                labelCounts.merge(y, 1, Integer::sum);
                out.add(row, label);
            }
            if (out.rows() == 0) {
                throw new InvalidInputException(name, "the file has a header but no data rows", "Add data rows");
            }
            checkLabels(name, schema, labelCounts, labelLines, favorableSeen);
            return out.build();
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(name, "file not found", "Check the path given to --csv", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new InvalidInputException(name, "cannot be read as CSV (" + e.getMessage() + ")",
                    "Check that it is a UTF-8 comma-separated file with balanced quotes", e);
        }
    }

    private static final String BOM = "\uFEFF";

    /**
     * The label column must hold the favorable label and exactly one other value; each failure
     * names what the column holds, so a misspelled favorable label is not blamed on the other
     * values.
     */
    private static void checkLabels(String file, FeatureSchema schema, Map<String, Integer> counts,
                                    Map<String, Long> otherLines, boolean favorableSeen) {
        String col = file + ", column '" + schema.labelColumn() + "'";
        String holds = "it holds " + counts;
        if (!favorableSeen) {
            throw new InvalidInputException(col, "the schema's favorable label '" + schema.favorableLabel()
                    + "' never occurs; " + holds, "Set the schema's favorableLabel to the value that means the "
                    + "favorable outcome (labels are compared exactly, case and punctuation included)");
        }
        if (otherLines.isEmpty()) {
            throw new InvalidInputException(col, "every row has the favorable label '" + schema.favorableLabel()
                    + "'; a classifier needs rows of both outcomes", "Add rows with the other outcome");
        }
        if (otherLines.size() > 1) {
            List<String> others = new ArrayList<>(otherLines.keySet());
            String third = others.get(1);
            throw new InvalidInputException(file + " line " + otherLines.get(third) + ", column '"
                    + schema.labelColumn() + "'", "a third label value '" + third + "' (besides favorable '"
                    + schema.favorableLabel() + "' and '" + others.get(0) + "'); " + holds,
                    "Labels must take exactly two values: fix the rows or map the labels to two values");
        }
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static int columnOf(List<String> header, String column, String file, String fix) {
        int idx = header.indexOf(column);
        if (idx < 0) {
            throw new InvalidInputException(file + " line 1 (header)", "no column '" + column + "'; the header has "
                    + header, fix);
        }
        int again = header.subList(idx + 1, header.size()).indexOf(column);
        if (again >= 0) {
            throw new InvalidInputException(file + " line 1 (header)", "column '" + column + "' appears twice "
                    + "(columns " + (idx + 1) + " and " + (idx + 2 + again) + ")",
                    "Rename or remove one of them so the header names each column once");
        }
        return idx;
    }

    /** The 1-based line the record just read ends on. */
    private static long lineOf(CSVParser parser) {
        return parser.getCurrentLineNumber();
    }
}
