package org.cfq.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles and runs the Java block of docs/library.md exactly as the page shows it. */
class LibraryExampleTest {
    private static final Path PAGE = Path.of("..", "docs", "library.md");

    @Test
    void libraryExample_docsCodeBlock_compilesRunsAndPrintsTheAudit(@TempDir Path dir) throws Exception {
        String page = Files.readString(PAGE);
        String code = page.substring(page.indexOf("```java\n") + 8, page.indexOf("```", page.indexOf("```java\n") + 8));
        assertThat(code.strip().lines().count()).as("the example stays under 30 lines").isLessThan(30);
        Path src = dir.resolve("LibraryExample.java");
        Files.writeString(src, code);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("-classpath", classpath(), "-d", dir.toString(), src.toString());
        int status = javac.run(null, null, new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                diagnostics.write(b);
            }
        }), args.toArray(String[]::new));
        assertThat(status).as(diagnostics.toString()).isZero();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("LibraryExample").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("factuals: ").contains("accuracy      teacher ").contains("VD ")
                .contains("certificate");
        // The student is scored: accuracies are printed as percentages, not "n/a".
        assertThat(out).containsPattern("student \\d+\\.\\d\\d%");
    }

    /** The locations of the cfq modules and their libraries, from the classes the example uses. */
    private static String classpath() throws Exception {
        Set<String> paths = new LinkedHashSet<>();
        for (Class<?> c : List.of(org.cfq.data.Dataset.class, org.cfq.io.json.Json.class,
                org.cfq.experiment.Teachers.class, AuditText.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonParser.class, com.fasterxml.jackson.annotation.JsonProperty.class,
                org.apache.commons.csv.CSVFormat.class)) {
            paths.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, new ArrayList<>(paths));
    }
}
