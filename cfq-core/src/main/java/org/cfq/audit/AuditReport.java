package org.cfq.audit;

import java.util.List;
import java.util.Objects;
import org.cfq.recourse.RecourseRequest;

/**
 * Everything an audit of one teacher / student pair measured.
 *
 * @param selection        how the factuals were chosen
 * @param factuals         number of factuals
 * @param testRows         number of test rows (accuracy, fidelity and leniency use all of them)
 * @param generator        the recourse generator's name
 * @param generatorSettings its settings, for people and files
 * @param request          margin, threshold, cost, sparsity and seed of both searches
 * @param teacherAccuracy  teacher accuracy on the test rows
 * @param studentAccuracy  student accuracy on the test rows
 * @param fidelity         decision agreement and leniency on the test rows
 * @param teacherFound     factuals with a teacher counterfactual
 * @param studentFound     factuals with a student counterfactual (searched from the same x)
 * @param validityDrop     teacher counterfactuals the student does not score favorably
 * @param recourseGap      the student's recourse cost relative to the teacher's
 * @param direction        cosine and action overlap of the two recourses
 * @param margins          margins at the teacher's counterfactuals
 * @param certificate      the per-layer weight-box certificate (sound, answers "any quantization within this
 *                         error"; on trained networks nearly vacuous)
 * @param neighbourhood    the headline sound certificates of this student over the applicant's neighbourhood
 * @param diagnostic       the published, not sound, sampled diagnostic
 * @param teacherSeconds   seconds of the teacher's recourse search
 * @param studentSeconds   seconds of the student's recourse search
 * @param seconds          seconds of the whole audit (teacher search included when it ran here)
 * @param plausibility     mean yNN and LOF of the teacher's and the student's counterfactuals, or
 *                         null when the audit was not asked to measure them
 */
