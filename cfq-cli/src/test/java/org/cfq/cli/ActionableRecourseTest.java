package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bar of issue #11, checked from the outside: every method's CSV output under
 * {@code --actions realistic} is read back and every natural rule is re-checked from the raw
 * test rows and the schema's natural-domain declarations, with code of this test only (no
 * projector, action space or validator).
 */
class ActionableRecourseTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CfqCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The broken rules of a recourse CSV, re-checked from the raw test rows; also the found count. */
    record Check(int found, List<String> broken) {
    }

    static Check check(Path csv, Dataset realistic) throws Exception {
        FeatureSchema s = realistic.schema();
        List<String> broken = new ArrayList<>();
        int found = 0;
        try (Reader r = Files.newBufferedReader(csv);
             CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .build())) {
            for (CSVRecord rec : p) {
                if (!"true".equals(rec.get("found"))) {
                    continue;
                }
                found++;
                int row = Integer.parseInt(rec.get("test_row"));
                double[] before = new double[s.size()];
                double[] after = new double[s.size()];
                String at = "test row " + row + ": ";
                for (int i = 0; i < s.size(); i++) {
                    FeatureSpec f = s.feature(i);
                    double raw = realistic.test().value(row, i);
                    String factual = rec.get(f.name());
                    String cf = rec.get("cf_" + f.name());
                    if (f.kind().hasLevels()) {
                        if (!factual.equals(f.levels().get((int) raw))) {
                            broken.add(at + f.name() + " factual '" + factual + "' is not the raw row's");
                        }
                        after[i] = f.levelIndex(cf);
                        if (after[i] < 0) {
                            broken.add(at + f.name() + " '" + cf + "' is no level");
                            continue;
                        }
                    } else if (f.step() > 0) {
                        // a stepped value is written exactly
                        if (Double.parseDouble(factual) != raw) {
                            broken.add(at + f.name() + " factual " + factual + " is not the raw " + raw);
                        }
                        after[i] = Double.parseDouble(cf);
                    } else {
                        // a continuous value (no step) is written rounded: compare the cells
                        double fv = Double.parseDouble(factual);
                        if (Math.abs(fv - raw) > 1e-3 * Math.max(1, Math.abs(raw))) {
                            broken.add(at + f.name() + " factual " + factual + " is not the raw " + raw);
                        }
                        after[i] = cf.equals(factual) ? raw : Double.parseDouble(cf);
                    }
                    before[i] = raw;
                    boolean changed = after[i] != raw;
                    if (!changed) {
                        continue;
                    }
                    String move = f.name() + " " + factual + " -> " + cf;
                    if (f.actionability() == Actionability.IMMUTABLE) {
                        broken.add(at + "immutable " + move);
                    }
                    if (f.kind() != org.cfq.data.FeatureKind.CATEGORICAL
                            && (f.actionability() == Actionability.INCREASE_ONLY && after[i] < raw
                            || f.actionability() == Actionability.DECREASE_ONLY && after[i] > raw)) {
                        broken.add(at + "monotone " + move);
                    }
                    NaturalDomain d = f.natural();
                    if (d == null) {
                        continue;
                    }
                    if (d.isNumeric()) {
                        if (after[i] < d.min() || after[i] > d.max()) {
                            broken.add(at + "outside the natural range: " + move);
                        }
                        double st = f.step();
                        if (st > 0 && after[i] / st != Math.rint(after[i] / st)) {
                            broken.add(at + "off the step " + st + ": " + move);
                        }
                    } else if (d.notTargets().contains(cf)
                            || d.forbidden().contains(new NaturalDomain.Transition(factual, cf))) {
                        broken.add(at + "forbidden " + move);
                    }
                }
                for (ConsistencyRule rule : s.rules()) {
                    int a = s.indexOf(rule.ifFeature());
                    int b = s.indexOf(rule.thenFeature());
                    boolean changed = after[a] != before[a] || after[b] != before[b];
                    if (changed && !rule.holds(s.feature(a).levels().get((int) after[a]),
                            s.feature(b).levels().get((int) after[b]))) {
                        broken.add(at + "inconsistent: " + rule);
                    }
                }
            }
        }
        return new Check(found, broken);
    }

    private static Dataset realistic(String name) {
        return DatasetRegistry.builtIn().load(name, ActionPreset.REALISTIC, DataDirectory.resolve(null),
                Downloader.standard(), false);
    }

    /** Runs one method with the realistic default, checks its JSON and its CSV read back; returns the found rate. */
    private static double runAndCheck(Path dir, String dataset, Path model, String method, int limit)
            throws Exception {
        Path csv = dir.resolve(dataset + "-" + method + ".csv");
        Run r = run("recourse", "--dataset", dataset, "--model", model.toString(), "--method", method, "--limit",
                Integer.toString(limit), "--json", "--out", csv.toString());
        assertThat(r.exit()).as(dataset + " " + method + ": " + r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("actions").asText()).isEqualTo("realistic");
        assertThat(o.get("constraint_violations").asInt()).as(dataset + " " + method).isZero();
        Check c = check(csv, realistic(dataset));
        assertThat(c.broken()).as(dataset + " " + method + " CSV read back").isEmpty();
        assertThat(c.found()).isEqualTo(o.get("found").asInt());
        if (c.found() > 0) {
            assertThat(o.get("mean_ynn").asDouble()).isBetween(0.0, 1.0);
            assertThat(o.get("mean_lof").asDouble()).isPositive();
        }
        return o.get("found_rate").asDouble();
    }

    @Test
    void recourse_syntheticRealisticEveryMethod_csvReadBackBreaksNoNaturalRule(@TempDir Path dir) throws Exception {
        Path mlp = RecourseCommandTest.teacher(dir, "synthetic", List.of(16), 20);
        for (String m : List.of("pgd", "wachter", "growing-spheres", "diverse")) {
            assertThat(runAndCheck(dir, "synthetic", mlp, m, 150)).as(m).isGreaterThan(0.5);
        }
        Path lr = RecourseCommandTest.teacher(dir, "synthetic", List.of(), 20);
        assertThat(runAndCheck(dir, "synthetic", lr, "linear-exact", 0)).isGreaterThan(0.5);
    }

    @Test
    void recourse_realDatasetsRealisticEveryMethod_csvReadBackBreaksNoNaturalRule(@TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(DataDirectory.fromEnv().isPresent(),
                "CFQ_DATA_DIR not set: skipping the real-data actionable recourse test");
        for (String dataset : List.of("adult", "german")) {
            Path mlp = RecourseCommandTest.teacher(dir, dataset, List.of(32), 4);
            for (String m : List.of("pgd", "wachter", "growing-spheres", "diverse")) {
                double rate = runAndCheck(dir, dataset, mlp, m, 120);
                if (m.equals("pgd")) {
                    assertThat(rate).as(dataset + " pgd found rate").isGreaterThanOrEqualTo(0.9);
                }
            }
            Path lr = RecourseCommandTest.teacher(dir, dataset, List.of(), 4);
            assertThat(runAndCheck(dir, dataset, lr, "linear-exact", 300)).as(dataset + " linear-exact")
                    .isGreaterThan(0.9);
        }
    }

    @Test
    void recourse_compasRealistic_findsNothingAndSaysNoActionableFeature(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(DataDirectory.fromEnv().isPresent(),
                "CFQ_DATA_DIR not set: skipping the COMPAS realistic test");
        Path mlp = RecourseCommandTest.teacher(dir, "compas", List.of(16), 2);
        for (String m : List.of("pgd", "wachter", "growing-spheres", "diverse")) {
            Path csv = dir.resolve("compas-" + m + ".csv");
            Run r = run("recourse", "--dataset", "compas", "--model", mlp.toString(), "--method", m, "--limit", "50",
                    "--json", "--out", csv.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("no actionable feature");
            JsonNode o = new ObjectMapper().readTree(r.out());
            assertThat(o.get("found").asInt()).as(m).isZero();
            assertThat(o.get("actionable_features").asBoolean()).isFalse();
            assertThat(o.get("not_found").get("no_actionable_features").asInt()).isEqualTo(o.get("instances").asInt());
            assertThat(check(csv, realistic("compas")).found()).isZero();
        }
    }

    @Test
    void linearExact_realisticLogisticTeacher_neverCostlierThanPgdPerInstance(@TempDir Path dir) throws Exception {
        Path lr = RecourseCommandTest.teacher(dir, "synthetic", List.of(), 20);
        Path le = dir.resolve("le.csv");
        Path pgd = dir.resolve("pgd.csv");
        assertThat(run("recourse", "--dataset", "synthetic", "--model", lr.toString(), "--method", "linear-exact",
                "--out", le.toString(), "--no-plausibility").exit()).isZero();
        assertThat(run("recourse", "--dataset", "synthetic", "--model", lr.toString(), "--method", "pgd",
                "--out", pgd.toString(), "--no-plausibility").exit()).isZero();
        Map<String, Double> exact = costs(le);
        Map<String, Double> greedy = costs(pgd);
        assertThat(greedy).isNotEmpty();
        greedy.forEach((row, c) -> {
            assertThat(exact).containsKey(row);
            assertThat(exact.get(row)).as("test row " + row).isLessThanOrEqualTo(c + 1e-6);
        });
    }

    private static Map<String, Double> costs(Path csv) throws Exception {
        Map<String, Double> out = new java.util.HashMap<>();
        try (Reader r = Files.newBufferedReader(csv);
             CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .build())) {
            for (CSVRecord rec : p) {
                if ("true".equals(rec.get("found"))) {
                    out.put(rec.get("test_row"), Double.parseDouble(rec.get("cost")));
                }
            }
        }
        return out;
    }
}
