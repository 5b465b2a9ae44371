package org.cfq.io.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.cfq.InvalidInputException;
import org.cfq.data.Actionability;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Splits;
import org.cfq.data.Table;
import org.cfq.io.csv.TableBuilder;
import org.cfq.recourse.RecourseRequest;

/**
 * UCI Default of Credit Card Clients (id 350; Yeh and Lien 2009): 30,000 Taiwanese card holders,
 * label {@code default payment next month}, where 0 (no default) is favorable. Split 70/30
 * stratified, then 15% of training for validation.
 *
 * <p>The file is an Excel 97 workbook ({@code .xls}, read with Apache POI's HSSF): on the first
 * sheet, row 1 holds the codes X1..X23, Y; row 2 the names (ID, LIMIT_BAL, SEX, EDUCATION,
 * MARRIAGE, AGE, PAY_0, PAY_2..PAY_6, BILL_AMT1..6, PAY_AMT1..6, default payment next month);
 * then one client per row. SEX, EDUCATION and MARRIAGE are codes, read into the level names of
 * the UCI documentation (codes it leaves undocumented keep their number in the name).
 *
 * <p>No SHA-256 of the file is recorded (it was not available where this loader was written):
 * a downloaded copy is checked by shape only (the header names, 25 columns, 30,000 rows).
 */
final class DefaultCreditLoader extends DownloadedDataset {
    static final String FILE_NAME = "default of credit card clients.xls";
    static final RemoteFile FILE = new RemoteFile(FILE_NAME,
            URI.create("https://archive.ics.uci.edu/static/public/350/default+of+credit+card+clients.zip"), null,
            List.of(FILE_NAME));
    static final int ROWS = 30_000;
    static final String LABEL = "default payment next month";
    private static final double INF = Double.POSITIVE_INFINITY;

    /** The code of each level, in schema order (UCI's documentation; 0, 5, 6 are undocumented). */
    static final Map<String, List<String>> CODES = Map.of(
            "SEX", List.of("1", "2"),
            "EDUCATION", List.of("1", "2", "3", "4", "5", "6", "0"),
            "MARRIAGE", List.of("1", "2", "3", "0"));

    static final List<String> PAY = List.of("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6");

    static final FeatureSchema SCHEMA = buildSchema();

    private static FeatureSchema buildSchema() {
        List<FeatureSpec> f = new ArrayList<>(List.of(
                FeatureSpec.integer("LIMIT_BAL", Actionability.FREE),
                FeatureSpec.binary("SEX", List.of("male", "female"), Actionability.FREE),
                FeatureSpec.categorical("EDUCATION", List.of("graduate school", "university", "high school", "others",
                        "unknown (5)", "unknown (6)", "undocumented (0)"), Actionability.FREE),
                FeatureSpec.categorical("MARRIAGE", List.of("married", "single", "others", "undocumented (0)"),
                        Actionability.FREE),
                FeatureSpec.integer("AGE", Actionability.FREE)));
        for (String p : PAY) {
            f.add(FeatureSpec.integer(p, Actionability.FREE));
        }
        for (int m = 1; m <= 6; m++) {
            f.add(FeatureSpec.integer("BILL_AMT" + m, Actionability.FREE));
        }
        for (int m = 1; m <= 6; m++) {
            f.add(FeatureSpec.integer("PAY_AMT" + m, Actionability.FREE));
        }
        return new FeatureSchema("default", f, LABEL, "0");
    }

    DefaultCreditLoader() {
        super("default", "UCI Default of Credit Card Clients, Taiwan 2005 (no default favorable)", List.of(FILE),
                SCHEMA, RecourseRequest.DEFAULT_CREDIT_SPARSITY, List.of("SEX"), realistic(), natural(), List.of());
    }

    /**
     * The realistic preset: the repayment statuses, bills and payments of April to September 2005
     * describe the past; age and marriage are not levers. A holder may ask for a lower limit (a
     * higher one is the lender's decision) and may study further.
     */
    private static List<Map.Entry<String, Actionability>> realistic() {
        List<Map.Entry<String, Actionability>> r = new ArrayList<>(List.of(
                Map.entry("AGE", Actionability.IMMUTABLE),
                Map.entry("MARRIAGE", Actionability.IMMUTABLE),
                Map.entry("LIMIT_BAL", Actionability.DECREASE_ONLY)));
        for (String p : PAY) {
            r.add(Map.entry(p, Actionability.IMMUTABLE));
        }
        for (int m = 1; m <= 6; m++) {
            r.add(Map.entry("BILL_AMT" + m, Actionability.IMMUTABLE));
            r.add(Map.entry("PAY_AMT" + m, Actionability.IMMUTABLE));
        }
        return r;
    }

