package org.cfq.experiment;

import org.cfq.InvalidInputException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.io.csv.CsvWriter;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.model.SavedModel;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.Plausibility;
import org.cfq.recourse.RecourseDiff;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.certified.CertifiedBatch;
import org.cfq.recourse.certified.CertifiedConfig;
import org.cfq.recourse.certified.CertifiedGenerator;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.NeighbourhoodSampler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.cfq.io.json.Json;

/**
 * One recourse run on the test instances a model scores unfavorably: select the factuals, run
 * the method on the whole batch, check every counterfactual with the independent validator, and
 * summarize. Shared by {@code cfq recourse}, {@code cfq bench-recourse} and the demo.
 */
public final class RecourseRun {
    private final Encoder encoder;
    private final ActionSpace space;
    private final float[] factuals;
    private final int[] testRows;
    private final int rows;
    private final int testInstances;
    private final Table test;
    private final Dataset data;
    private RecourseBatch batch;
    private RecourseValidator.Report report;
    private double seconds;
    private Certified certified;

    /**
     * What {@link #runCertified} measured beside the batch.
     *
     * @param batch             the certified generator's output
     * @param set               the deployment set
     * @param neighbourhood     the applicant's neighbourhood
     * @param pgd               plain pgd on the teacher for the same rows
     * @param pgdSeconds        its seconds
     * @param pgdFound          rows with pgd recourse
     * @param certifiedOfPgd    of them, rows with certified recourse
     * @param meanCostCertified mean certified cost over those rows
     * @param meanCostPgd       mean pgd cost over the same rows
     * @param priceMean         mean over those rows (pgd cost > 0) of cost_certified / cost_pgd - 1
     * @param vdCertified       per deployed model, share of certified counterfactuals its runtime rejects
     * @param vdPgd             per deployed model, share of pgd counterfactuals its runtime rejects
     * @param sampled           {invalid, checked} (sample, model) pairs of the dense check, or null
     * @param holdout           models outside the set, only scored (null for none)
     * @param vdCertifiedHoldout per holdout model, share of certified counterfactuals it rejects
     * @param vdPgdHoldout      per holdout model, share of pgd counterfactuals it rejects
     */
    public record Certified(CertifiedBatch batch, DeploymentSet set, Neighbourhood neighbourhood, RecourseBatch pgd,
                            double pgdSeconds, int pgdFound, int certifiedOfPgd, double meanCostCertified,
                            double meanCostPgd, double priceMean, double[] vdCertified, double[] vdPgd,
                            long[] sampled, DeploymentSet holdout, double[] vdCertifiedHoldout,
                            double[] vdPgdHoldout) {
        /** {@return mean cost premium over plain pgd on the rows both found: ratio of means - 1} */
        public double pricePremium() {
            return meanCostCertified / meanCostPgd - 1;
        }
    }
    /** Mean yNN and LOF of the found counterfactuals (NaN when none or not measured). */
    private double[] plausibility = {Double.NaN, Double.NaN};
    /** With {@link #runCertified}: mean yNN and LOF of the plain pgd counterfactuals. */
    private double[] pgdPlausibility = {Double.NaN, Double.NaN};

    /**
     * Checks a run's options before any work.
     *
     * @param maxLof the plausibility threshold, 0 for none
     * @param limit  the factual limit, 0 for all
     * @throws InvalidInputException naming {@code --max-lof} or {@code --limit}
     */
    public static void checkOptions(double maxLof, int limit) {
        InvalidInputException.require(maxLof >= 0 && !Double.isInfinite(maxLof), "--max-lof " + maxLof,
                "must be a finite number >= 0", "Give an LOF threshold such as 1.5, or 0 to keep every counterfactual");
        InvalidInputException.require(limit >= 0, "--limit " + limit, "must be >= 0",
                "Give a count, or 0 for all instances");
    }

