package org.cfq.experiment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The measured numbers of one cell, typed: what the results CSV holds and the summary
 * aggregates. NaN means undefined (a gap over zero pairs, a student that is not quantized, a
 * value a file did not hold), never zero.
 */
public record CellMetrics(double teacherAccuracy, double studentAccuracy, double studentAverageBits,
                          double fidelity, double leniency, double teacherFeasible, double studentFeasible,
                          double validityDrop, double recourseGap, double recourseGapMedian,
                          double recourseGapRatioOfMeans, double recourseGapAbsolute, double recourseGapPairs,
                          double directionCosine, double actionOverlap, double teacherMarginMedian,
                          double teacherMarginP10, double studentMarginMedian, double certifiedFraction,
                          double certifiedVdUpperBound, double publishedDiagnosticFraction, double factuals,
                          double testRows, double quantizeSeconds, double teacherRecourseSeconds,
                          double studentRecourseSeconds, double seconds) {

    /** {@return the metrics of a result row (the flat keys of {@link CellJson}); absent or null keys give NaN} */
    public static CellMetrics of(JsonNode row) {
        return new CellMetrics(num(row, "teacher_accuracy"), num(row, "student_accuracy"),
                num(row, "student_avg_bits"), num(row, "fidelity"), num(row, "leniency"),
                num(row, "teacher_feasible"), num(row, "student_feasible"), num(row, "vd"), num(row, "crg"),
                num(row, "crg_median"), num(row, "crg_ratio_of_means"), num(row, "crg_abs"), num(row, "crg_pairs"),
                num(row, "direction_cosine"), num(row, "action_overlap"), num(row, "teacher_margin_median"),
                num(row, "teacher_margin_p10"), num(row, "student_margin_median"), num(row, "certified_fraction"),
                num(row, "certified_vd_upper_bound"), num(row, "published_diagnostic_fraction_not_sound"),
                num(row, "factuals"), num(row, "test_rows"), num(row, "quantize_seconds"),
                num(row, "teacher_recourse_seconds"), num(row, "student_recourse_seconds"), num(row, "seconds"));
    }

    private static double num(JsonNode row, String key) {
        JsonNode v = row.get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
