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
import org.cfq.io.files.AtomicFiles;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseDiff;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.RecourseResult;
import org.cfq.recourse.RecourseValidator;
import org.cfq.recourse.certified.CertifiedBatch;
import org.cfq.recourse.certified.CertifiedConfig;
import org.cfq.recourse.certified.CertifiedGenerator;
import org.cfq.bounds.DeployedModel;
import org.cfq.bounds.DeploymentSet;
import org.cfq.bounds.Neighbourhood;
import org.cfq.bounds.NeighbourhoodSampler;
import com.fasterxml.jackson.databind.node.ArrayNode;

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
    /** Set by {@link #runCertified}: the certified batch, its deployment set and the plain pgd comparison. */
    CertifiedBatch certified;
    DeploymentSet deployed;
    Neighbourhood neighbourhood;
    RecourseBatch pgd;
    int pgdFound;
    int certifiedOfPgd;
    double pairCostCertified;
    double pairCostPgd;
    double pricePerInstance;
    double pgdSeconds;
    double[] vdCertified;
    double[] vdPgd;
    long[] sampled;

    /**
     * @param modelEncoder the encoder the model was trained behind (scaling and boxes)
     * @param data         the dataset, whose schema carries the actionability in force
     * @param limit        at most this many factuals (the first ones), 0 for all
     */
    RecourseRun(Encoder modelEncoder, Mlp model, Dataset data, RecourseRequest request, int limit) {
        this.encoder = AuditSetup.withSchema(modelEncoder, data.schema());
        this.space = AuditSetup.actionSpace(encoder, data);
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

    /**
     * Certified recourse on the deployment set, then plain pgd on the teacher for the same rows
     * (the price of robustness), the validity of both on every deployed runtime, and optionally
     * the dense sampling check of every certified neighbourhood.
     */
    void runCertified(DeploymentSet set, Neighbourhood nb, Mlp model, RecourseRequest request, int samples) {
        this.deployed = set;
        this.neighbourhood = nb;
        CertifiedGenerator gen = new CertifiedGenerator(space, set, nb, CertifiedConfig.defaults());
        long t0 = System.nanoTime();
        certified = gen.generateCertified(model, factuals, rows, request);
        seconds = (System.nanoTime() - t0) / 1e9;
        batch = certified.batch();
        report = new RecourseValidator(encoder).check(factuals, batch, request, model);
        long t1 = System.nanoTime();
        pgd = RecourseMethod.PGD.run(space, model, factuals, rows, request);
        pgdSeconds = (System.nanoTime() - t1) / 1e9;
        double sc = 0;
        double sp = 0;
        double price = 0;
        int pairs = 0;
        int priced = 0;
        for (int i = 0; i < rows; i++) {
            if (!pgd.get(i).found()) {
                continue;
            }
            pgdFound++;
            if (batch.get(i) instanceof RecourseResult.Found f) {
                certifiedOfPgd++;
                double cp = ((RecourseResult.Found) pgd.get(i)).cost();
                sc += f.cost();
                sp += cp;
                pairs++;
                if (cp > 0) {
                    price += f.cost() / cp - 1;
                    priced++;
                }
            }
        }
        pairCostCertified = pairs == 0 ? Double.NaN : sc / pairs;
        pairCostPgd = pairs == 0 ? Double.NaN : sp / pairs;
        pricePerInstance = priced == 0 ? Double.NaN : price / priced;
        vdCertified = validityDrop(set, batch, request);
        vdPgd = validityDrop(set, pgd, request);
        if (samples > 0) {
            float[] cfs = batch.counterfactualsOrFactuals(factuals);
            sampled = NeighbourhoodSampler.countInvalid(set, nb, factuals, cfs, batch.foundMask(),
                    request.requiredMargin(), samples, request.seed());
        }
    }

    /** {@return mean cost premium of certified over pgd on rows both found: ratio of means - 1} */
    double pricePremium() {
        return pairCostCertified / pairCostPgd - 1;
    }

    String deployedLabels() {
        return deployed.models().stream().map(DeployedModel::label).toList().toString();
    }

    /** Per deployed model, the share of found counterfactuals its runtime does not score above the margin. */
    private double[] validityDrop(DeploymentSet set, RecourseBatch b, RecourseRequest request) {
        double[] vd = new double[set.size()];
        int n = b.foundCount();
        float[] cfs = new float[n * encoder.width()];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (b.get(i) instanceof RecourseResult.Found f) {
                f.copyTo(cfs, k++ * encoder.width());
            }
        }
        for (int m = 0; m < set.size() && n > 0; m++) {
            float[] margins = set.get(m).scorer().margins(cfs, n);
            int bad = 0;
            for (float v : margins) {
                if (!(v > request.requiredMargin())) {
                    bad++;
                }
            }
            vd[m] = (double) bad / n;
        }
        if (n == 0) {
            java.util.Arrays.fill(vd, Double.NaN);
        }
        return vd;
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
        if (certified != null) {
            ObjectNode c = o.putObject("certified");
            ArrayNode models = c.putArray("deployment_set");
            for (int m = 0; m < deployed.size(); m++) {
                ObjectNode mo = models.addObject();
                mo.put("name", deployed.get(m).name());
                mo.put("runtime", deployed.get(m).runtime());
                mo.put("activations_quantized", deployed.get(m).network().quantizesActivations());
                putNumber(mo, "vd_certified", vdCertified[m]);
                putNumber(mo, "vd_pgd", vdPgd[m]);
            }
            ObjectNode tol = c.putObject("tolerance");
            for (int f = 0; f < encoder.schema().size(); f++) {
                if (neighbourhood.tolerance(f) > 0) {
                    tol.put(encoder.schema().feature(f).name(), neighbourhood.tolerance(f));
                }
            }
            c.put("pgd_found", pgdFound);
            c.put("certified_of_pgd_found", certifiedOfPgd);
            putNumber(c, "certified_rate_of_pgd_found", pgdFound == 0 ? Double.NaN
                    : (double) certifiedOfPgd / pgdFound);
            putNumber(c, "mean_cost_certified_pairs", pairCostCertified);
            putNumber(c, "mean_cost_pgd_pairs", pairCostPgd);
            putNumber(c, "price_of_robustness_ratio_of_means", pricePremium());
            putNumber(c, "price_of_robustness_mean", pricePerInstance);
            double[] cm = certified.certifiedMargin();
            double[] fm = java.util.stream.IntStream.range(0, rows).filter(i -> batch.get(i).found())
                    .mapToDouble(i -> cm[i]).sorted().toArray();
            putNumber(c, "median_certified_margin", fm.length == 0 ? Double.NaN : fm[fm.length / 2]);
            putNumber(c, "min_certified_margin", fm.length == 0 ? Double.NaN : fm[0]);
            c.put("search_seconds", certified.searchSeconds());
            c.put("verify_seconds", certified.verifySeconds());
            c.put("pgd_seconds", pgdSeconds);
            int[] att = certified.attempts();
            ObjectNode attempts = c.putObject("attempts");
            for (int i = 0; i < rows; i++) {
                if (batch.get(i).found()) {
                    attempts.put(String.valueOf(att[i]), attempts.path(String.valueOf(att[i])).asInt(0) + 1);
                }
            }
            if (sampled != null) {
                c.put("sampled_pairs", sampled[1]);
                c.put("sampled_invalid", sampled[0]);
            }
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
     * when nothing was found.
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
                sb.append(',').append(quote(encoder.format(i, a[i])));
            }
            RecourseResult res = batch.get(r);
            if (res instanceof RecourseResult.Found f) {
                float[] cf = f.counterfactual();
                double[] b = encoder.decodeRow(cf, 0);
                for (int i = 0; i < b.length; i++) {
                    sb.append(',').append(quote(encoder.format(i, b[i])));
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
