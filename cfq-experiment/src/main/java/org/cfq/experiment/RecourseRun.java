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
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
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
    private RecourseBatch batch;
    private RecourseValidator.Report report;
    private double seconds;

    /**
     * @param modelEncoder the encoder the model was trained behind (scaling and boxes)
     * @param data         the dataset, whose schema carries the actionability in force
     * @param limit        at most this many factuals (the first ones), 0 for all
     */
    public RecourseRun(Encoder modelEncoder, Mlp model, Dataset data, RecourseRequest request, int limit) {
        this.encoder = Teachers.withSchema(modelEncoder, data.schema());
        this.space = Teachers.actionSpace(encoder, data);
        Table test = data.test();
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

    /** Runs the method on every factual and checks the counterfactuals; returns this run. */
    public RecourseRun run(RecourseMethod method, Mlp model, RecourseRequest request) {
        long t0 = System.nanoTime();
        batch = method.run(space, model, factuals, rows, request);
        seconds = (System.nanoTime() - t0) / 1e9;
        report = new RecourseValidator(encoder).check(factuals, batch, request, model);
        return this;
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
            lines.add(line);
        }
        AtomicFiles.writeString(file, CsvWriter.write(header, lines));
    }
}
