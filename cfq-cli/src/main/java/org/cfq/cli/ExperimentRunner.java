package org.cfq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.cfq.InvalidInputException;
import org.cfq.audit.Audit;
import org.cfq.audit.AuditConfig;
import org.cfq.bounds.Neighbourhood;
import org.cfq.audit.AuditReport;
import org.cfq.audit.TeacherRecourse;
import org.cfq.data.Dataset;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;

/**
 * Runs an {@link ExperimentPlan} cell by cell and assembles its outputs.
 *
 * <p>Resumable: each finished cell is written atomically to {@code cells/KEY.json} before
 * the next starts, and a cell whose file exists is read back instead of recomputed, so a
 * killed run started again with the same arguments loses at most the cell in flight.
 * Teachers are cached as model files in {@code teachers/}. The teacher's recourse depends
 * only on the teacher and the margin, so it is computed once per dataset, seed and margin
 * and shared by every method and budget. The assembled {@code results.json},
 * {@code results.csv} and {@code summary.md} are rewritten (atomically) after each dataset
 * and at the end.
 */
final class ExperimentRunner {
    /** The CSV columns, in order; each is a key of a row object. */
    static final List<String> COLUMNS = List.of("dataset", "method", "budget", "target_bits", "student_avg_bits",
            "seed", "margin", "recourse_method", "factual_selection", "status", "reason", "factuals", "test_rows",
            "teacher_accuracy", "student_accuracy", "fidelity", "leniency", "teacher_feasible", "student_feasible",
            "vd", "crg", "crg_median", "crg_ratio_of_means", "crg_abs", "crg_pairs", "direction_cosine",
            "action_overlap", "teacher_margin_median", "teacher_margin_p10", "student_margin_median",
            "certified_fraction", "certified_vd_upper_bound", "transfer_certified_fraction",
            "weight_box_certified_fraction", "published_diagnostic_fraction_not_sound",
            "quantize_seconds", "teacher_recourse_seconds", "student_recourse_seconds", "seconds");

    private final ExperimentPlan plan;
    private final Map<String, StudentMethods.StudentMethod> registry;
    private final PrintWriter err;

    /** Counts of one run, for the caller's summary line. */
    record Outcome(int computed, int reused, int unavailable, int failed, double seconds, List<ObjectNode> rows) {
    }

    ExperimentRunner(ExperimentPlan plan, Map<String, StudentMethods.StudentMethod> registry, PrintWriter err) {
        this.plan = plan;
        this.registry = registry;
        this.err = err;
        for (String m : plan.methods()) {
            if (!registry.containsKey(m)) {
                throw new InvalidInputException("--methods " + String.join(",", plan.methods()),
                        "unknown method '" + m + "'", "Use some of " + String.join(", ", registry.keySet()));
            }
        }
    }

    Outcome run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(plan.out().resolve("cells"));
        Files.createDirectories(plan.out().resolve("teachers"));
        List<ObjectNode> rows = new ArrayList<>();
        int computed = 0;
        int reused = 0;
        int unavailable = 0;
        int failed = 0;
        int index = 0;
        int total = plan.cells();
        for (String dataset : plan.datasets()) {
            Dataset data = load(dataset);
            for (long seed : plan.seeds()) {
                Teacher teacher = null;
                Map<Double, TeacherRecourse> teacherRecourse = new HashMap<>();
                for (double margin : plan.margins()) {
                    for (String methodId : plan.methods()) {
                        StudentMethods.StudentMethod method = registry.get(methodId);
                        for (double budget : plan.budgets()) {
                            index++;
                            String key = plan.cellKey(dataset, methodId, budget, seed, margin);
                            String where = String.format(Locale.ROOT, "[%d/%d] %s %s B=%s seed=%d m=%s", index,
                                    total, dataset, methodId, ExperimentPlan.plain(budget), seed,
                                    ExperimentPlan.plain(margin));
                            if (method.unavailableReason().isPresent()) {
                                rows.add(header(dataset, methodId, budget, seed, margin, method)
                                        .put("status", "unavailable")
                                        .put("reason", method.unavailableReason().get()));
                                unavailable++;
                                progress(where + ": unavailable (" + method.unavailableReason().get() + ")");
                                continue;
                            }
                            Path cellFile = plan.out().resolve("cells").resolve(key + ".json");
                            ObjectNode done = readCell(cellFile, where);
                            if (done != null) {
                                rows.add(done);
                                reused++;
                                progress(where + ": done earlier, reused");
                                continue;
                            }
                            try {
                                if (teacher == null) {
                                    teacher = teacher(dataset, data, seed);
                                }
                                TeacherRecourse tr = teacherRecourse.get(margin);
                                if (tr == null) {
                                    tr = teacherRecourse(teacher, seed, margin, dataset);
                                    teacherRecourse.put(margin, tr);
                                }
                                ObjectNode row = cell(teacher, tr, dataset, method, budget, seed, margin, key);
                                AtomicFiles.writeString(cellFile, JsonOutput.mapper().writeValueAsString(row));
                                rows.add(row);
                                computed++;
                                progress(String.format(Locale.ROOT,
                                        "%s: acc %.4f fid %.4f len %.4f VD %.4f CRG %s cert %s (%.1f s)", where,
                                        row.get("student_accuracy").asDouble(), row.get("fidelity").asDouble(),
                                        row.get("leniency").asDouble(), row.get("vd").asDouble(),
                                        text(row, "crg_ratio_of_means"), text(row, "certified_fraction"),
                                        row.get("cell_seconds").asDouble()));
                            } catch (RuntimeException e) {
                                rows.add(header(dataset, methodId, budget, seed, margin, method)
                                        .put("status", "failed").put("reason", String.valueOf(e.getMessage())));
                                failed++;
                                progress(where + ": FAILED: " + e);
                            }
                        }
                    }
                }
            }
            writeOutputs(rows, (System.nanoTime() - t0) / 1e9, false);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeOutputs(rows, seconds, true);
        return new Outcome(computed, reused, unavailable, failed, seconds, rows);
    }

