package org.cfq.report.html;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.cfq.io.files.AtomicFiles;
import org.cfq.report.results.CellResult;
import org.cfq.report.results.ExperimentResults;
import org.jfree.chart.JFreeChart;

/**
 * One self-contained HTML page of an experiment's results: no script, style or font is
 * fetched, every plot is an inline SVG (also written beside the page as its own file).
 *
 * <p>The page shows the paper's figure (VD, CRG, accuracy, fidelity and leniency against the
 * bit budget, one line per method with a band of one standard deviation over seeds, one panel
 * per dataset), the bit allocation of the mixed-precision methods, the teacher's margin at its
 * counterfactuals against the student's (below zero: broken recourse) and margin histograms,
 * the certified fraction and subgroup bars when the results hold them, example applicants as
 * readable diffs, and the command, cfq version, data fingerprints and seeds.
 *
 * <p>It renders what the results hold; the only arithmetic is the mean and sample standard
 * deviation over seeds that the curves draw.
 */
public final class HtmlReport {
    /** Metrics of the budget curves: result key, axis label. */
    static final List<String[]> CURVES = List.of(
            new String[] {"vd", "VD (validity drop)"},
            new String[] {"crg", "CRG (mean relative recourse gap)"},
            new String[] {"student_accuracy", "accuracy"},
            new String[] {"fidelity", "fidelity"},
            new String[] {"leniency", "leniency"});

    /**
     * How to render.
     *
     * @param budget  the budget whose margins and examples are shown; empty: 4 when present,
     *                else the middle budget
     * @param command the command that made the report, shown in the provenance
     */
    public record Options(OptionalDouble budget, String command) {
        public Options {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(command, "command");
        }

        public static Options defaults() {
            return new Options(OptionalDouble.empty(), "cfq report");
        }
    }

