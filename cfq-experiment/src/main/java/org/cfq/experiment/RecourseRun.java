package org.cfq.experiment;

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
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;

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
    /** Mean yNN and LOF of the found counterfactuals (NaN when none or not measured). */
    private double[] plausibility = {Double.NaN, Double.NaN};

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
        long t0 = System.nanoTime();
        batch = method.run(space, model, factuals, rows, request);
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
     * when nothing was found.
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
        List<List<Object>> lines = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<Object> line = new ArrayList<>(header.size());
            line.add(testRows[r]);
            double[] a = encoder.decodeRow(factuals, r * w);
            for (int i = 0; i < a.length; i++) {
                line.add(encoder.format(i, a[i]));
            }
            RecourseResult res = batch.get(r);
            if (res instanceof RecourseResult.Found f) {
                float[] cf = f.counterfactual();
                double[] b = encoder.decodeRow(cf, 0);
                for (int i = 0; i < b.length; i++) {
                    line.add(encoder.format(i, b[i]));
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
            lines.add(line);
        }
        AtomicFiles.writeString(file, CsvWriter.write(header, lines));
    }
}