public record AuditReport(FactualSelection selection, int factuals, int testRows, String generator,
                          String generatorSettings, RecourseRequest request, double teacherAccuracy,
                          double studentAccuracy, Fidelity fidelity, int teacherFound, int studentFound,
                          ValidityDrop validityDrop, RecourseGap recourseGap, DirectionStability direction,
                          Margins margins, Certificate certificate, NeighbourhoodCertificate neighbourhood,
                          Diagnostic diagnostic, double teacherSeconds, double studentSeconds, double seconds,
                          Plausible plausibility) {
    /** A report without plausibility and without the neighbourhood certificate (marked unavailable). */
    public AuditReport(FactualSelection selection, int factuals, int testRows, String generator,
                       String generatorSettings, RecourseRequest request, double teacherAccuracy,
                       double studentAccuracy, Fidelity fidelity, int teacherFound, int studentFound,
                       ValidityDrop validityDrop, RecourseGap recourseGap, DirectionStability direction,
                       Margins margins, Certificate certificate, Diagnostic diagnostic, double teacherSeconds,
                       double studentSeconds, double seconds) {
        this(selection, factuals, testRows, generator, generatorSettings, request, teacherAccuracy, studentAccuracy,
                fidelity, teacherFound, studentFound, validityDrop, recourseGap, direction, margins, certificate,
                new NeighbourhoodCertificate(false, "not computed", "exact point", 0, 0, 0, Double.NaN, Double.NaN),
                diagnostic, teacherSeconds, studentSeconds, seconds, null);
    }

    /**
     * Plausibility of the two recourses ({@link org.cfq.recourse.Plausibility}, k = 5): means over
     * the found counterfactuals, NaN when none.
     *
     * @param teacherYnn mean yNN of the teacher's counterfactuals (neighbours labelled by the teacher)
     * @param teacherLof mean LOF of the teacher's counterfactuals against the favorable training rows
     * @param studentYnn mean yNN of the student's counterfactuals (neighbours labelled by the teacher)
     * @param studentLof mean LOF of the student's counterfactuals
     */
    public record Plausible(double teacherYnn, double teacherLof, double studentYnn, double studentLof) {
    }

    public AuditReport {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(generatorSettings, "generatorSettings");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(fidelity, "fidelity");
        Objects.requireNonNull(validityDrop, "validityDrop");
        Objects.requireNonNull(recourseGap, "recourseGap");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(margins, "margins");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(neighbourhood, "neighbourhood");
        Objects.requireNonNull(diagnostic, "diagnostic");
        if (factuals < 0 || teacherFound < 0 || studentFound < 0 || teacherFound > factuals
                || studentFound > factuals) {
            throw new IllegalArgumentException("found counts must be in [0, factuals = " + factuals + "], got "
                    + teacherFound + " and " + studentFound);
        }
    }

    /** {@return the share of factuals with a teacher counterfactual, NaN without factuals} */
    public double teacherFeasible() {
        return factuals == 0 ? Double.NaN : (double) teacherFound / factuals;
    }

    /** {@return the share of factuals with a student counterfactual, NaN without factuals} */
    public double studentFeasible() {
        return factuals == 0 ? Double.NaN : (double) studentFound / factuals;
    }

    /**
     * Favorable margins at the teacher's counterfactuals (over the factuals the teacher found
     * one for; NaN when none).
     *
     * @param teacherMedian median teacher margin
     * @param teacherP10    10th percentile of the teacher margin
     * @param studentMedian median student margin at the same points
     */
    public record Margins(double teacherMedian, double teacherP10, double studentMedian) {
    }

    /**
     * The sound certificate at the teacher's counterfactuals: a point is certified when the
     * interval-bound lower bound of the favorable margin, over every network inside the
     * per-layer intervals that contain the student, is above the decision threshold. A
     * certified point is valid on the student, so {@code VD <= 1 - certifiedFraction}.
     *
     * @param available            false when the student's weights cannot be read (then the
     *                             counts are 0 and {@link #note()} says why)
     * @param note                 what the bound covers, or why there is none
     * @param checked              teacher counterfactuals checked (the teacher-found ones)
     * @param certified            of them, those certified
     * @param weightRadius         per-layer weight radius {@code max |W - Q(W)|}
     * @param biasRadius           per-layer bias radius
     * @param activationsQuantized whether the student's activation quantizers were propagated
     * @param medianBound          median lower bound over the checked points (NaN when none)
     */
    public record Certificate(boolean available, String note, int checked, int certified, List<Double> weightRadius,
                              List<Double> biasRadius, boolean activationsQuantized, double medianBound) {
        public Certificate {
            Objects.requireNonNull(note, "note");
            weightRadius = List.copyOf(weightRadius);
            biasRadius = List.copyOf(biasRadius);
            if (certified < 0 || certified > checked) {
                throw new IllegalArgumentException("certified must be in [0, checked = " + checked + "], got "
                        + certified);
            }
        }

        /** {@return certified / checked; NaN when unavailable or nothing was checked} */
        public double certifiedFraction() {
            return !available || checked == 0 ? Double.NaN : (double) certified / checked;
        }

        /** {@return the sound upper bound of VD, {@code 1 - certifiedFraction}} */
        public double vdUpperBound() {
            return 1 - certifiedFraction();
        }
    }

    /**
     * The sound certificates of this student (as it computes: its weights, float32 rounding in any
     * order, its activation quantizers) at the teacher's counterfactuals, over the applicant's
     * neighbourhood (bound propagation, {@code org.cfq.bounds}).
     *
     * @param available         false when the student's network cannot be read
     * @param note              what the bound covers, or why there is none
     * @param tolerance         the neighbourhood, in words ("exact point" or the tolerances)
     * @param checked           teacher counterfactuals checked (the teacher-found ones)
     * @param certified         of them, those whose student margin is proven above the threshold on the whole
     *                          neighbourhood (so {@code VD <= 1 - certified / checked})
     * @param transferCertified of them, those meeting the paper's transfer condition soundly: the teacher's
     *                          margin lower bound over the neighbourhood exceeds {@code 2 eps}, with {@code eps}
     *                          a sound bound on {@code max_k |z_S,k - z_T,k|} over the neighbourhood
     * @param medianBound       median student margin lower bound (NaN when none)
     * @param medianEpsilon     median bound on {@code max_k |z_S,k - z_T,k|} (NaN when none)
     */
    public record NeighbourhoodCertificate(boolean available, String note, String tolerance, int checked,
                                           int certified, int transferCertified, double medianBound,
                                           double medianEpsilon) {
        public NeighbourhoodCertificate {
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(tolerance, "tolerance");
            if (certified < 0 || certified > checked || transferCertified < 0 || transferCertified > checked) {
                throw new IllegalArgumentException("certified counts must be in [0, checked = " + checked + "], got "
                        + certified + ", " + transferCertified);
            }
        }

        /** {@return certified / checked; NaN when unavailable or nothing was checked} */
        public double certifiedFraction() {
            return !available || checked == 0 ? Double.NaN : (double) certified / checked;
        }

        /** {@return transferCertified / checked; NaN when unavailable or nothing was checked} */
        public double transferFraction() {
            return !available || checked == 0 ? Double.NaN : (double) transferCertified / checked;
        }

        /** {@return the sound upper bound of VD, {@code 1 - certifiedFraction}} */
        public double vdUpperBound() {
            return 1 - certifiedFraction();
        }
    }

    /**
     * The published sufficient condition, evaluated by sampling and therefore <b>not
     * sound</b>: a teacher counterfactual passes when the teacher's margin there exceeds
     * {@code 2 * eps}, where {@code eps} is the sampled logit perturbation at that point:
     * the largest {@code |z_k(x') - z^T_k(x')|} over both logits and over the student plus
     * {@code networks - 1} networks drawn uniformly inside the certificate's intervals (with
     * the student's activation quantizers). Sampling can miss the worst network, so a
     * passing point may still be invalid.
     *
     * @param networks      networks evaluated (the student included)
     * @param checked       teacher counterfactuals checked
     * @param passed        of them, those passing
     * @param medianEpsilon median sampled eps over the checked points
     */
    public record Diagnostic(int networks, int checked, int passed, double medianEpsilon) {
        public Diagnostic {
            if (passed < 0 || passed > checked) {
                throw new IllegalArgumentException("passed must be in [0, checked = " + checked + "], got " + passed);
            }
        }

        /** {@return passed / checked, NaN when nothing was checked} */
        public double fraction() {
            return checked == 0 ? Double.NaN : (double) passed / checked;
        }

        /** {@return false: sampling is not a proof} */
        public boolean sound() {
            return false;
        }
    }
}
