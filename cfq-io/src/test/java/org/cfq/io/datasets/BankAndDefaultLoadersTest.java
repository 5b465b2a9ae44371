package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bank Marketing (real file when CFQ_DATA_DIR is set, and small files) and Default of Credit Card Clients (small .xls). */
class BankAndDefaultLoadersTest {
    private static final String BANK_HEADER = "\"age\";\"job\";\"marital\";\"education\";\"default\";\"balance\";"
            + "\"housing\";\"loan\";\"contact\";\"day\";\"month\";\"duration\";\"campaign\";\"pdays\";\"previous\";"
            + "\"poutcome\";\"y\"";

    private static Dataset loadReal(String name, long splitSeed) {
        var dir = DataDirectory.fromEnv();
        Assumptions.assumeTrue(dir.isPresent(), "CFQ_DATA_DIR not set: skipping the real " + name + " loader test");
        Assumptions.assumeTrue(Files.isRegularFile(dir.get().resolve("bank-full.csv")),
                "bank-full.csv not in CFQ_DATA_DIR: skipping the real " + name + " loader test");
        return DatasetRegistry.builtIn().load(name, ActionPreset.PAPER, new DataDirectory(List.of(dir.get())),
                Downloader.standard(), false, splitSeed);
    }

    @Test
    void load_realBank_has45211RowsStratifiedAndDropsDuration() {
        Dataset d = loadReal("bank", 0);
        assertThat(d.train().rows() + d.validation().rows() + d.test().rows()).isEqualTo(45_211);
        // 5,289 yes and 39,922 no: test round(5289 * .3) + round(39922 * .3) = 1587 + 11977
        assertThat(d.test().rows()).isEqualTo(13_564);
        assertThat(d.test().favorableRate() * d.test().rows()).isCloseTo(1587, within(1e-6));
        assertThat(d.schema().indexOf("duration")).isNegative();
        assertThat(d.schema().size()).isEqualTo(15);
        Dataset withDuration = loadReal("bank-duration", 0);
        assertThat(withDuration.schema().size()).isEqualTo(16);
        int c = withDuration.schema().indexOf("duration");
        // the longest call in bank-full.csv lasted 4,918 s
        double max = 0;
        for (Table t : List.of(withDuration.train(), withDuration.validation(), withDuration.test())) {
            for (double v : t.column(c)) {
                max = Math.max(max, v);
            }
        }
        assertThat(max).isEqualTo(4918);
    }

    @Test
    void load_realBankOtherSplitSeed_redrawsTestRowsKeepingTheStrata() {
        Dataset s0 = loadReal("bank", 0);
        Dataset s1 = loadReal("bank", 1);
        assertThat(s1.test().rows()).isEqualTo(s0.test().rows());
        assertThat(s1.test().favorableRate()).isEqualTo(s0.test().favorableRate());
        assertThat(s1.test().column(0)).isNotEqualTo(s0.test().column(0));
    }

    private static Path bankFile(Path dir, String... rows) throws Exception {
        Path f = dir.resolve("bank-full.csv");
        List<String> lines = new ArrayList<>();
        lines.add(BANK_HEADER);
        lines.addAll(List.of(rows));
        Files.write(f, lines);
        return f;
    }

