package org.cfq.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one cell: measured (now or by an earlier run), unavailable (the method is not
 * in this build) or failed (with the reason), with its typed metrics and the row the result
 * files hold.
 */
public final class CellResult {
    /** A cell's status, as the result files spell it. */
    public enum Status {
        OK, UNAVAILABLE, FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Cell cell;
    private final Status status;
    private final boolean reused;
    private final ObjectNode row;
    private final CellMetrics metrics;

    CellResult(Cell cell, Status status, boolean reused, ObjectNode row) {
        this.cell = Objects.requireNonNull(cell, "cell");
        this.status = Objects.requireNonNull(status, "status");
        this.reused = reused;
        this.row = Objects.requireNonNull(row, "row");
        this.metrics = CellMetrics.of(row);
    }

    /**
     * {@return the result a row of {@code results.json} or a cell file holds} Its status is the
     * row's ({@code ok}, {@code unavailable} or {@code failed}); it counts as reused.
     *
     * @throws IllegalArgumentException when the row has no known status
     */
    public static CellResult fromRow(ObjectNode row) {
        Cell cell = new Cell(row.path("dataset").asText(), row.path("method").asText(),
                row.path("budget").asDouble(), row.path("seed").asLong(), row.path("margin").asDouble());
        Status status = Status.valueOf(row.path("status").asText().toUpperCase(Locale.ROOT));
        return new CellResult(cell, status, true, row.deepCopy());
    }

    public Cell cell() {
        return cell;
    }

    public Status status() {
        return status;
    }

    /** {@return true when the cell was read back from an earlier run's file, not computed now} */
    public boolean reused() {
        return reused;
    }

    /** {@return why the cell was not measured, or empty} */
    public Optional<String> reason() {
        JsonNode r = row.get("reason");
        return r == null || r.isNull() ? Optional.empty() : Optional.of(r.asText());
    }

    /** {@return the measured numbers (all NaN unless the status is OK)} */
    public CellMetrics metrics() {
        return metrics;
    }

    /** {@return the weight bits the method targets at the cell's budget} */
    public double targetBits() {
        return row.path("target_bits").asDouble(Double.NaN);
    }

    /** {@return a copy of the row as results.json holds it (with the certificate, diagnostic and settings)} */
    public ObjectNode json() {
        return row.deepCopy();
    }

    ObjectNode row() {
        return row;
    }

    /** {@return one line for a person: the key numbers, or what happened} */
    public String describe() {
        if (status == Status.UNAVAILABLE) {
            return "unavailable (" + reason().orElse("") + ")";
        }
        if (status == Status.FAILED) {
            return "FAILED: " + reason().orElse("");
        }
        if (reused) {
            return "done earlier, reused";
        }
        // an undefined VD (no factual had a teacher counterfactual) is null in the row: "n/a", not 0
        return String.format(Locale.ROOT, "acc %.4f fid %.4f len %.4f VD %s CRG %s cert %s (%.1f s)",
                row.get("student_accuracy").asDouble(), row.get("fidelity").asDouble(),
                row.get("leniency").asDouble(), text("vd"), text("crg_ratio_of_means"),
                text("certified_fraction"), row.get("cell_seconds").asDouble())
                + (row.hasNonNull("reference_model") && !"teacher".equals(row.get("reference_model").asText())
                ? " [reference: " + row.get("reference_model").asText() + "]" : "");
    }

    private String text(String key) {
        JsonNode n = row.get(key);
        return n == null || n.isNull() ? "n/a" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }
}
