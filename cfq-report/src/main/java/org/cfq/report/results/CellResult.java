package org.cfq.report.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One experiment cell: a student method at a bit budget for one dataset, seed and margin.
 *
 * @param dataset      dataset name
 * @param method       student method id ("ptq", "cfq", ...)
 * @param budget       the bit budget B
 * @param seed         the run seed
 * @param margin       the recourse margin
 * @param status       "ok", "unavailable" or "failed"
 * @param metrics      numeric audit metrics by their result-file key ("vd", "crg", ...), in the
 *                     order given; a metric the cell did not define is absent
 * @param bitsPerLayer the student's weight bits per layer; empty when not recorded
 * @param details      per-applicant facts; null when the cell did not record them
 */
public record CellResult(String dataset, String method, double budget, long seed, double margin, String status,
                         Map<String, Double> metrics, List<Integer> bitsPerLayer, Details details) {
    public CellResult {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(status, "status");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // the order given, the same in every run
        bitsPerLayer = List.copyOf(bitsPerLayer);
    }

    /** {@return whether the cell finished} */
    public boolean ok() {
        return status.equals("ok");
    }

    /** {@return a metric, empty when the cell did not define it} */
    public OptionalDouble metric(String key) {
        Double v = metrics.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * Per-applicant facts of a cell.
     *
     * @param teacherMargins teacher margins at the teacher's counterfactuals (the first found)
     * @param studentMargins the student's margins at the same points
     * @param examples       a few applicants, broken recourse first
     */
    public record Details(double[] teacherMargins, double[] studentMargins, List<Example> examples) {
        public Details {
            teacherMargins = teacherMargins.clone();
            studentMargins = studentMargins.clone();
            examples = List.copyOf(examples);
            if (teacherMargins.length != studentMargins.length) {
                throw new IllegalArgumentException("margin pairs need equal lengths, got " + teacherMargins.length
                        + " and " + studentMargins.length);
            }
        }

        @Override
        public double[] teacherMargins() {
            return teacherMargins.clone();
        }

        @Override
        public double[] studentMargins() {
            return studentMargins.clone();
        }
    }

    /**
     * One applicant: the teacher's counterfactual and what the student makes of it.
     *
     * @param testRow            the applicant's test row
     * @param teacherCf          the teacher's counterfactual as a readable diff
     * @param teacherMargin      the teacher's margin there
     * @param studentMargin      the student's margin at the teacher's counterfactual
     * @param studentHonours     whether the student scores it favorably
     * @param studentCf          the student's own counterfactual as a readable diff (or why none)
     */
    public record Example(int testRow, String teacherCf, double teacherMargin, double studentMargin,
                          boolean studentHonours, String studentCf) {
        public Example {
            Objects.requireNonNull(teacherCf, "teacherCf");
            Objects.requireNonNull(studentCf, "studentCf");
        }
    }
}
