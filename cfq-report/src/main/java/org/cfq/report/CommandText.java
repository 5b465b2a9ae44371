package org.cfq.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import org.cfq.experiment.ExperimentJob;
import org.cfq.experiment.ExperimentRunner;

/** The short results a command prints for a person (without {@code --json}): what ran, what it wrote. */
public final class CommandText {
    private CommandText() {
    }

    /** {@return the counts, seconds and summary file of an experiment run} */
    public static String experiment(ExperimentJob job, ExperimentRunner.Outcome o) {
        return String.format(Locale.ROOT,
                "%d cells: %d computed, %d reused, %d unavailable, %d failed in %.1f s; summary in %s%n", job.cells(),
                o.computed(), o.reused(), o.unavailable(), o.failed(), o.seconds(), job.summary());
    }

    /** {@return the accuracies, epochs, timing and file of a trained teacher, from its JSON ({@code Teachers.Trained#json})} */
    public static String train(JsonNode t) {
        return String.format(Locale.ROOT, "%s %s: test accuracy %.4f, validation accuracy %.4f (best epoch %d of %d)%n",
                t.get("dataset").asText(), t.get("model").asText(), t.get("test_accuracy").asDouble(),
                t.get("validation_accuracy").asDouble(), t.get("best_epoch").asInt(), t.get("epochs").asInt())
                + String.format(Locale.ROOT, "%.2f s (%.3f s per epoch); model written to %s%n",
                t.get("seconds").asDouble(), t.get("seconds_per_epoch").asDouble(), t.get("out").asText());
    }

    /** {@return where a report was written, its plots and how long it took} */
    public static String report(Path out, Path plots, double seconds) {
        return String.format(Locale.ROOT, "report written to %s (plots in %s; %.1f s)%n", out.toAbsolutePath(), plots,
                seconds);
    }

    /** {@return the quantization table written, with its model count and seconds} */
    public static String quantTable(Path out, int models, double seconds) {
        return String.format(Locale.ROOT, "wrote %s (%d models, %.0fs)%n", out, models, seconds);
    }

    /** {@return the ONNX file written, from the export's JSON (kind, opset, bytes, out)} */
    public static String export(JsonNode export) {
        return String.format(Locale.ROOT, "wrote %s (%s model, ONNX opset %d, %d bytes)%n", export.get("out").asText(),
                export.get("kind").asText(), export.get("opset").asInt(), export.get("bytes").asInt());
    }
}