    private static Map<String, NaturalDomain> natural() {
        Map<String, NaturalDomain> m = new java.util.LinkedHashMap<>();
        m.put("LIMIT_BAL", NaturalDomain.numeric(0, INF, 1)); // whole NT dollars
        m.put("AGE", NaturalDomain.numeric(18, INF, 1));
        // Never advise an undocumented code; studying is one way (no step down the degrees).
        m.put("EDUCATION", NaturalDomain.levels(Set.of("others", "unknown (5)", "unknown (6)", "undocumented (0)"),
                List.of(new NaturalDomain.Transition("graduate school", "university"),
                        new NaturalDomain.Transition("graduate school", "high school"),
                        new NaturalDomain.Transition("university", "high school"))));
        m.put("MARRIAGE", NaturalDomain.levels(Set.of("undocumented (0)"), List.of()));
        for (String p : PAY) {
            m.put(p, NaturalDomain.numeric(-2, 9, 1)); // -2 no use, -1 paid duly, 0 revolving, 1..9 months late
        }
        for (int k = 1; k <= 6; k++) {
            m.put("BILL_AMT" + k, NaturalDomain.numeric(-INF, INF, 1));
            m.put("PAY_AMT" + k, NaturalDomain.numeric(0, INF, 1));
        }
        return m;
    }

    @Override
    public String subgroupFeature() {
        return "SEX";
    }

    @Override
    public Dataset load(Map<String, Path> files, long splitSeed) {
        Path file = files.get(FILE.fileName());
        return Splits.trainValidationTest(name(), read(file, ROWS), file.toString(), splitSeed);
    }

    /**
     * Reads the workbook's first sheet.
     *
     * @param expectedRows the client rows the sheet must hold (the canonical file's 30,000)
     * @throws InvalidInputException naming the file, the row and the column of what is wrong
     */
    static Table read(Path file, int expectedRows) {
        String name = file.getFileName().toString();
        String fix = "Replace it with the canonical file from " + FILE.uri() + " (the .xls inside the zip)";
        try (InputStream in = Files.newInputStream(file); HSSFWorkbook book = new HSSFWorkbook(in)) {
            Sheet sheet = book.getSheetAt(0);
            DataFormatter fmt = new DataFormatter(java.util.Locale.ROOT);
            Row head = sheet.getRow(1);
            if (head == null) {
                throw new InvalidInputException(file + ", sheet '" + sheet.getSheetName() + "'",
                        "has no header in row 2 (row 1 holds X1..X23, Y; row 2 the names)", fix);
            }
            List<String> header = new ArrayList<>();
            for (int c = 0; c < head.getLastCellNum(); c++) {
                header.add(text(head.getCell(c), fmt));
            }
            int[] cols = new int[SCHEMA.size()];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = column(header, SCHEMA.feature(i).name(), file, fix);
            }
            int label = column(header, LABEL, file, fix);
            TableBuilder out = new TableBuilder(SCHEMA);
            double[] values = new double[SCHEMA.size()];
            String[] cells = new String[SCHEMA.size()];
            for (int r = 2; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                if (row == null || blank(row, fmt)) {
                    continue;
                }
                String at = name + " row " + (r + 1);
                for (int i = 0; i < cells.length; i++) {
                    String v = text(row.getCell(cols[i]), fmt);
                    List<String> codes = CODES.get(SCHEMA.feature(i).name());
                    if (codes != null) {
                        int k = codes.indexOf(v);
                        if (k < 0) {
                            throw new InvalidInputException(at + ", column '" + SCHEMA.feature(i).name() + "'",
                                    "unknown code '" + v + "'; expected one of " + codes, fix);
                        }
                        v = SCHEMA.feature(i).levels().get(k);
                    }
                    cells[i] = v;
                }
                LoaderSupport.parseFeatures(SCHEMA, cells, values, at);
                String y = text(row.getCell(label), fmt);
                out.add(values, LoaderSupport.label(y, "0", "1", () -> new InvalidInputException(at + ", column '"
                        + LABEL + "'", "expected 0 or 1, found '" + y + "'", fix)));
            }
            LoaderSupport.checkRowCount(file, out.rows(), expectedRows, "client rows", FILE.uri());
            return out.build();
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException(file.toString(), "cannot be read as an Excel 97 (.xls) workbook ("
                    + e.getMessage() + ")", fix, e);
        }
    }

    /** A numeric cell's value as the file shows it (whole numbers without ".0"), or a text cell's text. */
    private static String text(Cell cell, DataFormatter fmt) {
        if (cell == null) {
            return "";
        }
        if (cell.getCellType() == CellType.NUMERIC) {
            double v = cell.getNumericCellValue();
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return Double.toString(v);
        }
        return fmt.formatCellValue(cell).trim();
    }

    private static boolean blank(Row row, DataFormatter fmt) {
        for (int c = 0; c < row.getLastCellNum(); c++) {
            if (!text(row.getCell(c), fmt).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static int column(List<String> header, String name, Path file, String fix) {
        int idx = header.indexOf(name);
        if (idx < 0) {
            throw new InvalidInputException(file + " row 2 (header)", "no column '" + name + "'", fix);
        }
        return idx;
    }
}