    /** A trained teacher and what every cell of it shares. */
    private record Teacher(Mlp model, Encoder encoder, ActionSpace space, QuantizeContext context, float[] testX,
                           int[] testY) {
    }

    private Dataset load(String dataset) {
        DatasetOptions o = new DatasetOptions();
        o.dataset = dataset;
        o.dataDir = plan.dataDir();
        o.actions = plan.actions();
        progress("loading " + dataset);
        return o.load();
    }

    private Teacher teacher(String dataset, Dataset data, long seed) throws IOException {
        Path file = plan.out().resolve("teachers").resolve(plan.teacherFile(dataset, seed));
        SavedModel saved;
        if (Files.isRegularFile(file)) {
            saved = ModelFile.read(file, data.schema());
            progress("teacher " + dataset + " seed " + seed + ": reusing " + file);
        } else {
            Encoder enc = Encoder.fit(data.train(), Scaling.STANDARD);
            TrainingConfig tc = plan.teacher().withSeed(seed);
            long t0 = System.nanoTime();
            Mlp net = new MlpTrainer(tc).train(enc.encode(data.train()), data.train().labels(),
                    enc.encode(data.validation()), data.validation().labels()).model();
            Provenance p = Provenance.of(seed, "cfq experiment teacher " + tc, DatasetFingerprint.of(data.train()),
                    Instant.now());
            saved = new SavedModel(net, enc, tc, p);
            ModelFile.write(file, saved);
            progress(String.format(Locale.ROOT, "teacher %s seed %d: trained in %.1f s, saved to %s", dataset, seed,
                    (System.nanoTime() - t0) / 1e9, file));
        }
        Encoder enc = AuditSetup.withSchema(saved.encoder(), data.schema());
        ActionSpace space = AuditSetup.actionSpace(enc, data);
        RecourseRequest request = request(dataset, seed, 0);
        QuantizeContext ctx = new QuantizeContext(data, enc, space, saved.model(), enc.encode(data.train()),
                data.train().labels(), enc.encode(data.validation()), data.validation().labels(), request);
        return new Teacher(saved.model(), enc, space, ctx, enc.encode(data.test()), data.test().labels());
    }

    private RecourseRequest request(String dataset, long seed, double margin) {
        return RecourseRequest.defaults().withMargin(margin).withSparsity(RecourseMethod.publishedSparsity(dataset))
                .withSeed(seed);
    }

    private AuditConfig auditConfig(long seed) {
        return AuditConfig.defaults().withFactuals(plan.factuals()).withMaxFactuals(plan.maxFactuals())
                .withSeed(seed);
    }

    private TeacherRecourse teacherRecourse(Teacher t, long seed, double margin, String dataset) {
        RecourseGenerator<DifferentiableClassifier> gen = plan.recourse().generator(t.space());
        TeacherRecourse tr = Audit.teacherRecourse(t.model(), t.testX(), t.testY().length, gen,
                plan.recourse().settings(), request(dataset, seed, margin), auditConfig(seed));
        progress(String.format(Locale.ROOT, "teacher recourse %s seed %d m=%s: %d of %d factuals found (%.1f s)",
                dataset, seed, ExperimentPlan.plain(margin), tr.batch().foundCount(), tr.size(), tr.seconds()));
        return tr;
    }