    @Test
    void read_smallBankFile_parsesLevelsAndLabelsByColumnName() throws Exception {
        Path f = bankFile(Files.createTempDirectory("bank"),
                "58;\"management\";\"married\";\"tertiary\";\"no\";2143;\"yes\";\"no\";\"unknown\";5;\"may\";261;1;-1;0;"
                        + "\"unknown\";\"no\"",
                "30;\"student\";\"single\";\"unknown\";\"yes\";-40;\"no\";\"yes\";\"cellular\";31;\"dec\";10;3;92;2;"
                        + "\"success\";\"yes\"");
        Table t = BankLoader.read(f, BankLoader.schema(false), 2);
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.labels()).containsExactly(0, 1);
        var s = t.schema();
        assertThat(t.value(0, s.indexOf("age"))).isEqualTo(58);
        assertThat(s.feature(s.indexOf("job")).levels().get((int) t.value(1, s.indexOf("job")))).isEqualTo("student");
        assertThat(t.value(1, s.indexOf("balance"))).isEqualTo(-40);
        assertThat(s.feature(s.indexOf("month")).levels().get((int) t.value(1, s.indexOf("month")))).isEqualTo("dec");
        assertThat(t.value(1, s.indexOf("pdays"))).isEqualTo(92);
    }

    @Test
    void read_bankUnknownLabel_failsNamingLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = bankFile(dir, "58;\"management\";\"married\";\"tertiary\";\"no\";2143;\"yes\";\"no\";\"unknown\";5;"
                + "\"may\";261;1;-1;0;\"unknown\";\"maybe\"");
        assertThatThrownBy(() -> BankLoader.read(f, BankLoader.schema(false), 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bank-full.csv line 2, column 'y'")
                .hasMessageContaining("'maybe'").hasMessageContaining("bank+marketing.zip");
    }

    @Test
    void read_bankWrongRowCount_failsNamingCountsAndAddress(@TempDir Path dir) throws Exception {
        Path f = bankFile(dir, "58;\"management\";\"married\";\"tertiary\";\"no\";2143;\"yes\";\"no\";\"unknown\";5;"
                + "\"may\";261;1;-1;0;\"unknown\";\"no\"");
        assertThatThrownBy(() -> BankLoader.read(f, BankLoader.schema(false), BankLoader.ROWS))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds 1 data rows, expected 45211")
                .hasMessageContaining("https://archive.ics.uci.edu/static/public/222/bank+marketing.zip");
    }

    /** Writes an .xls in the layout of UCI's file: codes row, names row, then one client per row. */
    private static Path creditXls(Path dir, List<double[]> clients) throws Exception {
        Path f = dir.resolve(DefaultCreditLoader.FILE_NAME);
        List<String> names = new ArrayList<>(List.of("ID", "LIMIT_BAL", "SEX", "EDUCATION", "MARRIAGE", "AGE"));
        names.addAll(DefaultCreditLoader.PAY);
        for (int m = 1; m <= 6; m++) {
            names.add("BILL_AMT" + m);
        }
        for (int m = 1; m <= 6; m++) {
            names.add("PAY_AMT" + m);
        }
        names.add(DefaultCreditLoader.LABEL);
        try (HSSFWorkbook book = new HSSFWorkbook(); OutputStream out = Files.newOutputStream(f)) {
            Sheet sheet = book.createSheet("Data");
            Row codes = sheet.createRow(0);
            for (int c = 1; c < names.size(); c++) {
                codes.createCell(c).setCellValue(c == names.size() - 1 ? "Y" : "X" + c);
            }
            Row head = sheet.createRow(1);
            for (int c = 0; c < names.size(); c++) {
                head.createCell(c).setCellValue(names.get(c));
            }
            for (int r = 0; r < clients.size(); r++) {
                Row row = sheet.createRow(r + 2);
                double[] v = clients.get(r);
                row.createCell(0).setCellValue(r + 1);
                for (int c = 0; c < v.length; c++) {
                    row.createCell(c + 1).setCellValue(v[c]);
                }
            }
            book.write(out);
        }
        return f;
    }

    /** LIMIT_BAL, SEX, EDUCATION, MARRIAGE, AGE, 6 PAY, 6 BILL_AMT, 6 PAY_AMT, label. */
    private static double[] client(double limit, int sex, int education, int marriage, int age, int label) {
        double[] v = new double[24];
        v[0] = limit;
        v[1] = sex;
        v[2] = education;
        v[3] = marriage;
        v[4] = age;
        for (int i = 0; i < 6; i++) {
            v[5 + i] = label == 1 ? 2 : -1;
            v[11 + i] = 1000 * (i + 1) - 500;
            v[17 + i] = 100 * i;
        }
        v[23] = label;
        return v;
    }

    @Test
    void read_smallXlsInUciLayout_mapsCodesToLevelsAndNoDefaultIsFavorable(@TempDir Path dir) throws Exception {
        Path f = creditXls(dir, List.of(client(20000, 2, 2, 1, 24, 1), client(90000, 1, 1, 2, 34, 0),
                client(50000, 2, 0, 0, 57, 0)));
        Table t = DefaultCreditLoader.read(f, 3);
        var s = t.schema();
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.labels()).as("0 = no default is favorable (label 1)").containsExactly(0, 1, 1);
        assertThat(t.value(0, s.indexOf("LIMIT_BAL"))).isEqualTo(20000);
        assertThat(s.feature(s.indexOf("SEX")).levels().get((int) t.value(0, s.indexOf("SEX")))).isEqualTo("female");
        assertThat(s.feature(s.indexOf("EDUCATION")).levels().get((int) t.value(1, s.indexOf("EDUCATION"))))
                .isEqualTo("graduate school");
        assertThat(s.feature(s.indexOf("EDUCATION")).levels().get((int) t.value(2, s.indexOf("EDUCATION"))))
                .isEqualTo("undocumented (0)");
        assertThat(s.feature(s.indexOf("MARRIAGE")).levels().get((int) t.value(1, s.indexOf("MARRIAGE"))))
                .isEqualTo("single");
        assertThat(t.value(0, s.indexOf("PAY_0"))).isEqualTo(2);
        assertThat(t.value(1, s.indexOf("BILL_AMT6"))).isEqualTo(5500);
        assertThat(t.value(2, s.indexOf("PAY_AMT3"))).isEqualTo(200);
    }

    @Test
    void load_smallXlsThroughTheRegistry_failsOnRowCountNamingTheCanonicalZip(@TempDir Path dir) throws Exception {
        creditXls(dir, List.of(client(20000, 2, 2, 1, 24, 1)));
        assertThatThrownBy(() -> DatasetRegistry.builtIn().load("default", ActionPreset.PAPER,
                new DataDirectory(List.of(dir)), Downloader.standard(), false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds 1 client rows, expected 30000")
                .hasMessageContaining("350/default+of+credit+card+clients.zip");
    }

    @Test
    void read_xlsUnknownSexCode_failsNamingRowAndColumn(@TempDir Path dir) throws Exception {
        Path f = creditXls(dir, List.of(client(20000, 3, 2, 1, 24, 1)));
        assertThatThrownBy(() -> DefaultCreditLoader.read(f, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("row 3, column 'SEX'").hasMessageContaining("unknown code '3'");
    }

    @Test
    void read_notAnXls_failsNamingTheFormat(@TempDir Path dir) throws Exception {
        Path f = dir.resolve(DefaultCreditLoader.FILE_NAME);
        Files.writeString(f, "ID,LIMIT_BAL\n1,2\n");
        assertThatThrownBy(() -> DefaultCreditLoader.read(f, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Excel 97 (.xls)");
    }

    @Test
    void locate_defaultMissingWithDownloadsOff_isUnavailableNamingTheZip(@TempDir Path dir) {
        BuiltinDataset d = DatasetRegistry.builtIn().get("default");
        assertThat(d.files()).singleElement().satisfies(f -> {
            assertThat(f.checksummed()).as("no checksum recorded").isFalse();
            assertThat(f.inZip()).containsExactly(DefaultCreditLoader.FILE_NAME);
        });
        assertThatThrownBy(() -> DatasetRegistry.locate(d, new DataDirectory(List.of(dir)), Downloader.standard(),
                false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("downloads are off")
                .hasMessageContaining("default+of+credit+card+clients.zip");
    }
}
