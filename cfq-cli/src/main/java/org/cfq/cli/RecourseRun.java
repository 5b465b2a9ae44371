package org.cfq.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.experiment.RecourseMethod;
import org.cfq.experiment.Teachers;
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
 * summarize. Shared by {@code cfq recourse} and {@code cfq bench-recourse}.
 */
final class RecourseRun {
    final Encoder encoder;
    final ActionSpace space;
    final float[] factuals;
    final int[] testRows;
    final int rows;
    final int testInstances;
    RecourseBatch batch;
    RecourseValidator.Report report;
    double seconds;

    /**
     * @param modelEncoder the encoder the model was trained behind (scaling and boxes)
     * @param data         the dataset, whose schema carries the actionability in force
     * @param limit        at most this many factuals (the first ones), 0 for all
     */
    RecourseRun(Encoder modelEncoder, Mlp model, Dataset data, RecourseRequest request, int limit) {
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
        testRows = java.util.Arrays.copyOf(idx, rows);
        factuals = new float[rows * w];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, testRows[i] * w, factuals, i * w, w);
        }
    }

    void run(RecourseMethod method, Mlp model, RecourseRequest request) {
        long t0 = System.nanoTime();
        batch = method.run(space, model, factuals, rows, request);
        seconds = (System.nanoTime() - t0) / 1e9;
        report = new RecourseValidator(encoder).check(factuals, batch, request, model);
    }

    void summarize(ObjectNode o) {
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

    static void putNumber(ObjectNode o, String key, double v) {
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
    void writeCsv(Path file) throws IOException {
        FeatureSchema s = encoder.schema();
        int w = encoder.width();
        StringBuilder sb = new StringBuilder();
        sb.append("test_row");
        for (int i = 0; i < s.size(); i++) {
            sb.append(',').append(quote(s.feature(i).name()));
        }
        for (int i = 0; i < s.size(); i++) {
            sb.append(',').append(quote("cf_" + s.feature(i).name()));
        }
        sb.append(",found,cost,changed_features,margin,changes,reason\n");
        for (int r = 0; r < rows; r++) {
            sb.append(testRows[r]);
            double[] a = encoder.decodeRow(factuals, r * w);
            for (int i = 0; i < a.length; i++) {
                sb.append(',').append(quote(encoder.formatExact(i, a[i])));
            }
            RecourseResult res = batch.get(r);
            if (res instanceof RecourseResult.Found f) {
                float[] cf = f.counterfactual();
                double[] b = encoder.decodeRow(cf, 0);
                for (int i = 0; i < b.length; i++) {
                    sb.append(',').append(quote(encoder.formatExact(i, b[i])));
                }
                sb.append(",true,").append(f.cost()).append(',').append(f.changedFeatures()).append(',')
                        .append(f.margin()).append(',')
                        .append(quote(RecourseDiff.of(encoder, factuals, r * w, cf, 0).toString())).append(",\n");
            } else {
                for (int i = 0; i < s.size(); i++) {
                    sb.append(',');
                }
                sb.append(",false,,,,,").append(((RecourseResult.NotFound) res).reason().name()
                        .toLowerCase(Locale.ROOT)).append('\n');
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    private static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
