package org.cfq.report.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, drawn by JFreeChart and written as SVG by JFreeSVG. Every method keeps
 * one color across all charts (the Okabe-Ito palette, readable with color-vision deficiency).
 */
final class Plots {
    static final int WIDTH = 460;
    static final int HEIGHT = 320;

    private static final Color[] PALETTE = {
        new Color(0xE69F00), new Color(0x0072B2), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0x56B4E9), new Color(0xD55E00), new Color(0x000000), new Color(0xF0E442)};

    private final List<String> methods;

    /** @param methods every method of the results, which fixes its color */
    Plots(List<String> methods) {
        this.methods = List.copyOf(methods);
        ChartFactory.setChartTheme(StandardChartTheme.createLegacyTheme());
    }

    Color color(String method) {
        int i = methods.indexOf(method);
        return PALETTE[(i < 0 ? methods.size() : i) % PALETTE.length];
    }

    /** A mean line with a band of one standard deviation. */
    record Band(String method, double[] x, double[] mean, double[] std) {
    }

    /** Mean curves against the bit budget, each with a shaded band of one std. */
    JFreeChart budgetCurves(String title, String yLabel, List<Band> bands) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        for (Band b : bands) {
            YIntervalSeries s = new YIntervalSeries(b.method());
            for (int i = 0; i < b.x().length; i++) {
                double sd = Double.isNaN(b.std()[i]) ? 0 : b.std()[i];
                s.add(b.x()[i], b.mean()[i], b.mean()[i] - sd, b.mean()[i] + sd);
            }
            ds.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "bit budget B", yLabel, ds, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        DeviationRenderer r = new DeviationRenderer(true, true);
        r.setAlpha(0.18f);
        for (int i = 0; i < bands.size(); i++) {
            Color c = color(bands.get(i).method());
            r.setSeriesPaint(i, c);
            r.setSeriesFillPaint(i, c);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        // budgets are whole or half bits: label the axis in those steps, not in tenths
        ((NumberAxis) plot.getDomainAxis()).setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.5));
        style(chart);
        return chart;
    }

    /** Teacher margin against student margin at the teacher's counterfactuals, one series per method. */
    JFreeChart marginScatter(String title, Map<String, double[][]> pointsByMethod) {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : pointsByMethod.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] t = e.getValue()[0];
            double[] st = e.getValue()[1];
            for (int i = 0; i < t.length; i++) {
                s.add(t[i], st[i]);
            }
            ds.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createScatterPlot(title, "teacher margin at x'_T",
                "student margin at x'_T", ds, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        int i = 0;
        for (String m : pointsByMethod.keySet()) {
            r.setSeriesPaint(i, color(m));
            r.setSeriesShape(i++, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        ValueMarker zero = new ValueMarker(0, new Color(0xB00020), new BasicStroke(1.5f));
        zero.setLabel("below: broken recourse");
        zero.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        zero.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
        zero.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(zero);
        style(chart);
        return chart;
    }

    /** Histograms of margins, one translucent series per method. */
    JFreeChart marginHistogram(String title, String xLabel, Map<String, double[]> valuesByMethod) {
        HistogramDataset ds = new HistogramDataset();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : valuesByMethod.values()) {
            for (double x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        for (Map.Entry<String, double[]> e : valuesByMethod.entrySet()) {
            if (e.getValue().length > 0) {
                ds.addSeries(e.getKey(), e.getValue(), 30, lo, hi);
            }
        }
        JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "applicants", ds, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.55f);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        int i = 0;
        for (Map.Entry<String, double[]> e : valuesByMethod.entrySet()) {
            if (e.getValue().length > 0) {
                r.setSeriesPaint(i++, color(e.getKey()));
            }
        }
        plot.addDomainMarker(new ValueMarker(0, new Color(0xB00020), new BasicStroke(1.5f)));
        style(chart);
        return chart;
    }

    /**
     * Grouped bars.
     *
     * @param values  series -&gt; category -&gt; value, in insertion order
     * @param byMethod whether the series are methods (then they keep their colors)
     */
    JFreeChart bars(String title, String categoryLabel, String valueLabel, Map<String, Map<String, Double>> values,
                    boolean byMethod, Double upper) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        values.forEach((series, row) -> row.forEach((cat, v) -> ds.addValue(v, series, cat)));
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, ds, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        int i = 0;
        for (String s : values.keySet()) {
            r.setSeriesPaint(i, byMethod ? color(s) : PALETTE[(i + 1) % PALETTE.length]);
            i++;
        }
        if (upper != null) {
            plot.getRangeAxis().setRange(0, upper);
        }
        plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
        style(chart);
        return chart;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getPlot().setBackgroundPaint(new Color(0xFAFAFA));
        if (chart.getPlot() instanceof XYPlot p) {
            p.setDomainGridlinePaint(new Color(0xDDDDDD));
            p.setRangeGridlinePaint(new Color(0xDDDDDD));
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            p.setRangeGridlinePaint(new Color(0xDDDDDD));
        }
    }

    /**
     * The chart as an SVG element.
     *
     * @param id unique in the page: JFreeSVG's clip-path ids are prefixed with it, so several
     *           inline SVGs never share an id
     */
    static String svg(JFreeChart chart, String id) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement(id + "-svg");
    }
}
