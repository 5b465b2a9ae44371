package org.cfq.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cfq.io.json.Json;
import org.cfq.report.results.ExperimentResults;
import org.cfq.report.results.ResultsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    /** Two datasets, ptq / mixed / cfq at budgets 3 and 4, seeds 1 and 2, with details and a subgroup column. */
    static String resultsJson() throws Exception {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("command", "cfq experiment --out X");
        root.put("cfq_version", "0.1.0");
        root.put("complete", true);
        root.put("seconds", 12.5);
        root.putObject("dataset_fingerprints").put("alpha", "sha256:aaa").put("beta", "sha256:bbb");
        root.putObject("plan").put("recourse", "pgd");
        ArrayNode rows = root.putArray("rows");
        for (String d : List.of("alpha", "beta")) {
            for (String m : List.of("ptq", "mixed", "cfq")) {
                for (double b : new double[] {3, 4}) {
                    for (int seed = 1; seed <= 2; seed++) {
                        ObjectNode r = rows.addObject();
                        r.put("dataset", d).put("method", m).put("budget", b).put("seed", seed).put("margin", 0.0)
                                .put("status", "ok");
                        double base = m.equals("ptq") ? 0.3 : 0.05;
                        r.put("vd", base / b + 0.01 * seed).put("crg", -0.1 * seed).put("student_accuracy", 0.8 + 0.01 * b)
                                .put("fidelity", 0.95).put("leniency", 0.02 * seed).put("certified_fraction", 0.0)
                                .put("subgroup_female_vd", 0.1 * seed);
                        ArrayNode bits = r.putArray("student_bits_per_layer");
                        if (m.equals("mixed")) {
                            bits.add(2).add(4).add(8);
                        } else {
                            bits.add((int) b).add((int) b).add((int) b);
                        }
                        ObjectNode det = r.putObject("details");
                        ArrayNode t = det.putObject("margins_at_teacher_cf").putArray("teacher");
                        ArrayNode s = ((ObjectNode) det.get("margins_at_teacher_cf")).putArray("student");
                        for (int i = 0; i < 40; i++) {
                            t.add(0.1 + 0.01 * i);
                            s.add(-0.2 + 0.015 * i);
                        }
                        det.putArray("examples").addObject().put("test_row", 7)
                                .put("teacher_cf", "income 10 -> 12; housing <rent> -> own")
                                .put("teacher_margin", 0.1).put("student_margin_at_teacher_cf", -0.05)
                                .put("student_honours", false).put("student_cf", "income 10 -> 14");
                    }
                }
            }
        }
        return Json.mapper().writeValueAsString(root);
    }

    @Test
    void render_fullResults_drawsEveryPlotWithUniqueIdsAndNoNetwork() throws Exception {
        ExperimentResults results = ResultsReader.parse(resultsJson(), "results.json");
        HtmlReport.Rendered r = HtmlReport.render(results, new HtmlReport.Options(OptionalDouble.empty(), "cfq report x"));
        // 5 curves + allocation + scatter + histogram + certified + subgroups, per dataset
        assertThat(r.plots()).hasSize(2 * 10);
        assertThat(r.plots().keySet()).contains("curve-vd-alpha", "curve-crg-beta", "allocation-alpha",
                "scatter-beta", "histogram-alpha", "certified-beta", "subgroups-alpha");
        String html = r.html();
        assertThat(count(html, "<figure class=\"plot\"")).isEqualTo(20);
        for (String svg : r.plots().values()) {
            assertThat(svg).startsWith("<svg");
            assertThat(count(svg, "<path") + count(svg, "<rect") + count(svg, "<line")).isGreaterThan(20);
        }
        // every id in the page is unique (JFreeSVG's clip paths are prefixed per plot)
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        Set<String> ids = new HashSet<>();
        while (m.find()) {
            assertThat(ids.add(m.group(1))).as("duplicate id " + m.group(1)).isTrue();
        }
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
        assertThat(html).contains("housing &lt;rent&gt; &rarr; own").contains("rejects (-0.05000)");
        assertThat(html).contains("sha256:aaa").contains("cfq experiment --out X").contains("cfq report x");
        // B defaults to 4: the margins section says so
        assertThat(html).contains("Margins at the teacher's counterfactuals (B = 4, seed 1)");
    }

    @Test
    void render_planAndFingerprints_listedInTheResultsFilesOrder() throws Exception {
        // They used to pass through Map.copyOf, whose order changes with each JVM start, so the same
        // results.json gave another page in every run.
        ObjectNode root = (ObjectNode) Json.mapper().readTree(resultsJson());
        ObjectNode plan = root.putObject("plan");
        List<String> keys = List.of("seeds", "methods", "budgets", "recourse", "margins", "cost", "factuals",
                "actions", "split_seed", "evaluations", "teacher_training", "recourse_settings");
        keys.forEach(k -> plan.put(k, "value of " + k));
        ObjectNode fp = root.putObject("dataset_fingerprints");
        List<String> datasets = List.of("zeta", "beta", "alpha", "gamma", "delta");
        datasets.forEach(d -> fp.put(d, "sha256:" + d));
        String html = HtmlReport.render(ResultsReader.parse(Json.mapper().writeValueAsString(root), "results.json"),
                HtmlReport.Options.defaults()).html();

        List<Integer> at = new java.util.ArrayList<>();
        keys.forEach(k -> at.add(html.indexOf("<th>plan " + k + "</th>")));
        datasets.forEach(d -> at.add(html.indexOf("<th>data fingerprint " + d + "</th>")));
        assertThat(at).doesNotContain(-1);
        assertThat(at.subList(0, keys.size())).isSorted();
        assertThat(at.subList(keys.size(), at.size())).isSorted();
    }

    @Test
    void write_pageAndOneSvgFilePerPlot() throws Exception {
        ExperimentResults results = ResultsReader.parse(resultsJson(), "results.json");
        HtmlReport.Rendered r = HtmlReport.render(results, HtmlReport.Options.defaults());
        Path out = dir.resolve("report.html");
        Path plots = HtmlReport.write(r, out);
        assertThat(plots).isEqualTo(dir.resolve("report-plots").toAbsolutePath());
        assertThat(Files.readString(out)).isEqualTo(r.html());
        try (var files = Files.list(plots)) {
            assertThat(files.count()).isEqualTo(20);
        }
        assertThat(Files.readString(plots.resolve("scatter-alpha.svg"))).startsWith("<?xml").contains("<svg");
    }

    @Test
    void render_undefinedInSomeSeeds_marksTheMeanKOfN() throws Exception {
        // An audit with no factuals leaves VD undefined (null in results.json); the mean over the other
        // seeds must say so, as the Markdown summary's [k/n] does.
        ObjectNode root = (ObjectNode) Json.mapper().readTree(resultsJson());
        for (com.fasterxml.jackson.databind.JsonNode row : root.get("rows")) {
            if (row.get("dataset").asText().equals("alpha") && row.get("method").asText().equals("cfq")
                    && row.get("budget").asDouble() == 3 && row.get("seed").asInt() == 2) {
                ((ObjectNode) row).putNull("vd");
            }
        }
        String json = Json.mapper().writeValueAsString(root);
        String curves = HtmlReport.render(ResultsReader.parse(json, "r.json"), HtmlReport.Options.defaults()).html();
        assertThat(curves).contains("VD (validity drop) on alpha against the bit budget; means over fewer seeds")
                .contains("cfq B=3 [1/2]").doesNotContain("cfq B=4 [");
        assertThat(count(curves, "[1/2]")).isEqualTo(1);

        // one budget: the headline table carries the marker beside the mean of the seed that defines it
        ObjectNode one = (ObjectNode) Json.mapper().readTree(json);
        ArrayNode kept = Json.mapper().createArrayNode();
        one.get("rows").forEach(r -> {
            if (r.get("budget").asDouble() == 3) {
                kept.add(r);
            }
        });
        one.set("rows", kept);
        String headline = HtmlReport.render(ResultsReader.parse(Json.mapper().writeValueAsString(one), "r.json"),
                HtmlReport.Options.defaults()).html();
        double vdSeed1 = 0.05 / 3 + 0.01;
        assertThat(headline).contains("<td class=\"num\">" + String.format(java.util.Locale.ROOT, "%.4g", vdSeed1) + " [1/2]</td>");
    }

    @Test
    void render_resultsWithoutDetails_saysSoInsteadOfDrawing() throws Exception {
        String json = resultsJson().replaceAll("\"details\"", "\"old_details\"");
        HtmlReport.Rendered r = HtmlReport.render(ResultsReader.parse(json, "r.json"), HtmlReport.Options.defaults());
        assertThat(r.plots().keySet()).noneMatch(k -> k.startsWith("scatter") || k.startsWith("histogram"));
        assertThat(r.html()).contains("hold no per-applicant margins").contains("hold no example applicants");
    }

    @Test
    void render_subgroupsEvaluation_drawsEachGroupsVdAndTheLargestGaps() throws Exception {
        // The row shape of cfq experiment --evaluations subgroups: a "subgroups" object with one entry per
        // group, and the largest gaps as subgroup_<metric>_gap numbers.
        com.fasterxml.jackson.databind.node.ObjectNode root =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(resultsJson());
        for (com.fasterxml.jackson.databind.JsonNode row : root.get("rows")) {
            ObjectNode r = (ObjectNode) row;
            r.remove("subgroup_female_vd");
            ObjectNode sg = r.putObject("subgroups").put("available", true).put("feature", "sex");
            sg.putArray("groups").add(Json.mapper().createObjectNode().put("name", "Female").put("vd", 0.25))
                    .add(Json.mapper().createObjectNode().put("name", "Male").put("vd", 0.125));
            r.put("subgroup_vd_gap", 0.125).put("subgroup_leniency_gap", 0.01);
        }
        ExperimentResults results = ResultsReader.parse(Json.mapper().writeValueAsString(root), "r.json");
        assertThat(results.cells().get(0).metric("subgroup_VD sex=Female")).hasValue(0.25);
        assertThat(results.cells().get(0).metric("subgroup_VD sex=Male")).hasValue(0.125);
        HtmlReport.Rendered r = HtmlReport.render(results, HtmlReport.Options.defaults());
        assertThat(r.plots().keySet()).contains("subgroups-alpha", "subgroup-gaps-alpha", "subgroups-beta",
                "subgroup-gaps-beta");
        // (the bar labels are drawn rotated, as glyph outlines, so the SVG holds no text to compare)
        assertThat(r.plots().get("subgroups-alpha")).isNotEqualTo(r.plots().get("subgroup-gaps-alpha"));
        assertThat(r.html()).doesNotContain("hold no subgroup columns");
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