    /**
     * @param modelEncoder the encoder the model was trained behind (scaling and boxes)
     * @param data         the dataset, whose schema carries the actionability in force
     * @param limit        at most this many factuals (the first ones), 0 for all
     */
    public RecourseRun(Encoder modelEncoder, Mlp model, Dataset data, RecourseRequest request, int limit) {
        this.encoder = Teachers.withSchema(modelEncoder, data.schema());
        this.space = Teachers.actionSpace(encoder, data);
        this.data = data;
        this.test = data.test();
        float[] x = encoder.encode(test);
        float[] m = model.margins(x, test.rows());
        int w = encoder.width();
        int n = 0;
        int[] idx = new int[test.rows()];
        for (int r = 0; r < test.rows(); r++) {
            if (!(m[r] > request.threshold())) {
                idx[n++] = r;
            }
        }
        testInstances = test.rows();
        rows = limit > 0 ? Math.min(limit, n) : n;
        testRows = Arrays.copyOf(idx, rows);
        factuals = new float[rows * w];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, testRows[i] * w, factuals, i * w, w);
        }
    }

    /** Runs the method on every factual and checks the counterfactuals (no plausibility); returns this run. */
    public RecourseRun run(RecourseMethod method, Mlp model, RecourseRequest request) {
        return run(method, model, request, false, 0);
    }

    /**
     * Runs the method, then (when asked) scores plausibility and rejects counterfactuals whose
     * LOF exceeds {@code maxLof} (0 = keep all), then checks every counterfactual against the raw
     * test rows with the independent validator; returns this run.
     */
    public RecourseRun run(RecourseMethod method, Mlp model, RecourseRequest request, boolean plausible,
                           double maxLof) {
        return run(method, model, request, plausible, maxLof, SearchProgress.none());
    }

    /** {@link #run(RecourseMethod, Mlp, RecourseRequest, boolean, double)} reporting the search's progress. */
    public RecourseRun run(RecourseMethod method, Mlp model, RecourseRequest request, boolean plausible,
                           double maxLof, SearchProgress progress) {
        long t0 = System.nanoTime();
        batch = method.run(space, model, factuals, rows, request, progress);
        seconds = (System.nanoTime() - t0) / 1e9;
        if (plausible || maxLof > 0) {
            Plausibility p = Teachers.plausibility(model, encoder, data, request.threshold(), request.seed());
            if (maxLof > 0) {
                batch = p.require(batch, maxLof);
            }
            plausibility = p.means(batch);
        }
        double[][] raw = new double[rows][];
        for (int i = 0; i < rows; i++) {
            raw[i] = new double[test.schema().size()];
            for (int c = 0; c < raw[i].length; c++) {
                raw[i][c] = test.value(testRows[i], c);
            }
        }
        report = new RecourseValidator(encoder).check(factuals, batch, request, model, raw);
        return this;
    }

    /**
     * {@return one rejected test applicant and the change the method finds for it, in original
     * units ("test applicant #12: income 20000 -> 26000, ..."), or why there is none}
     */
    public static String example(SavedModel teacher, Dataset data, RecourseMethod method, RecourseRequest req) {
        RecourseRun run = new RecourseRun(teacher.encoder(), teacher.model(), data, req, 1);
        if (run.rows() == 0) {
            return "the teacher rejects no test applicant";
        }
        RecourseResult r = run.run(method, teacher.model(), req).batch().get(0);
        if (r instanceof RecourseResult.Found f) {
            return "test applicant #" + run.testRows[0] + ": "
                    + RecourseDiff.of(run.encoder(), run.factuals(), 0, f.counterfactual(), 0);
        }
        return "test applicant #" + run.testRows[0] + ": no recourse found (" + r + ")";
    }

    /**
     * Certified recourse on the deployment set ({@link CertifiedGenerator}), then plain pgd on the
     * teacher for the same rows (the price of robustness), the validity of both on every deployed
     * runtime, and with {@code samples > 0} the dense sampling check of every certified
     * neighbourhood ({@link NeighbourhoodSampler}: corners, step grid, {@code samples} random
     * points, scored on every runtime). Returns this run.
     */
    public RecourseRun runCertified(DeploymentSet set, Neighbourhood nb, Mlp model, RecourseRequest request,
                                    int samples) {
        return runCertified(set, nb, model, request, samples, null);
    }

    /** {@link #runCertified(DeploymentSet, Neighbourhood, Mlp, RecourseRequest, int)}, also scoring holdout models. */
    public RecourseRun runCertified(DeploymentSet set, Neighbourhood nb, Mlp model, RecourseRequest request,
                                    int samples, DeploymentSet holdout) {
        CertifiedGenerator gen = new CertifiedGenerator(space, set, nb, CertifiedConfig.defaults());
        long t0 = System.nanoTime();
        CertifiedBatch cb = gen.generateCertified(model, factuals, rows, request);
        seconds = (System.nanoTime() - t0) / 1e9;
        batch = cb.batch();
        report = new RecourseValidator(encoder).check(factuals, batch, request, model);
        long t1 = System.nanoTime();
        RecourseBatch pgd = RecourseMethods.builtIn().get("pgd").run(space, model, factuals, rows, request);
        double pgdSeconds = (System.nanoTime() - t1) / 1e9;
        double sc = 0;
        double sp = 0;
        double price = 0;
        int pgdFound = 0;
        int pairs = 0;
        int priced = 0;
        for (int i = 0; i < rows; i++) {
            if (!(pgd.get(i) instanceof RecourseResult.Found p)) {
                continue;
            }
            pgdFound++;
            if (batch.get(i) instanceof RecourseResult.Found f) {
                sc += f.cost();
                sp += p.cost();
                pairs++;
                if (p.cost() > 0) {
                    price += f.cost() / p.cost() - 1;
                    priced++;
                }
            }
        }
        Plausibility plaus = Teachers.plausibility(model, encoder, data, request.threshold(), request.seed());
        plausibility = plaus.means(batch);
        pgdPlausibility = plaus.means(pgd);
        long[] sampled = null;
        if (samples > 0) {
            sampled = NeighbourhoodSampler.countInvalid(set, nb, factuals, batch.counterfactualsOrFactuals(factuals),
                    batch.foundMask(), request.requiredMargin(), samples, request.seed());
        }
        certified = new Certified(cb, set, nb, pgd, pgdSeconds, pgdFound, pairs, pairs == 0 ? Double.NaN : sc / pairs,
                pairs == 0 ? Double.NaN : sp / pairs, priced == 0 ? Double.NaN : price / priced,
                validityDrop(set, batch, request), validityDrop(set, pgd, request), sampled, holdout,
                holdout == null ? null : validityDrop(holdout, batch, request),
                holdout == null ? null : validityDrop(holdout, pgd, request));
        return this;
    }

    /** {@return what {@link #runCertified} measured, or null after a plain run} */
    public Certified certified() {
        return certified;
    }

    /** Per deployed model, the share of found counterfactuals its runtime does not score above the margin. */
    private double[] validityDrop(DeploymentSet set, RecourseBatch b, RecourseRequest request) {
        double[] vd = new double[set.size()];
        int n = b.foundCount();
        if (n == 0) {
            Arrays.fill(vd, Double.NaN);
            return vd;
        }
        int w = encoder.width();
        float[] cfs = new float[n * w];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (b.get(i) instanceof RecourseResult.Found f) {
                f.copyTo(cfs, k++ * w);
            }
        }
        for (int m = 0; m < set.size(); m++) {
            float[] margins = set.get(m).scorer().margins(cfs, n);
            int bad = 0;
            for (float v : margins) {
                if (!(v > request.requiredMargin())) {
                    bad++;
                }
            }
            vd[m] = (double) bad / n;
        }
        return vd;
    }

    /** {@return mean yNN and LOF of the found counterfactuals, NaN when none or not measured} */
    public double[] plausibility() {
        return plausibility.clone();
    }

    /** {@return the model's encoder under the dataset's schema} */
    public Encoder encoder() {
        return encoder;
    }

    public ActionSpace space() {
        return space;
    }

    /** {@return the factuals, rows x width in model space (shared: read only)} */
    public float[] factuals() {
        return factuals;
    }

    /** {@return the test-row index of each factual} */
    public int[] testRows() {
        return testRows.clone();
    }

    /** {@return how many factuals} */
    public int rows() {
        return rows;
    }

    /** {@return the results, or null before {@link #run}} */
    public RecourseBatch batch() {
        return batch;
    }

    /** {@return the independent validator's report, or null before {@link #run}} */
    public RecourseValidator.Report report() {
        return report;
    }

    /** {@return wall-clock seconds of the search} */
    public double seconds() {
        return seconds;
    }

    /**
     * {@return the run as JSON ({@code cfq recourse --json}): the method, data, model and request, then
     * {@link #summarize the summary}, then the CSV file written, if any}
     */
    public ObjectNode json(String method, String dataset, String actions, Path model, RecourseRequest request,
                           long seed, Path out) {
        ObjectNode o = Json.mapper().createObjectNode().put("command", "recourse").put("method", method)
                .put("dataset", dataset).put("actions", actions).put("model", model.toString())
                .put("margin", request.margin()).put("threshold", request.threshold())
                .put("cost", request.cost().name().toLowerCase(Locale.ROOT)).put("sparsity", request.sparsity())
                .put("seed", seed);
        summarize(o);
        if (out != null) {
            o.put("out", out.toString());
        }
        return o;
    }

    /** Puts the run's summary (counts, rates, costs, violations, timing, reasons) into {@code o}. */
    public void summarize(ObjectNode o) {
        o.put("instances", rows);
        o.put("test_instances", testInstances);
        o.put("found", batch.foundCount());
        o.put("found_rate", batch.foundRate());
        putNumber(o, "mean_cost", batch.meanCost());
        putNumber(o, "mean_changed_features", batch.meanChangedFeatures());
        o.put("constraint_violations", report.violations().size());
        o.put("violating_counterfactuals", report.violatingRows());
        o.put("invalid_counterfactuals", report.invalid());
        putNumber(o, "median_margin", batch.medianMargin());
        putNumber(o, "mean_ynn", plausibility[0]);
        putNumber(o, "mean_lof", plausibility[1]);
        o.put("actionable_features", space.anyMutable());
        o.put("seconds", seconds);
        o.put("instances_per_second", seconds > 0 ? rows / seconds : 0);
        ObjectNode reasons = o.putObject("not_found");
        for (Map.Entry<RecourseResult.Reason, Integer> e : batch.notFoundReasons().entrySet()) {
            reasons.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
        }
        if (certified != null) {
            putCertified(o.putObject("certified"));
        }
    }

    private void putCertified(ObjectNode c) {
        Certified cr = certified;
        ArrayNode models = c.putArray("deployment_set");
        for (int m = 0; m < cr.set().size(); m++) {
            ObjectNode mo = models.addObject();
            mo.put("name", cr.set().get(m).name());
            mo.put("runtime", cr.set().get(m).runtime());
            mo.put("activations_quantized", cr.set().get(m).network().quantizesActivations());
            putNumber(mo, "vd_certified", cr.vdCertified()[m]);
            putNumber(mo, "vd_pgd", cr.vdPgd()[m]);
        }
        if (cr.holdout() != null) {
            ArrayNode ho = c.putArray("holdout");
            for (int m = 0; m < cr.holdout().size(); m++) {
                ObjectNode mo = ho.addObject();
                mo.put("name", cr.holdout().get(m).name());
                mo.put("runtime", cr.holdout().get(m).runtime());
                putNumber(mo, "vd_certified", cr.vdCertifiedHoldout()[m]);
                putNumber(mo, "vd_pgd", cr.vdPgdHoldout()[m]);
            }
        }
        ObjectNode tol = c.putObject("tolerance");
        for (int f = 0; f < encoder.schema().size(); f++) {
            if (cr.neighbourhood().tolerance(f) > 0) {
                tol.put(encoder.schema().feature(f).name(), cr.neighbourhood().tolerance(f));
            }
        }
        c.put("pgd_found", cr.pgdFound());
        putNumber(c, "pgd_mean_ynn", pgdPlausibility[0]);
        putNumber(c, "pgd_mean_lof", pgdPlausibility[1]);
        c.put("certified_of_pgd_found", cr.certifiedOfPgd());
        putNumber(c, "certified_rate_of_pgd_found", cr.pgdFound() == 0 ? Double.NaN
                : (double) cr.certifiedOfPgd() / cr.pgdFound());
        putNumber(c, "mean_cost_certified_pairs", cr.meanCostCertified());
        putNumber(c, "mean_cost_pgd_pairs", cr.meanCostPgd());
        putNumber(c, "price_of_robustness_ratio_of_means", cr.pricePremium());
        putNumber(c, "price_of_robustness_mean", cr.priceMean());
        double[] cm = cr.batch().certifiedMargin();
        double[] fm = java.util.stream.IntStream.range(0, rows).filter(i -> batch.get(i).found())
                .mapToDouble(i -> cm[i]).sorted().toArray();
        putNumber(c, "median_certified_margin", fm.length == 0 ? Double.NaN : fm[fm.length / 2]);
        putNumber(c, "min_certified_margin", fm.length == 0 ? Double.NaN : fm[0]);
        c.put("search_seconds", cr.batch().searchSeconds());
        c.put("verify_seconds", cr.batch().verifySeconds());
        c.put("pgd_seconds", cr.pgdSeconds());
        int[] att = cr.batch().attempts();
        ObjectNode attempts = c.putObject("attempts");
        for (int i = 0; i < rows; i++) {
            if (batch.get(i).found()) {
                attempts.put(String.valueOf(att[i]), attempts.path(String.valueOf(att[i])).asInt(0) + 1);
            }
        }
        if (cr.sampled() != null) {
            c.put("sampled_pairs", cr.sampled()[1]);
            c.put("sampled_invalid", cr.sampled()[0]);
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /**
     * Writes one CSV row per factual: its test row index, the factual and the counterfactual in
     * original units, found, cost, changed features, margin, the readable changes and the reason
     * when nothing was found. Values are written in full precision, so the written
     * counterfactual encodes back to the point the validator checked (the readable changes
     * column rounds for people).
     */
    public void writeCsv(Path file) throws IOException {
        FeatureSchema s = encoder.schema();
        int w = encoder.width();
        List<String> header = new ArrayList<>(List.of("test_row"));
        for (int i = 0; i < s.size(); i++) {
            header.add(s.feature(i).name());
        }
        for (int i = 0; i < s.size(); i++) {
            header.add("cf_" + s.feature(i).name());
        }
        header.addAll(List.of("found", "cost", "changed_features", "margin", "changes", "reason"));
        if (certified != null) {
            header.addAll(List.of("certified_margin", "weakest_model", "pgd_cost"));
        }
        List<List<Object>> lines = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Object> line = new ArrayList<>(header.size());
            line.add(testRows[r]);
            double[] a = encoder.decodeRow(factuals, r * w);
            for (int i = 0; i < a.length; i++) {
                line.add(encoder.formatExact(i, a[i]));
            }
            RecourseResult res = batch.get(r);
            if (res instanceof RecourseResult.Found f) {
                float[] cf = f.counterfactual();
                double[] b = encoder.decodeRow(cf, 0);
                for (int i = 0; i < b.length; i++) {
                    line.add(encoder.formatExact(i, b[i]));
                }
                line.addAll(Arrays.asList(true, f.cost(), f.changedFeatures(), f.margin(),
                        RecourseDiff.of(encoder, factuals, r * w, cf, 0).toString(), null));
            } else {
                for (int i = 0; i < s.size(); i++) {
                    line.add(null);
                }
                line.addAll(Arrays.asList(false, null, null, null, null,
                        ((RecourseResult.NotFound) res).reason().name().toLowerCase(Locale.ROOT)));
            }
            if (certified != null) {
                double cm = certified.batch().certifiedMargin()[r];
                line.add(Double.isFinite(cm) ? cm : null);
                line.add(certified.batch().weakestModel().get(r));
                line.add(certified.pgd().get(r) instanceof RecourseResult.Found p ? p.cost() : null);
            }
            lines.add(line);
        }
        AtomicFiles.writeString(file, CsvWriter.write(header, lines));
    }
}
