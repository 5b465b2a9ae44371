package org.cfq.report.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cfq.InvalidInputException;
import org.cfq.io.json.Json;

/**
 * Reads {@code DIR/results.json} as written by {@code cfq experiment --out DIR}: each row
 * through cfq-experiment's typed {@link org.cfq.experiment.CellResult} and
 * {@link org.cfq.experiment.CellMetrics}, plus the per-applicant {@code details} and the
 * bit allocation the report draws.
 */
public final class ResultsReader {
    private ResultsReader() {
    }

    /**
     * Reads an experiment directory (or a results.json file directly).
     *
     * @throws InvalidInputException naming the path and the fix when there is no readable results file
     */
    public static ExperimentResults read(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("results.json") : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dirOrFile.toString(), "no results.json found",
                    "Pass the directory given to 'cfq experiment --out DIR' after it ran");
        }
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file's permissions", e);
        }
    }

    /** Parses results JSON; {@code source} names it in messages. */
    public static ExperimentResults parse(String json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source, "not valid JSON (" + e.getOriginalMessage() + ")",
                    "Rerun the experiment; a finished run writes the file atomically", e);
        }
        JsonNode rows = root.get("rows");
        if (rows == null || !rows.isArray()) {
            throw new InvalidInputException(source, "no 'rows' array", "Pass the results.json of 'cfq experiment'");
        }
        Map<String, String> plan = new LinkedHashMap<>();
        JsonNode p = root.path("plan");
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            plan.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        Map<String, String> fp = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("dataset_fingerprints").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            fp.put(e.getKey(), e.getValue().asText());
        }
        List<CellResult> cells = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            cells.add(cell(rows.get(i), source + ", rows[" + i + "]"));
        }
        return new ExperimentResults(source, root.path("command").asText("unknown"),
                root.path("cfq_version").asText("unknown"), root.path("complete").asBoolean(false),
                root.path("seconds").asDouble(Double.NaN), plan, fp, cells);
    }

    /**
     * One audit row ({@link org.cfq.experiment.AuditCell}) as one-cell results, so the report
     * draws a single {@code cfq audit} the way it draws a grid cell.
     */
    public static ExperimentResults ofAudit(com.fasterxml.jackson.databind.node.ObjectNode row, String source,
                                            String command, Map<String, String> fingerprints) {
        return new ExperimentResults(source, command, row.path("cfq_version").asText("unknown"), true,
                row.path("seconds").asDouble(Double.NaN), Map.of(), fingerprints, List.of(cell(row, source)));
    }

    private static CellResult cell(JsonNode r, String at) {
        for (String k : List.of("dataset", "method", "budget", "seed", "status")) {
            if (!r.hasNonNull(k)) {
                throw new InvalidInputException(at, "missing field '" + k + "'",
                        "Pass the results.json of 'cfq experiment'");
            }
        }
        // the cell, its status and its metrics as cfq-experiment types them
        org.cfq.experiment.CellResult typed;
        try {
            typed = org.cfq.experiment.CellResult.fromRow((com.fasterxml.jackson.databind.node.ObjectNode) r);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new InvalidInputException(at, "not a cell row (" + e.getMessage() + ")",
                    "Pass the results.json of 'cfq experiment'", e);
        }
        org.cfq.experiment.CellMetrics cm = typed.metrics();
        Map<String, Double> metrics = new LinkedHashMap<>();
        putDefined(metrics, "vd", cm.validityDrop());
        putDefined(metrics, "crg", cm.recourseGap());
        putDefined(metrics, "crg_ratio_of_means", cm.recourseGapRatioOfMeans());
        putDefined(metrics, "student_accuracy", cm.studentAccuracy());
        putDefined(metrics, "teacher_accuracy", cm.teacherAccuracy());
        putDefined(metrics, "fidelity", cm.fidelity());
        putDefined(metrics, "leniency", cm.leniency());
        putDefined(metrics, "certified_fraction", cm.certifiedFraction());
        putDefined(metrics, "student_avg_bits", cm.studentAverageBits());
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("subgroup_") && e.getValue().isNumber()) {
                putDefined(metrics, e.getKey(), e.getValue().asDouble());
            }
        }
        // Per-group VD of the subgroups evaluation (cfq experiment --evaluations subgroups): one bar per group.
        JsonNode groups = r.path("subgroups").path("groups");
        String feature = r.path("subgroups").path("feature").asText("group");
        for (JsonNode g : groups) {
            if (g.path("vd").isNumber()) {
                putDefined(metrics, "subgroup_VD " + feature + "=" + g.path("name").asText(), g.path("vd").asDouble());
            }
        }
        List<Integer> bits = new ArrayList<>();
        for (JsonNode b : r.path("student_bits_per_layer")) {
            bits.add(b.asInt());
        }
        CellResult.Details details = null;
        JsonNode d = r.get("details");
        if (d != null && d.isObject()) {
            JsonNode m = d.path("margins_at_teacher_cf");
            double[] t = doubles(m.path("teacher"));
            double[] s = doubles(m.path("student"));
            List<CellResult.Example> ex = new ArrayList<>();
            for (JsonNode e : d.path("examples")) {
                ex.add(new CellResult.Example(e.path("test_row").asInt(), e.path("teacher_cf").asText(""),
                        e.path("teacher_margin").asDouble(Double.NaN),
                        e.path("student_margin_at_teacher_cf").asDouble(Double.NaN),
                        e.path("student_honours").asBoolean(), e.path("student_cf").asText("")));
            }
            if (t.length == s.length) {
                details = new CellResult.Details(t, s, ex);
            }
        }
        org.cfq.experiment.Cell c = typed.cell();
        return new CellResult(c.dataset(), c.method(), c.budget(), c.seed(), c.margin(), typed.status().id(), metrics,
                bits, details);
    }

    private static void putDefined(Map<String, Double> m, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