    private ObjectNode cell(Teacher t, TeacherRecourse tr, String dataset, StudentMethods.StudentMethod method,
                            double budget, long seed, double margin, String key) {
        long t0 = System.nanoTime();
        // A seed per cell, derived from the run seed and the cell's key (String.hashCode is specified).
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
        QuantizeContext ctx = margin == 0 ? t.context() : new QuantizeContext(t.context().data, t.encoder(),
                t.space(), t.model(), t.context().trainX, t.context().trainY, t.context().valX, t.context().valY,
                request(dataset, seed, margin));
        DifferentiableClassifier student = method.quantize(ctx, budget, rng);
        double quantizeSeconds = (System.nanoTime() - t0) / 1e9;
        AuditReport report = Audit.run(t.model(), student, t.testX(), t.testY(), t.encoder().layout(), tr,
                plan.recourse().generator(t.space()),
                auditConfig(seed).withNeighbourhood(Neighbourhood.defaults(t.encoder())));
        ObjectNode row = header(dataset, method.id(), budget, seed, margin, method);
        row.put("status", "ok");
        row.putNull("reason");
        if (student instanceof QuantizedMlp q) {
            row.put("student_avg_bits", q.averageBits());
            ArrayNode bits = row.putArray("student_bits_per_layer");
            for (int b : q.bitsPerLayer()) {
                bits.add(b);
            }
            row.put("student_activations_quantized", q.quantizesActivations());
        }
        row.put("quantize_seconds", quantizeSeconds);
        AuditJson.put(row, report);
        row.put("recourse_method", plan.recourse().id());
        row.put("cell_seconds", (System.nanoTime() - t0) / 1e9);
        row.put("cell_key", key);
        row.put("cfq_version", Provenance.CFQ_VERSION);
        return row;
    }

    private ObjectNode header(String dataset, String method, double budget, long seed, double margin,
                              StudentMethods.StudentMethod m) {
        ObjectNode o = JsonOutput.object();
        o.put("dataset", dataset);
        o.put("method", method);
        o.put("budget", budget);
        o.put("target_bits", m.targetBits(budget));
        o.put("seed", seed);
        o.put("margin", margin);
        o.put("recourse_method", plan.recourse().id());
        o.put("factual_selection", plan.factuals().id());
        return o;
    }

    /**
     * {@return the cell's row when its file holds a finished cell computed with the same
     * recourse settings and cfq version, else null (it is then recomputed)} The key names the
     * settings a user chooses; this check also catches a changed default of the generator.
     */
    private ObjectNode readCell(Path file, String where) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JsonOutput.mapper().readTree(Files.readString(file));
            if (n instanceof ObjectNode o && "ok".equals(o.path("status").asText())) {
                String settings = o.path("recourse").path("settings").asText();
                String version = o.path("cfq_version").asText();
                // Cells from before the neighbourhood certificate hold the old meaning of certified_fraction.
                if (settings.equals(plan.recourse().settings()) && version.equals(Provenance.CFQ_VERSION)
                        && o.has("neighbourhood_certificate")) {
                    return o;
                }
                progress(where + ": the file was computed with other recourse settings or cfq version ("
                        + settings + ", cfq " + version + "): recomputing it");
            }
        } catch (IOException e) {
            progress("cell file " + file + " is unreadable (" + e.getMessage() + "): recomputing it");
        }
        return null;
    }

    private void writeOutputs(List<ObjectNode> rows, double seconds, boolean last) throws IOException {
        ObjectNode root = JsonOutput.object();
        ObjectNode p = root.putObject("plan");
        p.putPOJO("datasets", plan.datasets());
        p.putPOJO("budgets", plan.budgets());
        p.putPOJO("methods", plan.methods());
        p.putPOJO("seeds", plan.seeds());
        p.put("recourse", plan.recourse().id());
        p.put("recourse_settings", plan.recourse().settings());
        p.putPOJO("margins", plan.margins());
        p.put("factuals", plan.factuals().id());
        p.put("max_factuals", plan.maxFactuals());
        p.put("actions", plan.actions());
        p.put("teacher_training", plan.teacher().toString());
        root.put("cfq_version", Provenance.CFQ_VERSION);
        root.put("complete", last);
        root.put("seconds", seconds);
        ArrayNode a = root.putArray("rows");
        rows.forEach(a::add);
        try {
            AtomicFiles.writeString(plan.out().resolve("results.json"), JsonOutput.mapper().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(plan.out().resolve("results.csv"), csv(rows));
        AtomicFiles.writeString(plan.out().resolve("summary.md"),
                ExperimentSummary.render(plan, rows, registry, seconds, last));
    }

    static String csv(List<ObjectNode> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (ObjectNode r : rows) {
            for (int c = 0; c < COLUMNS.size(); c++) {
                if (c > 0) {
                    sb.append(',');
                }
                JsonNode v = r.get(COLUMNS.get(c));
                if (v != null && !v.isNull()) {
                    sb.append(quote(v.asText()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private static String text(ObjectNode row, String key) {
        JsonNode n = row.get(key);
        return n == null || n.isNull() ? "n/a" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }

    private void progress(String line) {
        err.println("cfq experiment: " + line);
        err.flush();
    }
}