    /**
     * A rendered report.
     *
     * @param html  the page
     * @param plots plot id to its SVG element, in page order
     */
    public record Rendered(String html, Map<String, String> plots) {
        public Rendered {
            Objects.requireNonNull(html, "html");
            plots = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plots));
        }
    }

    private final ExperimentResults results;
    private final Options options;
    private final Plots plots;
    private final double margin;
    private final double budget;
    private final Map<String, String> svgs = new LinkedHashMap<>();
    private final StringBuilder body = new StringBuilder();

    private HtmlReport(ExperimentResults results, Options options) {
        this.results = results;
        this.options = options;
        this.plots = new Plots(results.methods());
        this.margin = results.margins().isEmpty() ? 0 : results.margins().get(0);
        List<Double> budgets = results.budgets();
        this.budget = options.budget().isPresent() ? options.budget().getAsDouble()
                : budgets.contains(4.0) ? 4.0 : budgets.isEmpty() ? Double.NaN : budgets.get(budgets.size() / 2);
    }

    /** Renders the page and its plots. */
    public static Rendered render(ExperimentResults results, Options options) {
        System.setProperty("java.awt.headless", "true");
        HtmlReport r = new HtmlReport(results, options);
        return new Rendered(r.page(), r.svgs);
    }

    /** Renders the results and writes the page and its plots ({@link #write(Rendered, Path)}); {@return the plots directory}. */
    public static Path write(ExperimentResults results, Options options, Path out) throws IOException {
        return write(render(results, options), out);
    }

    /**
     * Writes the page to {@code out} and each plot to {@code <out without .html>-plots/<id>.svg}.
     *
     * @return the plots directory
     */
    public static Path write(Rendered r, Path out) throws IOException {
        String stem = out.getFileName().toString().replaceFirst("\\.html?$", "");
        Path dir = out.toAbsolutePath().getParent().resolve(stem + "-plots");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : r.plots().entrySet()) {
            AtomicFiles.writeString(dir.resolve(e.getKey() + ".svg"),
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + e.getValue() + "\n");
        }
        AtomicFiles.writeString(out, r.html());
        return dir;
    }

    private String page() {
        List<CellResult> ok = results.cells().stream().filter(CellResult::ok).toList();
        intro(ok);
        budgetCurves(ok);
        allocation(ok);
        margins(ok);
        certifiedAndSubgroups(ok);
        examples(ok);
        provenance();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>cfq report: " + esc(String.join(", ", results.datasets())) + "</title>\n<style>\n" + CSS
                + "</style>\n</head>\n<body>\n" + body + "<script>\n" + CHECK + "</script>\n</body>\n</html>\n";
    }

    // ---- sections ----

    private void intro(List<CellResult> ok) {
        body.append("<header><h1>When bits break recourse</h1>\n<p class=\"lead\">")
                .append(esc(results.cells().size() + " cells (" + ok.size() + " finished) over datasets "
                        + results.datasets() + ", methods " + results.methods() + ", budgets " + plain(results.budgets())
                        + ", seeds " + results.seeds() + ", recourse margin " + plain(margin)))
                .append(". A student honours recourse when it accepts the teacher's counterfactual x'_T; VD is the share "
                        + "it rejects. Lines are means over seeds, bands one standard deviation.</p></header>\n");
        if (results.margins().size() > 1) {
            body.append("<p class=\"note\">The results hold margins ").append(esc(plain(results.margins())))
                    .append("; this page shows margin ").append(esc(plain(margin))).append(".</p>\n");
        }
    }

    private void budgetCurves(List<CellResult> ok) {
        if (results.budgets().size() < 2) {
            headline(ok);
        }
        body.append("<section id=\"curves\"><h2>Budget curves</h2>\n");
        for (String[] metric : CURVES) {
            body.append("<h3>").append(esc(metric[1])).append("</h3>\n<div class=\"grid\">\n");
            for (String dataset : results.datasets()) {
                List<Plots.Band> bands = new ArrayList<>();
                List<String> partialPoints = new ArrayList<>();
                for (String method : results.methods()) {
                    List<Double> xs = new ArrayList<>();
                    List<double[]> ms = new ArrayList<>();
                    for (double b : results.budgets()) {
                        double[] ms1 = meanStd(ok, dataset, method, b, metric[0]);
                        if (ms1 != null) {
                            xs.add(b);
                            ms.add(ms1);
                            String marker = partial(ok, dataset, method, b, metric[0]);
                            if (!marker.isEmpty()) {
                                partialPoints.add(method + " B=" + plain(b) + marker);
                            }
                        }
                    }
                    if (!xs.isEmpty()) {
                        bands.add(new Plots.Band(method, xs.stream().mapToDouble(Double::doubleValue).toArray(),
                                ms.stream().mapToDouble(a -> a[0]).toArray(), ms.stream().mapToDouble(a -> a[1]).toArray()));
                    }
                }
                if (bands.isEmpty()) {
                    continue;
                }
                String fewer = partialPoints.isEmpty() ? "" : "; means over fewer seeds (k of n define it, the "
                        + "others left out, never counted as 0): " + String.join(", ", partialPoints);
                figure("curve-" + metric[0] + "-" + dataset,
                        plots.budgetCurves(dataset + ": " + metric[1], metric[1], bands),
                        metric[1] + " on " + dataset + " against the bit budget" + fewer);
            }
            body.append("</div>\n");
        }
        body.append("</section>\n");
    }

    /** One budget (an audit, or a one-budget grid): the curves are single points, so also a table of their values. */
    private void headline(List<CellResult> ok) {
        body.append("<section id=\"headline\"><h2>Headline figures</h2>\n<p>One bit budget, so the curves below are "
                + "single points: mean over seeds of each metric they draw.</p>\n<table class=\"examples\"><thead><tr>"
                + "<th>dataset</th><th>method</th><th>budget</th>");
        for (String[] metric : CURVES) {
            body.append("<th>").append(esc(metric[1])).append("</th>");
        }
        body.append("<th>certified fraction</th></tr></thead><tbody>\n");
        for (String dataset : results.datasets()) {
            for (String method : results.methods()) {
                for (double b : results.budgets()) {
                    if (select(ok, dataset, method, b).isEmpty()) {
                        continue;
                    }
                    body.append("<tr><td>").append(esc(dataset)).append("</td><td>").append(esc(method))
                            .append("</td><td class=\"num\">").append(esc(plain(b))).append("</td>");
                    for (String[] metric : CURVES) {
                        headlineCell(ok, dataset, method, b, metric[0]);
                    }
                    headlineCell(ok, dataset, method, b, "certified_fraction");
                    body.append("</tr>\n");
                }
            }
        }
        body.append("</tbody></table></section>\n");
    }

    private void headlineCell(List<CellResult> ok, String dataset, String method, double b, String key) {
        double[] ms = meanStd(ok, dataset, method, b, key);
        body.append("<td class=\"num\">").append(ms == null ? "-" : esc(fmt(ms[0]) + partial(ok, dataset, method, b, key)))
                .append("</td>");
    }

    private void allocation(List<CellResult> ok) {
        List<String> mixed = results.methods().stream().filter(m -> ok.stream().anyMatch(c -> c.method().equals(m)
                && c.bitsPerLayer().stream().distinct().count() > 1)).toList();
        body.append("<section id=\"allocation\"><h2>Bit allocation per layer</h2>\n");
        if (mixed.isEmpty()) {
            body.append("<p class=\"note\">No method chose different widths for different layers.</p></section>\n");
            return;
        }
        body.append("<p>Mean weight bits of each layer over seeds, for the methods that allocate widths per layer ("
                + esc(String.join(", ", mixed)) + ").</p>\n<div class=\"grid\">\n");
        for (String dataset : results.datasets()) {
            Map<String, Map<String, Double>> values = new LinkedHashMap<>();
            for (String method : mixed) {
                for (double b : results.budgets()) {
                    List<CellResult> cs = select(ok, dataset, method, b);
                    if (cs.isEmpty() || cs.get(0).bitsPerLayer().isEmpty()) {
                        continue;
                    }
                    int layers = cs.get(0).bitsPerLayer().size();
                    for (int l = 0; l < layers; l++) {
                        final int layer = l;
                        double mean = cs.stream().filter(c -> c.bitsPerLayer().size() == layers)
                                .mapToInt(c -> c.bitsPerLayer().get(layer)).average().orElse(Double.NaN);
                        values.computeIfAbsent("layer " + (l + 1), k -> new LinkedHashMap<>())
                                .put(method + " B=" + plain(b), mean);
                    }
                }
            }
            if (!values.isEmpty()) {
                figure("allocation-" + dataset, plots.bars(dataset + ": weight bits per layer", "method and budget",
                        "bits", values, false, 8.5), "bits per layer on " + dataset);
            }
        }
        body.append("</div></section>\n");
    }

    private void margins(List<CellResult> ok) {
        body.append("<section id=\"margins\"><h2>Margins at the teacher's counterfactuals (B = ")
                .append(esc(plain(budget))).append(", seed ").append(esc(String.valueOf(firstSeed())))
                .append(")</h2>\n<p>Each point is an applicant's teacher counterfactual x'_T: the teacher's margin "
                        + "there against the student's. Points below the red line are broken recourse: the student "
                        + "rejects the change the teacher advised.</p>\n<div class=\"grid\">\n");
        boolean any = false;
        for (String dataset : results.datasets()) {
            Map<String, double[][]> points = new LinkedHashMap<>();
            Map<String, double[]> student = new LinkedHashMap<>();
            for (String method : results.methods()) {
                CellResult c = first(ok, dataset, method, budget);
                if (c != null && c.details() != null && c.details().teacherMargins().length > 0) {
                    points.put(method, new double[][] {c.details().teacherMargins(), c.details().studentMargins()});
                    student.put(method, c.details().studentMargins());
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            any = true;
            figure("scatter-" + dataset, plots.marginScatter(dataset + ": margins at x'_T", points),
                    "teacher against student margin at the teacher's counterfactuals on " + dataset);
            figure("histogram-" + dataset, plots.marginHistogram(dataset + ": student margin at x'_T",
                    "student margin at x'_T", student), "student margins at the teacher's counterfactuals on " + dataset);
        }
        body.append("</div>\n");
        if (!any) {
            body.append("<p class=\"note\">These results hold no per-applicant margins (cells written before "
                    + "cfq recorded them); rerun the experiment to draw them.</p>\n");
        }
        body.append("</section>\n");
    }

    private void certifiedAndSubgroups(List<CellResult> ok) {
        body.append("<section id=\"certified\"><h2>Certified fraction and subgroups</h2>\n<div class=\"grid\">\n");
        boolean certified = ok.stream().anyMatch(c -> c.metric("certified_fraction").isPresent());
        if (certified) {
            for (String dataset : results.datasets()) {
                Map<String, Map<String, Double>> values = new LinkedHashMap<>();
                for (String method : results.methods()) {
                    for (double b : results.budgets()) {
                        double[] ms = meanStd(ok, dataset, method, b, "certified_fraction");
                        if (ms != null) {
                            values.computeIfAbsent(method, k -> new LinkedHashMap<>()).put("B=" + plain(b), ms[0]);
                        }
                    }
                }
                if (!values.isEmpty()) {
                    figure("certified-" + dataset, plots.bars(dataset + ": certified fraction of x'_T", "budget",
                            "certified fraction", values, true, 1.0), "sound certificate on " + dataset);
                }
            }
        }
        List<String> subgroupKeys = ok.stream().flatMap(c -> c.metrics().keySet().stream())
                .filter(k -> k.startsWith("subgroup_")).distinct().sorted().toList();
        // Per-group values (e.g. VD of each group) in one chart, the largest gaps between groups in another.
        subgroupBars(ok, "subgroups-", ": subgroups at B=", "subgroup metrics on ",
                subgroupKeys.stream().filter(k -> !k.endsWith("_gap")).toList());
        subgroupBars(ok, "subgroup-gaps-", ": largest gap between subgroups at B=",
                "largest gap between subgroups on ", subgroupKeys.stream().filter(k -> k.endsWith("_gap")).toList());
        body.append("</div>\n");
        if (!certified) {
            body.append("<p class=\"note\">These results hold no certified fraction.</p>\n");
        }
        if (subgroupKeys.isEmpty()) {
            body.append("<p class=\"note\">These results hold no subgroup columns.</p>\n");
        }
        body.append("</section>\n");
    }

    private void subgroupBars(List<CellResult> ok, String id, String title, String caption, List<String> keys) {
        for (String dataset : keys.isEmpty() ? List.<String>of() : results.datasets()) {
            Map<String, Map<String, Double>> values = new LinkedHashMap<>();
            for (String method : results.methods()) {
                for (String k : keys) {
                    double[] ms = meanStd(ok, dataset, method, budget, k);
                    if (ms != null) {
                        values.computeIfAbsent(method, x -> new LinkedHashMap<>()).put(k.substring(9), ms[0]);
                    }
                }
            }
            if (!values.isEmpty()) {
                figure(id + dataset, plots.bars(dataset + title + plain(budget), "subgroup", "value", values, true,
                        null), caption + dataset);
            }
        }
    }

    private void examples(List<CellResult> ok) {
        body.append("<section id=\"examples\"><h2>Example applicants (B = ").append(esc(plain(budget)))
                .append(", seed ").append(esc(String.valueOf(firstSeed()))).append(")</h2>\n"
                        + "<p>For CFQ and the baseline with the highest validity drop at this budget: the teacher's "
                        + "counterfactual, whether the student accepts it, and the student's own.</p>\n");
        boolean any = false;
        for (String dataset : results.datasets()) {
            List<String> shown = new ArrayList<>();
            String worst = null;
            double worstVd = -1;
            for (String method : results.methods()) {
                double[] ms = meanStd(ok, dataset, method, budget, "vd");
                if (!method.startsWith("cfq") && ms != null && ms[0] > worstVd) {
                    worst = method;
                    worstVd = ms[0];
                }
            }
            for (String method : results.methods()) {
                if (method.startsWith("cfq") || method.equals(worst)) {
                    shown.add(method);
                }
            }
            StringBuilder rows = new StringBuilder();
            for (String method : shown) {
                CellResult c = first(ok, dataset, method, budget);
                if (c == null || c.details() == null) {
                    continue;
                }
                for (CellResult.Example e : c.details().examples()) {
                    rows.append("<tr><td>").append(esc(method)).append("</td><td>").append(e.testRow())
                            .append("</td><td>").append(diff(e.teacherCf())).append("</td><td class=\"num\">")
                            .append(esc(fmt(e.teacherMargin()))).append("</td><td class=\"")
                            .append(e.studentHonours() ? "yes\">honours (" : "no\">rejects (")
                            .append(esc(fmt(e.studentMargin()))).append(")</td><td>").append(diff(e.studentCf()))
                            .append("</td></tr>\n");
                }
            }
            if (rows.length() > 0) {
                any = true;
                body.append("<h3>").append(esc(dataset)).append("</h3>\n<table class=\"examples\"><thead><tr>"
                        + "<th>student</th><th>test row</th><th>teacher's counterfactual</th><th>teacher margin</th>"
                        + "<th>student at x'_T</th><th>student's own counterfactual</th></tr></thead><tbody>\n")
                        .append(rows).append("</tbody></table>\n");
            }
        }
        if (!any) {
            body.append("<p class=\"note\">These results hold no example applicants.</p>\n");
        }
        body.append("</section>\n");
    }

    private void provenance() {
        body.append("<section id=\"provenance\"><h2>Provenance</h2>\n<table class=\"kv\">\n");
        kv("experiment command", results.command());
        kv("report command", options.command());
        kv("results", results.source());
        kv("cfq version", results.cfqVersion());
        kv("complete", String.valueOf(results.complete()));
        kv("run seconds", fmt(results.seconds()));
        kv("seeds", results.seeds().toString());
        results.fingerprints().forEach((d, f) -> kv("data fingerprint " + d, f));
        results.plan().forEach((k, v) -> kv("plan " + k, v));
        body.append("</table></section>\n");
    }

    // ---- helpers ----

    private void figure(String id, JFreeChart chart, String caption) {
        String svg = Plots.svg(chart, id);
        svgs.put(id, svg);
        body.append("<figure class=\"plot\" id=\"").append(id).append("\">").append(svg).append("<figcaption>")
                .append(esc(caption)).append(" &middot; ").append(id).append(".svg</figcaption></figure>\n");
    }

    private void kv(String k, String v) {
        body.append("<tr><th>").append(esc(k)).append("</th><td><code>").append(esc(v)).append("</code></td></tr>\n");
    }

    private List<CellResult> select(List<CellResult> ok, String dataset, String method, double b) {
        return ok.stream().filter(c -> c.dataset().equals(dataset) && c.method().equals(method) && c.budget() == b
                && c.margin() == margin).toList();
    }

    private CellResult first(List<CellResult> ok, String dataset, String method, double b) {
        long seed = firstSeed();
        return select(ok, dataset, method, b).stream().filter(c -> c.seed() == seed).findFirst().orElse(null);
    }

    private long firstSeed() {
        return results.seeds().isEmpty() ? 0 : results.seeds().get(0);
    }

    /** {mean, sample std (NaN for one seed)} over seeds, or null when no cell defines the metric. */
    private double[] meanStd(List<CellResult> ok, String dataset, String method, double b, String key) {
        double[] v = defined(ok, dataset, method, b, key);
        if (v.length == 0) {
            return null;
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN};
    }

    /** The metric's values over the finished cells of one point, the cells that leave it undefined left out. */
    private double[] defined(List<CellResult> ok, String dataset, String method, double b, String key) {
        return select(ok, dataset, method, b).stream().map(c -> c.metric(key)).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).toArray();
    }

    /**
     * {@return " [k/n]" when only k (>= 1) of the point's n finished cells define the metric, else ""}: the
     * same marker as the summary's, so a mean over fewer seeds (e.g. VD where a seed had no factuals) is
     * never read as a mean over all of them
     */
    private String partial(List<CellResult> ok, String dataset, String method, double b, String key) {
        int k = defined(ok, dataset, method, b, key).length;
        int n = select(ok, dataset, method, b).size();
        return k > 0 && k < n ? " [" + k + "/" + n + "]" : "";
    }

    private static String diff(String d) {
        StringBuilder sb = new StringBuilder("<span class=\"diff\">");
        String[] changes = d.split("; ");
        for (int i = 0; i < changes.length; i++) {
            sb.append(i > 0 ? "<br>" : "").append(String.join(" &rarr; ", java.util.Arrays.stream(
                    changes[i].split(" -> ", -1)).map(HtmlReport::esc).toList()));
        }
        return sb.append("</span>").toString();
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String plain(List<Double> vs) {
        return vs.stream().map(HtmlReport::plain).toList().toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1600px;\
            padding:16px 24px;color:#222;background:#fff}
            h1{margin:0 0 4px;font-size:26px}h2{border-bottom:2px solid #0072B2;padding-bottom:4px;margin-top:32px}
            h3{margin:18px 0 6px;font-size:16px;color:#333}
            .lead{color:#444;max-width:1100px}.note{color:#777;font-style:italic}
            .grid{display:flex;flex-wrap:wrap;gap:12px}
            figure.plot{margin:0;border:1px solid #e3e3e3;border-radius:6px;padding:6px;background:#fff}
            figure.plot svg{display:block;width:460px;height:320px}
            figcaption{font-size:12px;color:#666;max-width:460px}
            table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top}
            th{background:#f3f6fa;text-align:left}.num{text-align:right}
            td.yes{color:#00754a;font-weight:600}td.no{color:#b00020;font-weight:600}
            .diff{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
            table.kv code{font-size:12px;word-break:break-all}
            """;

    /**
     * Marks the page for the browser check: every plot must hold a drawn SVG. Logs to the
     * console only when a plot is missing or empty, so a clean page logs nothing.
     */
    private static final String CHECK = """
            (function(){var figs=document.querySelectorAll('figure.plot');var bad=[];
            figs.forEach(function(f){var s=f.querySelector('svg');var r=s?s.getBoundingClientRect():null;
            var n=s?s.querySelectorAll('path,line,rect,text,circle,polygon,polyline,ellipse').length:0;
            if(!s||r.width<50||r.height<50||n<20){bad.push(f.id+'('+n+')');}});
            document.body.setAttribute('data-plots',String(figs.length));
            document.body.setAttribute('data-plots-bad',bad.join(' '));
            if(bad.length){console.error('cfq report: empty or missing plots: '+bad.join(' '));}})();
            """;
}
