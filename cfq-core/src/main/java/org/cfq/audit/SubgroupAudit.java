package org.cfq.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;

/**
 * The recourse audit split by subgroup (issue 14, "Subgroups"): validity drop, recourse gap,
 * fidelity, leniency and feasibility per group of one feature ({@link Subgroups}), and for each
 * metric the largest gap between groups. The metrics are those of {@link Audit} restricted to a
 * group's test rows (fidelity, leniency) or to the factuals drawn from them (VD, CRG,
 * feasibility), so the groups' numbers are the whole audit's numbers broken down.
 *
 * <p>A gap compares only groups with at least {@link #MIN_SUPPORT} rows in the metric's
 * denominator: a group of three factuals has a VD of 0, 1/3, 2/3 or 1, and its "gap" to the
 * others says nothing. Groups below the support still list their values.
 *
 * @param feature    the feature the groups come from
 * @param minSupport the support a group needs to take part in a gap
 * @param groups     one entry per group, in {@link Subgroups#names()} order
 * @param gaps       per metric ({@link #METRICS}), the largest difference between supported groups
 */
public record SubgroupAudit(String feature, int minSupport, List<Group> groups, Map<String, Gap> gaps) {
    /** Fewest rows in a metric's denominator for a group to take part in that metric's gap. */
    public static final int MIN_SUPPORT = 10;
    /** The metrics with a gap, in order. */
    public static final List<String> METRICS = List.of("vd", "crg", "fidelity", "leniency", "teacher_feasible",
            "student_feasible");

