package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.cfq.audit.AuditConfig;
import org.cfq.audit.SubgroupAudit;
import org.cfq.audit.Subgroups;
import org.cfq.audit.TeacherRecourse;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.recourse.RecourseGenerator;

/**
 * The audit evaluations a grid cell can add to its row, beside the main audit (issue 14,
 * "Evaluations to add"): each reuses the cell's teacher, student, factuals and generator.
 *
 * <ul>
 *   <li>{@code subgroups}: VD, CRG, fidelity, leniency and feasibility per group of the dataset's
 *       group feature, and the largest gap between groups ({@link SubgroupAudit}).</li>
 *   <li>{@code shift}: the same student audited on shifted test sets (feature noise, subgroup
 *       reweighting, label-prior shift).</li>
 *   <li>{@code tightness}: the same student audited with the box scaled about its centre and the
 *       sparsity limit moved by two.</li>
 *   <li>{@code theory}: the published sampled epsilon, mean margins, transfer rate and per-layer
 *       weight error.</li>
 *   <li>{@code robust}: the paper's robust recourse over quantization variants, standard against
 *       robust recourse ({@link RobustEvaluation}).</li>
 * </ul>
 *
 * <p>Each evaluation writes a detailed object under its id in the row, and its summary numbers
 * under {@code evaluation_metrics.<table>.<line>.<column>}, which {@link ExperimentSummary}
 * aggregates over seeds into one table per dataset.
 */
public final class Evaluations {
    /** The evaluation ids, in the order a row lists them. */
    public static final List<String> IDS = List.of("subgroups", "shift", "tightness", "theory", "robust");
    /** The key of the summary numbers in a row. */
    public static final String METRICS_KEY = "evaluation_metrics";
    /** The subgroup table's title. */
    public static final String SUBGROUP_TABLE = "Subgroups";
    /** The subgroup gap table's title. */
    public static final String SUBGROUP_GAP_TABLE = "Largest gap between subgroups";

    private Evaluations() {
    }

    /**
     * What an evaluation gets: the cell's teacher and student, the teacher's recourse and the
     * generator that found it (and the same kind of generator over another action space), the
     * audit settings, and a random stream of its own.
     */
    public record Input(String dataset, TeacherContext context, DifferentiableClassifier student, TeacherRecourse
            teacherRecourse, RecourseGenerator<DifferentiableClassifier> generator,
                        java.util.function.Function<org.cfq.recourse.ActionSpace,
                                RecourseGenerator<DifferentiableClassifier>> generatorFactory, AuditConfig audit,
                        SplittableRandom rng) {
        public Input {
            Objects.requireNonNull(generatorFactory, "generatorFactory");
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(student, "student");
            Objects.requireNonNull(teacherRecourse, "teacherRecourse");
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(rng, "rng");
        }
    }

    /**
     * Runs the evaluations and writes them into the row.
     *
     * @throws IllegalArgumentException for an unknown id
     */
    public static void put(ObjectNode row, List<String> ids, Input in) {
        ObjectNode metrics = row.putObject(METRICS_KEY);
        for (String id : ids) {
            switch (id) {
                case "subgroups" -> subgroups(row, metrics, in);
                case "shift", "tightness", "theory" -> StressEvaluations.put(id, row, metrics, in);
                case "robust" -> RobustEvaluation.put(row, metrics, in);
                default -> throw new IllegalArgumentException("unknown evaluation '" + id + "'; use some of " + IDS);
            }
        }
    }

    /** {@code evaluation_metrics.<table>.<line>} of a row, created on first use. */
    static ObjectNode line(ObjectNode metrics, String table, String line) {
        ObjectNode t = metrics.has(table) ? (ObjectNode) metrics.get(table) : metrics.putObject(table);
        return t.has(line) ? (ObjectNode) t.get(line) : t.putObject(line);
    }

    private static void subgroups(ObjectNode row, ObjectNode metrics, Input in) {
        String feature = DatasetRegistry.builtIn().subgroupFeature(in.dataset());
        ObjectNode o = row.putObject("subgroups");
        if (feature == null) {
            o.put("available", false);
            o.put("reason", "dataset '" + in.dataset() + "' names no subgroup feature");
            return;
        }
        TeacherContext c = in.context();
        Subgroups groups = Subgroups.of(c.data().train(), c.data().test(), feature);
        SubgroupAudit s = SubgroupAudit.of(c.teacher(), in.student(), c.splits(), groups, in.teacherRecourse(),
                in.generator());
        o.put("available", true);
        o.put("feature", s.feature());
        o.put("min_support", s.minSupport());
        ArrayNode a = o.putArray("groups");
        for (SubgroupAudit.Group g : s.groups()) {
            ObjectNode n = a.addObject();
            n.put("name", g.name());
            n.put("test_rows", g.testRows());
            n.put("teacher_unfavorable", g.teacherUnfavorable());
            n.put("factuals", g.factuals());
            n.put("teacher_found", g.teacherFound());
            n.put("crg_pairs", g.crgPairs());
            AuditJson.num(n, "fidelity", g.fidelity());
            AuditJson.num(n, "leniency", g.leniency());
            AuditJson.num(n, "teacher_feasible", g.teacherFeasible());
            AuditJson.num(n, "student_feasible", g.studentFeasible());
            AuditJson.num(n, "vd", g.vd());
            AuditJson.num(n, "crg", g.crg());
            AuditJson.num(n, "crg_ratio_of_means", g.crgRatioOfMeans());
            ObjectNode l = line(metrics, SUBGROUP_TABLE, feature + " = " + g.name());
            AuditJson.num(l, "factuals", g.factuals());
            AuditJson.num(l, "VD %", 100 * g.vd());
            AuditJson.num(l, "CRG %", 100 * g.crg());
            AuditJson.num(l, "fidelity %", 100 * g.fidelity());
            AuditJson.num(l, "leniency %", 100 * g.leniency());
            AuditJson.num(l, "T feas %", 100 * g.teacherFeasible());
            AuditJson.num(l, "S feas %", 100 * g.studentFeasible());
        }
        ObjectNode gaps = o.putObject("largest_gap");
        ObjectNode gl = line(metrics, SUBGROUP_GAP_TABLE, feature);
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("vd", "VD");
        titles.put("crg", "CRG");
        titles.put("fidelity", "fidelity");
        titles.put("leniency", "leniency");
        titles.put("teacher_feasible", "T feas");
        titles.put("student_feasible", "S feas");
        for (Map.Entry<String, SubgroupAudit.Gap> e : s.gaps().entrySet()) {
            ObjectNode n = gaps.putObject(e.getKey());
            AuditJson.num(n, "value", e.getValue().value());
            n.put("high", e.getValue().high());
            n.put("low", e.getValue().low());
            AuditJson.num(row, "subgroup_" + e.getKey() + "_gap", e.getValue().value());
            AuditJson.num(gl, titles.get(e.getKey()) + " gap (pts)", 100 * e.getValue().value());
        }
    }
}
