package org.cfq.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cfq.experiment.TeacherImport;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.provenance.ImportSource;

/** The text {@code cfq import} prints for a person: the graph read, the check, the file written. */
public final class ImportText {
    private ImportText() {
    }

    /** {@return the summary of an import of {@code onnx} written to {@code out}} */
    public static String render(TeacherImport.Result imported, ImportedNetwork net, ImportSource source, Path onnx,
                                Path out) {
        TeacherImport.Check check = imported.check();
        return String.format(Locale.ROOT, "imported %s (%s %s, opset %d): %d inputs, hidden %s, %s%n", onnx,
                source.producerName(), source.producerVersion(), source.opset(), net.inputDim(),
                Arrays.toString(imported.saved().model().hiddenSizes()), source.output())
                + (check == null ? "" : String.format(Locale.ROOT, "on %d test rows: accuracy %.4f; cfq teacher vs "
                + "the graph: max margin difference %.3g, %d decisions differ%n", check.rows(), check.accuracy(),
                check.maxMarginDiff(), check.disagreements()))
                + String.format(Locale.ROOT, "teacher model file written to %s%n", out);
    }
}
