package org.cfq.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.cfq.audit.Audit;
import org.cfq.audit.AuditConfig;
import org.cfq.bounds.Neighbourhood;
import org.cfq.audit.AuditReport;
import org.cfq.audit.TeacherRecourse;
import org.cfq.data.Dataset;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.io.csv.CsvWriter;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.files.DirectoryLock;
import org.cfq.io.json.Json;
import org.cfq.io.json.RecordDirectory;
import org.cfq.io.model.SavedModel;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.provenance.Provenance;
import org.cfq.quant.QuantizedMlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.MlpTrainer;

/**
 * Runs an {@link ExperimentPlan} cell by cell and assembles its outputs.
 *
 * <p>One run at a time per directory: {@link #run()} holds a {@link DirectoryLock} on the
 * output directory, and a second run into it fails at once naming the holder.
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
public final class ExperimentRunner {
    /** The CSV columns, in order; each is a key of a row object. */
    public static final List<String> COLUMNS = List.of("dataset", "method", "budget", "target_bits",
            "student_avg_bits", "seed", "margin", "recourse_method", "factual_selection", "status", "reason",
            "factuals", "test_rows", "teacher_accuracy", "student_accuracy", "fidelity", "leniency",
            "teacher_feasible", "student_feasible", "vd", "crg", "crg_median", "crg_ratio_of_means", "crg_abs",
            "crg_pairs", "direction_cosine", "action_overlap", "teacher_margin_median", "teacher_margin_p10",
            "student_margin_median", "certified_fraction", "certified_vd_upper_bound", "transfer_certified_fraction",
            "weight_box_certified_fraction",
            "published_diagnostic_fraction_not_sound", "quantize_seconds", "teacher_recourse_seconds",
            "student_recourse_seconds", "seconds", "subgroup_vd_gap", "subgroup_crg_gap", "subgroup_fidelity_gap",
            "subgroup_leniency_gap", "subgroup_teacher_feasible_gap", "subgroup_student_feasible_gap",
            "evaluation_seconds");

    private final ExperimentPlan plan;
    private final StudentMethods methods;
    private final ExperimentListener listener;
    private final Function<ExperimentSummary, String> summaryRenderer;
    /** The command line that started the run, for the result files' provenance. */
    private String command = "cfq experiment";
    /** The recourse cost of every search of the run. */
    private CostKind cost = CostKind.L1;
    /** What this run shares with the other families of its job (null: nothing). */
    private SharedWork sharing;
    /** Each loaded dataset's training-split fingerprint, in load order. */
    private final Map<String, String> fingerprints = new java.util.LinkedHashMap<>();

    /** Counts of one run and its cells, in plan order. */
    public record Outcome(int computed, int reused, int unavailable, int failed, double seconds,
                          List<CellResult> results) {
        /** No run: nothing counted, no results (what {@link #plus} starts from). */
        public static final Outcome NONE = new Outcome(0, 0, 0, 0, 0, List.of());

        /** {@return the counts and seconds of two runs added up (the results of both, in order)} */
        public Outcome plus(Outcome o) {
            List<CellResult> all = new ArrayList<>(results);
            all.addAll(o.results);
            return new Outcome(computed + o.computed, reused + o.reused, unavailable + o.unavailable,
                    failed + o.failed, seconds + o.seconds, all);
        }

        public Outcome {
            results = List.copyOf(results);
        }
    }

    /**
     * @param methods         the registry the plan's method names are looked up in
     * @param listener        sees progress and every cell
     * @param summaryRenderer turns the summary into {@code summary.md} (e.g. cfq-report's
     *                        {@code SummaryMarkdown::render}), or null to write no summary file
     * @throws org.cfq.InvalidInputException when a method of the plan is not registered
     */
    public ExperimentRunner(ExperimentPlan plan, StudentMethods methods, ExperimentListener listener,
                            Function<ExperimentSummary, String> summaryRenderer) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.methods = Objects.requireNonNull(methods, "methods");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.summaryRenderer = summaryRenderer;
        methods.checkKnown(plan.methods());
    }

    /**
     * Sets the recourse cost of every search of the run: the audits' teacher and student searches
     * and CFQ's teacher search (default {@link CostKind#L1}). A cost other than L1 is part of each
     * cell's key ({@code _c-<kind>}), so runs under different costs can share a directory.
     */
    public ExperimentRunner withCost(CostKind kind) {
        this.cost = Objects.requireNonNull(kind, "kind");
        return this;
    }

    /** Records the command line that started this run in the result files' provenance. */
    public ExperimentRunner withCommand(String commandLine) {
        this.command = Objects.requireNonNull(commandLine, "commandLine");
        return this;
    }

    /**
     * Shares teachers, teacher recourse and finished cells with the other families of a job
     * ({@link SharedWork}); the results are those of the family run alone.
     */
    public ExperimentRunner withShared(SharedWork work) {
        this.sharing = Objects.requireNonNull(work, "work");
        return this;
    }

    /** Runs every cell. @throws IOException when an output file cannot be written */
    public Outcome run() throws IOException {
        // One writer per directory: a second run would compute the same cells, write the same
        // teachers and overwrite the results with its own rows.
        try (DirectoryLock lock = DirectoryLock.acquire(plan.out(), "experiment directory")) {
            return runLocked();
        }
    }

    private Outcome runLocked() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(plan.out().resolve("cells"));
        Files.createDirectories(plan.out().resolve("teachers"));
        if (sharing != null) {
            Files.createDirectories(sharing.teachers());
        }
        // Under the lock no one else writes here: temporary files are leftovers of a killed run.
        for (String sub : new String[] {"", "cells", "teachers"}) {
            AtomicFiles.removeLeftovers(plan.out().resolve(sub));
        }
        List<CellResult> results = new ArrayList<>();
        int computed = 0;
        int reused = 0;
        int unavailable = 0;
        int failed = 0;
        int index = 0;
        int total = plan.cells();
        for (String dataset : plan.datasets()) {
            Dataset shared = plan.splitPerSeed() ? null : load(dataset, plan.splitSeed());
            if (shared != null) {
                fingerprints.put(dataset, org.cfq.provenance.DatasetFingerprint.of(shared.train()));
            }
            for (long seed : plan.seeds()) {
                Dataset data = shared;
                if (data == null) { // the authors' protocol: a fresh split per run seed
                    data = load(dataset, plan.splitSeedFor(seed));
                    fingerprints.put(dataset + " split " + seed, org.cfq.provenance.DatasetFingerprint.of(data.train()));
                }
                Teacher teacher = null;
                Map<Double, TeacherRecourse> teacherRecourse = new HashMap<>();
                for (double margin : plan.margins()) {
                    for (String methodId : plan.methods()) {
                        StudentMethods.StudentMethod method = methods.get(methodId);
                        for (double budget : plan.budgets()) {
                            index++;
                            Cell cell = new Cell(dataset, methodId, budget, seed, margin);
                            String key = plan.cellKey(dataset, methodId, budget, seed, margin)
                                    + (cost == CostKind.L1 ? "" : "_c-" + cost.name().toLowerCase(Locale.ROOT));
                            if (method.unavailableReason().isPresent()) {
                                CellResult r = new CellResult(cell, CellResult.Status.UNAVAILABLE, false,
                                        header(cell, method).put("status", "unavailable")
                                                .put("reason", method.unavailableReason().get()));
                                results.add(r);
                                unavailable++;
                                listener.cellDone(r, index, total);
                                continue;
                            }
                            Path cellFile = plan.out().resolve("cells").resolve(key + ".json");
                            ObjectNode done = readCell(cellFile, "[" + index + "/" + total + "] " + cell.label());
                            if (done == null) {
                                done = sharedCell(key, cellFile);
                            }
                            if (done != null) {
                                CellResult r = new CellResult(cell, CellResult.Status.OK, true, done);
                                results.add(r);
                                reused++;
                                listener.cellDone(r, index, total);
                                continue;
                            }
                            listener.cellStarted(cell, index, total);
                            try {
                                if (teacher == null) {
                                    teacher = teacher(dataset, data, seed);
                                }
                                TeacherRecourse tr = teacherRecourse.get(margin);
                                if (tr == null) {
                                    Teacher t = teacher;
                                    tr = sharing == null ? teacherRecourse(t, seed, margin, dataset)
                                            : sharing.teacherRecourse(teacherRecourseKey(dataset, seed, margin),
                                                    () -> teacherRecourse(t, seed, margin, dataset));
                                    teacherRecourse.put(margin, tr);
                                }
                                ObjectNode row = cell(teacher, tr, cell, method, key);
                                AtomicFiles.writeString(cellFile, Json.mapper().writeValueAsString(row));
                                CellResult r = new CellResult(cell, CellResult.Status.OK, false, row);
                                results.add(r);
                                computed++;
                                listener.cellDone(r, index, total);
                            } catch (RuntimeException e) {
                                CellResult r = new CellResult(cell, CellResult.Status.FAILED, false,
                                        header(cell, method).put("status", "failed")
                                                .put("reason", String.valueOf(e.getMessage())));
                                results.add(r);
                                failed++;
                                listener.cellFailed(r, e, index, total);
                            }
                        }
                    }
                }
            }
            writeOutputs(results, (System.nanoTime() - t0) / 1e9, false);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeOutputs(results, seconds, true);
        return new Outcome(computed, reused, unavailable, failed, seconds, results);
    }

    /** A trained teacher and what every cell of it shares. */
    private record Teacher(TeacherContext context, org.cfq.recourse.Plausibility plausibility) {
    }

    private Dataset load(String dataset, long splitSeed) {
        listener.progress("loading " + dataset + (splitSeed == org.cfq.data.Splits.DEFAULT_SEED ? ""
                : " (split seed " + splitSeed + ")"));
        return new DatasetSource(dataset, null, null, plan.actions(), plan.dataDir(), splitSeed).load();
    }

    private Teacher teacher(String dataset, Dataset data, long seed) throws IOException {
        Path file = plan.out().resolve("teachers").resolve(plan.teacherFile(dataset, seed));
        if (sharing != null && !Files.isRegularFile(file)) {
            // one cache for every family (a family's own file, from a run before sharing, still counts)
            file = sharing.teachers().resolve(plan.teacherFile(dataset, seed));
        }
        SavedModel saved = Teachers.cached(file, data, plan.teacher().withSeed(seed),
                "cfq experiment teacher " + plan.teacher().withSeed(seed), MlpTrainer.ProgressListener.none(),
                line -> listener.progress("teacher " + dataset + " seed " + seed + ": " + line));
        Encoder enc = Teachers.withSchema(saved.encoder(), data.schema());
        ActionSpace space = Teachers.actionSpace(enc, data);
        return new Teacher(new TeacherContext(data, enc, space, saved.model(), EncodedSplits.of(enc, data),
                request(dataset, seed, 0)), Teachers.plausibility(saved.model(), enc, data, 0, seed));
    }

    /** Every setting the teacher's recourse depends on: teacher, margin, generator, factuals, cost. */
    private String teacherRecourseKey(String dataset, long seed, double margin) {
        return plan.teacherFile(dataset, seed) + "|m" + ExperimentPlan.plain(margin) + "|" + plan.recourse().id()
                + "|" + plan.recourse().settings() + "|" + plan.factuals().id() + "|n" + plan.maxFactuals() + "|"
                + cost + "|" + plan.actions();
    }

    /**
     * {@return the finished cell of this key from another family of the job, copied into this
     * family's cells, or null when none has it} The key holds every setting of the cell and its
     * seed, so it is the cell this family would compute.
     */
    private ObjectNode sharedCell(String key, Path cellFile) throws IOException {
        if (sharing == null) {
            return null;
        }
        for (Path dir : sharing.cellDirs()) {
            Path other = dir.resolve(key + ".json");
            if (other.equals(cellFile)) {
                continue;
            }
            ObjectNode row = readCell(other, null);
            if (row != null) {
                AtomicFiles.writeString(cellFile, Json.mapper().writeValueAsString(row));
                return row;
            }
        }
        return null;
    }

    private RecourseRequest request(String dataset, long seed, double margin) {
        return RecourseRequest.defaults().withCost(cost).withMargin(margin)
                .withSparsity(org.cfq.io.datasets.DatasetRegistry.builtIn().publishedSparsity(dataset))
                .withSeed(seed);
    }

    private AuditConfig auditConfig(long seed) {
        return AuditConfig.defaults().withFactuals(plan.factuals()).withMaxFactuals(plan.maxFactuals())
                .withSeed(seed);
    }

    private RecourseGenerator<DifferentiableClassifier> generator(ActionSpace space) {
        return plan.recourse().generator(space).orElseThrow(() -> new IllegalArgumentException(
                "recourse method " + plan.recourse().id() + " cannot search a quantized student"));
    }

    private TeacherRecourse teacherRecourse(Teacher t, long seed, double margin, String dataset) {
        TeacherContext c = t.context();
        TeacherRecourse tr = Audit.teacherRecourse(c.teacher(), c.splits(), generator(c.space()),
                plan.recourse().settings(), request(dataset, seed, margin), auditConfig(seed));
        listener.progress(String.format(Locale.ROOT,
                "teacher recourse %s seed %d m=%s: %d of %d factuals found (%.1f s)", dataset, seed,
                ExperimentPlan.plain(margin), tr.batch().foundCount(), tr.size(), tr.seconds()));
        return tr;
    }

    private ObjectNode cell(Teacher t, TeacherRecourse tr, Cell cell, StudentMethods.StudentMethod method,
                            String key) {
        long t0 = System.nanoTime();
        // A seed per cell, derived from the run seed and the cell's key (String.hashCode is specified).
        SplittableRandom rng = new SplittableRandom(cell.seed() * 0x9E3779B97F4A7C15L + key.hashCode());
        TeacherContext ctx = cell.margin() == 0 ? t.context()
                : t.context().withRequest(request(cell.dataset(), cell.seed(), cell.margin()));
        StudentMethods.Student made = method.train(ctx, cell.budget(), rng);
        DifferentiableClassifier student = made.model();
        double quantizeSeconds = (System.nanoTime() - t0) / 1e9;
        // A method that quantizes a float model of its own is audited against that model (as the paper does).
        org.cfq.recourse.Plausibility plausibility = t.plausibility();
        if (!made.referenceIsTeacher(ctx)) {
            tr = Audit.teacherRecourse(made.reference(), ctx.splits(), generator(ctx.space()),
                    plan.recourse().settings(), request(cell.dataset(), cell.seed(), cell.margin()),
                    auditConfig(cell.seed()));
            plausibility = Teachers.plausibility(made.reference(), ctx.encoder(), ctx.data(), 0, cell.seed());
            ctx = new TeacherContext(ctx.data(), ctx.encoder(), ctx.space(), made.reference(), ctx.splits(),
                    ctx.request());
        }
        AuditReport report = Audit.run(ctx.teacher(), student, ctx.splits(), ctx.encoder().layout(), tr,
                generator(ctx.space()),
                auditConfig(cell.seed()).withNeighbourhood(Neighbourhood.defaults(ctx.encoder())), plausibility);
        ObjectNode row = header(cell, method);
        row.put("status", "ok");
        row.putNull("reason");
        row.put("reference_model", made.note());
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
        row.set("details", CellDetails.of(ctx.teacher(), student, tr, ctx.encoder(), generator(ctx.space())));
        if (!plan.evaluations().isEmpty()) {
            long e0 = System.nanoTime();
            Evaluations.put(row, plan.evaluations(), new Evaluations.Input(cell.dataset(), ctx, student, tr,
                    generator(ctx.space()), this::generator, auditConfig(cell.seed()), rng.split()));
            row.put("evaluation_seconds", (System.nanoTime() - e0) / 1e9);
        }
        row.put("recourse_method", plan.recourse().id());
        row.put("cell_seconds", (System.nanoTime() - t0) / 1e9);
        row.put("cell_key", key);
        row.put("cfq_version", Provenance.CFQ_VERSION);
        return row;
    }

    private ObjectNode header(Cell c, StudentMethods.StudentMethod m) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("dataset", c.dataset());
        o.put("method", c.method());
        o.put("budget", c.budget());
        o.put("target_bits", m.targetBits(c.budget()));
        o.put("seed", c.seed());
        o.put("margin", c.margin());
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
            JsonNode n = Json.mapper().readTree(Files.readString(file));
            if (n instanceof ObjectNode o && "ok".equals(o.path("status").asText())) {
                String settings = o.path("recourse").path("settings").asText();
                String version = o.path("cfq_version").asText();
                // Cells from before the neighbourhood certificate hold the old meaning of certified_fraction.
                if (settings.equals(plan.recourse().settings()) && version.equals(Provenance.CFQ_VERSION)
                        && o.has("neighbourhood_certificate")) {
                    return o;
                }
                if (where != null) {
                    listener.progress(where + ": the file was computed with other recourse settings or cfq "
                        + "version (" + settings + ", cfq " + version + "): recomputing it");
                }
            }
        } catch (IOException e) {
            listener.progress("cell file " + file + " is unreadable (" + e.getMessage() + "): recomputing it");
        }
        return null;
    }

    /**
     * {@return this run's results, then every other finished cell in {@code cells/} (from runs
     * over other seeds, budgets, methods or datasets), by key}, so {@code results.*} always
     * hold the union of the finished cells, never only the last run's
     */
    private List<CellResult> withOtherFinishedCells(List<CellResult> results) throws IOException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (CellResult r : results) {
            JsonNode k = r.row().get("cell_key");
            if (k != null && !k.isNull()) {
                keys.add(k.asText());
            }
        }
        List<CellResult> all = new ArrayList<>(results);
        for (Map.Entry<String, ObjectNode> e : new RecordDirectory(plan.out().resolve("cells")).readAll().entrySet()) {
            if (!keys.contains(e.getKey()) && "ok".equals(e.getValue().path("status").asText())) {
                all.add(CellResult.fromRow(e.getValue()));
            }
        }
        return all;
    }

    private void writeOutputs(List<CellResult> planResults, double seconds, boolean last) throws IOException {
        List<CellResult> results = withOtherFinishedCells(planResults);
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode p = root.putObject("plan");
        p.putPOJO("datasets", plan.datasets());
        p.putPOJO("budgets", plan.budgets());
        p.putPOJO("methods", plan.methods());
        p.putPOJO("seeds", plan.seeds());
        p.put("recourse", plan.recourse().id());
        p.put("recourse_settings", plan.recourse().settings());
        p.putPOJO("margins", plan.margins());
        p.put("cost", cost.name().toLowerCase(Locale.ROOT));
        p.put("factuals", plan.factuals().id());
        p.put("max_factuals", plan.maxFactuals());
        p.put("actions", plan.actions());
        p.put("teacher_training", plan.teacher().toString());
        if (plan.splitPerSeed()) {
            p.put("split", "per run seed (split seed = run seed)");
        } else {
            p.put("split_seed", plan.splitSeed());
        }
        p.putPOJO("evaluations", plan.evaluations());
        root.put("cfq_version", Provenance.CFQ_VERSION);
        root.put("command", command);
        root.putPOJO("dataset_fingerprints", fingerprints);
        root.put("complete", last);
        root.put("rows_from_other_runs", results.size() - planResults.size());
        root.put("seconds", seconds);
        ArrayNode a = root.putArray("rows");
        results.forEach(r -> a.add(r.row()));
        try {
            AtomicFiles.writeString(plan.out().resolve("results.json"), Json.mapper().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeString(plan.out().resolve("results.csv"), csv(results));
        if (summaryRenderer != null) {
            AtomicFiles.writeString(plan.out().resolve("summary.md"),
                    summaryRenderer.apply(ExperimentSummary.of(plan, planResults, methods, seconds, last)));
        }
    }

    /** {@return the results as CSV text: {@link #COLUMNS}, one line per cell, empty fields for undefined values} */
    public static String csv(List<CellResult> results) {
        List<List<String>> lines = new ArrayList<>();
        for (CellResult r : results) {
            List<String> line = new ArrayList<>(COLUMNS.size());
            for (String c : COLUMNS) {
                JsonNode v = r.row().get(c);
                line.add(v == null || v.isNull() ? null : v.asText());
            }
            lines.add(line);
        }
        return CsvWriter.write(COLUMNS, lines);
    }
}
