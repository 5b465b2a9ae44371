package org.cfq.experiment;

import java.util.List;

/**
 * The audit evaluations a grid cell can add to its row, beside the main audit (issue 14,
 * "Evaluations to add"): each reuses the cell's teacher, student, factuals and generator.
 *
 * <ul>
 *   <li>{@code subgroups}: VD, CRG, fidelity, leniency and feasibility per group of the dataset's
 *       group feature, and the largest gap between groups ({@code org.cfq.audit.SubgroupAudit}).</li>
 *   <li>{@code shift}: the same student audited on shifted test sets (feature noise, subgroup
 *       reweighting, label-prior shift; {@code org.cfq.audit.Shifts}).</li>
 *   <li>{@code tightness}: the same student audited with the box scaled about its centre and the
 *       sparsity limit moved by two.</li>
 *   <li>{@code theory}: the published sampled epsilon, mean margins, transfer rate and per-layer
 *       weight error ({@code org.cfq.audit.TheoryDiagnostics}).</li>
 * </ul>
 */
public final class Evaluations {
    /** The evaluation ids, in the order a row lists them. */
    public static final List<String> IDS = List.of("subgroups", "shift", "tightness", "theory");

    private Evaluations() {
    }
}
