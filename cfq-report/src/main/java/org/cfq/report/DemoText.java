package org.cfq.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cfq.data.Dataset;
import org.cfq.experiment.Demo;

/** The text {@code cfq demo} prints for a person: the data, the teacher, an example, the student table. */
public final class DemoText {
    private DemoText() {
    }

    /**
     * @param files  the kept experiment directory, or null when it is a temporary one
     * @param report the HTML report written
     */
    public static String render(Demo.Outcome o, Path files, Path report) {
        Dataset data = o.data();
        List<? extends JsonNode> rows = o.rows();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "cfq demo: synthetic credit data (%d train, %d validation, %d test "
                        + "rows; %d features), seed %d%n%n", data.train().rows(), data.validation().rows(),
                data.test().rows(), data.schema().size(), o.seed()));
        if (!rows.isEmpty()) {
            JsonNode first = rows.get(0);
            sb.append(String.format(Locale.ROOT, "Teacher (MLP 128-64, float32): test accuracy %.3f%n",
                    first.path("teacher_accuracy").asDouble()));
            sb.append(String.format(Locale.ROOT, "Teacher recourse (pgd, 'realistic' action set): found for %.1f%% "
                    + "of %d rejected applicants%n", 100 * first.path("teacher_feasible").asDouble(),
                    first.path("factuals").asInt()));
        }
        sb.append(String.format("Example: %s%n%n", o.example()));
        sb.append(StudentTable.render(o.run().results()));
        sb.append(System.lineSeparator());
        sb.append(StudentTable.LEGEND).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%d cells in %.1f s%s%n", rows.size(), o.run().seconds(),
                files != null ? "; files in " + files : ""));
        sb.append(String.format("%nReport: %s%n", report.toAbsolutePath()));
        return sb.toString();
    }
}
