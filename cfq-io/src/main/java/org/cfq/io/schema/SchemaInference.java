package org.cfq.io.schema;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Range;

/**
 * A starting schema from a CSV file, for a user bringing their own data: each column's
 * kind (integer, continuous, binary, categorical), levels and observed range.
 *
 * <p>What it cannot know it does not guess. <b>Actionability</b> is never inferred: every
 * feature gets the one the caller chooses (all immutable or all free), and the notes say to
 * review it. Ordered levels are not detected (they come out categorical), and an observed
 * range is only what the file holds. Missing cells (empty or {@code ?}) are counted, not
 * imputed: cfq refuses them when it reads the data, and the notes say so.
 */
public final class SchemaInference {
    /** Above this many distinct values a text column is flagged as a possible identifier. */
    static final int MANY_LEVELS = 50;

    private SchemaInference() {
    }

    /**
     * The inferred schema and what the user should review before using it.
     *
     * @param schema the starting schema
     * @param notes  one line per thing to check, most important first
     */
    public record Result(FeatureSchema schema, List<String> notes) {
        public Result {
            Objects.requireNonNull(schema, "schema");
            notes = List.copyOf(notes);
        }
    }

    /**
     * Infers a schema from a CSV file with a header row.
     *
     * @param name          the schema's name
     * @param labelColumn   the label's column; it must hold exactly two values
     * @param favorable     the favorable label value, one of them
     * @param actionability the actionability every feature starts with
     * @throws InvalidInputException naming the file and the fix for a missing label column,
     *                               a label without exactly two values, or an unreadable file
     */
    public static Result infer(Path csv, String name, String labelColumn, String favorable, Actionability actionability) {
        String src = csv.toString();
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException(src, "file not found", "Check the path given to --csv");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        List<String> header;
        List<Column> cols = new ArrayList<>();
        int rows = 0;
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new InvalidInputException(src, "the file is empty", "Write a header row and data rows");
            }
            header = it.next().toList();
            for (String h : header) {
                cols.add(new Column(h));
            }
            while (it.hasNext()) {
                CSVRecord rec = it.next();
                if (rec.size() != header.size()) {
                    throw new InvalidInputException(src + " line " + parser.getCurrentLineNumber(), "expected "
                            + header.size() + " fields (as in the header), found " + rec.size(),
                            "Fix the row so it has one value per header column");
                }
                for (int c = 0; c < header.size(); c++) {
                    cols.get(c).add(rec.get(c));
                }
                rows++;
            }
        } catch (IOException e) {
            throw new InvalidInputException(src, "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions and that it is UTF-8 text", e);
        }
        int label = header.indexOf(labelColumn);
        if (label < 0) {
            throw new InvalidInputException("--label " + labelColumn, src + " has no such column; its columns are "
                    + header, "Name the label column as the header does");
        }
        Column lc = cols.get(label);
        if (lc.missing > 0 || lc.levels.size() != 2 || !lc.levels.contains(favorable)) {
            throw new InvalidInputException(src + ", column '" + labelColumn + "'", "the label holds " + lc.levels
                    + (lc.missing > 0 ? " and " + lc.missing + " missing cells" : "")
                    + "; cfq needs exactly two values, one of them the favorable '" + favorable + "'",
                    lc.levels.contains(favorable) ? "Map the label to two values and fill or drop missing rows"
                            : "Give --favorable one of " + lc.levels);
        }
        List<FeatureSpec> features = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add("actionability: every feature is " + lower(actionability) + " (never guessed). Set each one: "
                + "immutable for protected or unchangeable attributes, increase_only/decrease_only for one-way "
                + "changes, free for what a person can change.");
        for (int c = 0; c < cols.size(); c++) {
            if (c == label) {
                continue;
            }
            Column col = cols.get(c);
            String at = "'" + col.name + "'";
            if (col.present() == 0) {
                notes.add(at + ": left out, every cell is missing");
                continue;
            }
            FeatureSpec f;
            if (col.numeric) {
                FeatureKind kind = col.integral ? FeatureKind.INTEGER : FeatureKind.CONTINUOUS;
                f = new FeatureSpec(col.name, kind, List.of(), new Range(col.min, col.max), actionability);
                if (col.integral && col.distinct.size() == 2 && col.distinct.contains(0.0) && col.distinct.contains(1.0)) {
                    notes.add(at + ": only 0 and 1; if it is a yes/no flag, declare it binary with its two levels");
                } else if (col.integral && col.distinct.size() <= 10) {
                    notes.add(at + ": " + col.distinct.size() + " distinct whole numbers; if they are coded categories, "
                            + "declare it categorical (or ordinal, in order)");
                }
            } else {
                List<String> levels = new ArrayList<>(col.levels);
                f = new FeatureSpec(col.name, levels.size() == 2 ? FeatureKind.BINARY : FeatureKind.CATEGORICAL, levels,
                        null, actionability);
                if (levels.size() > 2) {
                    notes.add(at + ": " + levels.size() + " levels, inferred categorical; if they have an order, declare "
                            + "it ordinal and list the levels in that order");
                }
                if (levels.size() > MANY_LEVELS) {
                    notes.add(at + ": " + levels.size() + " distinct values: an identifier or free text? Drop it or "
                            + "group its levels");
                }
            }
            if (col.missing > 0) {
                notes.add(at + ": " + col.missing + " of " + rows + " cells are missing (empty or ?); cfq does not impute. "
                        + (col.numeric ? "Fill or drop those rows" : "Fill or drop those rows, or add a level such as "
                        + "'unknown' to the schema and write it in those cells"));
            }
            features.add(f);
        }
        if (features.isEmpty()) {
            throw new InvalidInputException(src, "no feature column besides the label", "Add feature columns");
        }
        notes.add("ranges are the observed min and max of " + rows + " rows: widen them to the values a person "
                + "can reach, since recourse stays inside them");
        return new Result(new FeatureSchema(name, features, labelColumn, favorable), notes);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** What one column holds. */
    private static final class Column {
        final String name;
        final TreeSet<String> levels = new TreeSet<>();
        final TreeSet<Double> distinct = new TreeSet<>();
        boolean numeric = true;
        boolean integral = true;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int missing;

        Column(String name) {
            this.name = name;
        }

        int present() {
            return levels.size();
        }

        void add(String cell) {
            if (cell.isEmpty() || cell.equals("?")) {
                missing++;
                return;
            }
            levels.add(cell);
            if (!numeric) {
                return;
            }
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                numeric = false;
                return;
            }
            if (!Double.isFinite(v)) {
                numeric = false;
                return;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v != Math.rint(v) || Math.abs(v) > 1e15) {
                integral = false;
            }
            if (distinct.size() <= 10) {
                distinct.add(v);
            }
        }
    }
}
