package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.audit.AuditReport;
import org.cfq.audit.TeacherRecourse;
import org.cfq.data.encode.Encoder;
import org.cfq.io.json.Json;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.recourse.RecourseGenerator;

/**
 * One teacher / student audit written as an experiment cell row (the shape of
 * {@code results.json} rows), so everything that reads cells, above all the HTML report,
 * treats a single {@code cfq audit} like a one-cell grid.
 */
public final class AuditCell {
    /** Budget recorded for a float student: it keeps every weight in float32. */
    public static final double FLOAT_BITS = 32;

    private AuditCell() {
    }

    /**
     * {@return the row}
     *
     * @param dataset   the dataset's name as the audit describes it
     * @param method    how the report names the student (e.g. its file name)
     * @param quantized the student's fake-quantized form when it is quantized (its widths become
     *                  the budget and the allocation), else null (budget {@value #FLOAT_BITS})
     * @param student   the student as audited (its runtime), for the per-applicant details
     */
    public static ObjectNode row(String dataset, String method, long seed, QuantizedMlp quantized,
                                 DifferentiableClassifier teacher, DifferentiableClassifier student,
                                 AuditReport report, TeacherRecourse tr, Encoder encoder,
                                 RecourseGenerator<DifferentiableClassifier> generator) {
        ObjectNode row = Json.mapper().createObjectNode();
        row.put("dataset", dataset);
        row.put("method", method);
        row.put("budget", quantized == null ? FLOAT_BITS : quantized.averageBits());
        row.put("seed", seed);
        row.put("margin", report.request().margin());
        row.put("status", "ok");
        row.putNull("reason");
        if (quantized != null) {
            row.put("student_avg_bits", quantized.averageBits());
            ArrayNode bits = row.putArray("student_bits_per_layer");
            for (int b : quantized.bitsPerLayer()) {
                bits.add(b);
            }
            row.put("student_activations_quantized", quantized.quantizesActivations());
        }
        AuditJson.put(row, report);
        row.set("details", CellDetails.of(teacher, student, tr, encoder, generator));
        row.put("cfq_version", Provenance.CFQ_VERSION);
        return row;
    }
}