    public SubgroupAudit {
        groups = List.copyOf(groups);
        gaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(gaps));
    }

    /**
     * One group's audit.
     *
     * @param testRows           test rows in the group (fidelity's denominator)
     * @param teacherUnfavorable of them, rows the teacher scores unfavorably (leniency's denominator)
     * @param factuals           factuals drawn from the group (feasibility's denominator)
     * @param teacherFound       of them, factuals with teacher recourse (VD's denominator)
     * @param crgPairs           factuals where both found recourse (CRG's denominator)
     * @param vd                 share of the teacher's counterfactuals the student rejects
     * @param crg                mean relative recourse gap {@code (cost_S - cost_T) / cost_T}
     * @param crgRatioOfMeans    {@code mean(cost_S) / mean(cost_T) - 1}
     */
    public record Group(String name, int testRows, int teacherUnfavorable, int factuals, int teacherFound,
                        int crgPairs, double fidelity, double leniency, double teacherFeasible,
                        double studentFeasible, double vd, double crg, double crgRatioOfMeans) {
        /** {@return the value of one of {@link #METRICS}} */
        public double metric(String name) {
            return switch (name) {
                case "vd" -> vd;
                case "crg" -> crg;
                case "fidelity" -> fidelity;
                case "leniency" -> leniency;
                case "teacher_feasible" -> teacherFeasible;
                case "student_feasible" -> studentFeasible;
                default -> throw new IllegalArgumentException("unknown subgroup metric '" + name + "'; use one of "
                        + METRICS);
            };
        }

        /** {@return the size of one metric's denominator} */
        public int support(String name) {
            return switch (name) {
                case "vd" -> teacherFound;
                case "crg" -> crgPairs;
                case "fidelity" -> testRows;
                case "leniency" -> teacherUnfavorable;
                case "teacher_feasible", "student_feasible" -> factuals;
                default -> throw new IllegalArgumentException("unknown subgroup metric '" + name + "'; use one of "
                        + METRICS);
            };
        }
    }

    /**
     * The largest difference of one metric between two supported groups.
     *
     * @param value {@code high - low}, NaN when fewer than two groups are supported
     * @param high  the group with the largest value (null when undefined)
     * @param low   the group with the smallest value (null when undefined)
     */
    public record Gap(double value, String high, String low) {
    }

    /**
     * Audits a student by subgroup. The student's own recourse is searched again from every
     * factual with the teacher recourse's request (the same search {@link Audit} runs).
     *
     * @param splits    whose test rows are audited, in the order of {@code groups}
     * @param groups    the group of each test row
     * @param tr        the teacher's recourse (its factuals are test rows, {@link TeacherRecourse#testRows()})
     * @param generator the generator the teacher's recourse came from
     * @throws IllegalArgumentException when shapes disagree
     */
    public static SubgroupAudit of(Mlp teacher, DifferentiableClassifier student, EncodedSplits splits,
                                   Subgroups groups, TeacherRecourse tr,
                                   RecourseGenerator<DifferentiableClassifier> generator) {
        Objects.requireNonNull(groups, "groups");
        float[] testX = splits.testX();
        int[] testY = splits.testY();
        int w = teacher.inputDim();
        int rows = testY.length;
        if (groups.groupOfRow().length != rows || testX.length != rows * w) {
            throw new IllegalArgumentException("subgroups cover " + groups.groupOfRow().length + " rows and testX "
                    + testX.length / Math.max(1, w) + " rows, expected " + rows);
        }
        double threshold = tr.request().threshold();
        int[] tPred = decisions(teacher.margins(testX, rows), threshold);
        int[] sPred = decisions(student.margins(testX, rows), threshold);
        int n = tr.size();
        RecourseBatch tb = tr.batch();
        boolean[] tFound = tb.foundMask();
        double[] tCost = tb.costs();
        float[] x = tr.factuals();
        float[] studentAtT = n == 0 ? new float[0] : student.margins(tb.counterfactualsOrFactuals(x), n);
        RecourseBatch sb = n == 0 ? new RecourseBatch(w, List.of()) : generator.generate(student, x, n, tr.request());
        boolean[] sFound = sb.foundMask();
        double[] sCost = sb.costs();

        int[] all = new int[rows];
        for (int r = 0; r < rows; r++) {
            all[r] = r;
        }
        int[][] rowMembers = groups.members(all);
        int[][] factualMembers = groups.members(tr.testRows());
        List<Group> out = new ArrayList<>();
        for (int g = 0; g < groups.names().size(); g++) {
            int[] rm = rowMembers[g];
            int[] tp = new int[rm.length];
            int[] sp = new int[rm.length];
            for (int i = 0; i < rm.length; i++) {
                tp[i] = tPred[rm[i]];
                sp[i] = sPred[rm[i]];
            }
            Fidelity fid = Fidelity.of(tp, sp);
            int[] fm = factualMembers[g];
            boolean[] tf = new boolean[fm.length];
            boolean[] sf = new boolean[fm.length];
            double[] tc = new double[fm.length];
            double[] sc = new double[fm.length];
            float[] sAt = new float[fm.length];
            int tCount = 0;
            int sCount = 0;
            for (int i = 0; i < fm.length; i++) {
                int k = fm[i];
                tf[i] = tFound[k];
                sf[i] = sFound[k];
                tc[i] = tCost[k];
                sc[i] = sCost[k];
                sAt[i] = studentAtT[k];
                tCount += tf[i] ? 1 : 0;
                sCount += sf[i] ? 1 : 0;
            }
            ValidityDrop vd = ValidityDrop.of(tf, sAt, threshold);
            RecourseGap gap = RecourseGap.of(tf, tc, sf, sc);
            out.add(new Group(groups.names().get(g), rm.length, fid.teacherUnfavorable(), fm.length, tCount,
                    gap.bothFound(), fid.agreement(), fid.leniency(),
                    fm.length == 0 ? Double.NaN : (double) tCount / fm.length,
                    fm.length == 0 ? Double.NaN : (double) sCount / fm.length, vd.value(), gap.mean(),
                    gap.ratioOfMeans()));
        }
        Map<String, Gap> gaps = new LinkedHashMap<>();
        for (String m : METRICS) {
            gaps.put(m, gap(out, g -> g.metric(m), g -> g.support(m)));
        }
        return new SubgroupAudit(groups.feature(), MIN_SUPPORT, out, gaps);
    }

    /** 1 where the favorable margin exceeds the threshold, as {@link Audit} decides. */
    static int[] decisions(float[] margins, double threshold) {
        int[] d = new int[margins.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = margins[i] > threshold ? 1 : 0;
        }
        return d;
    }

    private static Gap gap(List<Group> groups, ToDoubleFunction<Group> value, ToIntFunction<Group> support) {
        Group hi = null;
        Group lo = null;
        int supported = 0;
        for (Group g : groups) {
            double v = value.applyAsDouble(g);
            if (support.applyAsInt(g) < MIN_SUPPORT || !Double.isFinite(v)) {
                continue;
            }
            supported++;
            if (hi == null || v > value.applyAsDouble(hi)) {
                hi = g;
            }
            if (lo == null || v < value.applyAsDouble(lo)) {
                lo = g;
            }
        }
        if (supported < 2) {
            return new Gap(Double.NaN, null, null);
        }
        return new Gap(value.applyAsDouble(hi) - value.applyAsDouble(lo), hi.name(), lo.name());
    }
}
