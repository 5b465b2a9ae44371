package org.cfq.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cfq.faithful.CfqConfig;

/**
 * Two of the paper's CFQ ablations as grid methods (issue 14), registered in
 * {@link StudentMethods#builtIn()}; recipes and sources in docs/experiment.md.
 *
 * <ul>
 *   <li>{@code cfq-match}: the published student-matching ablation: published CFQ plus, from each
 *       factual whose teacher counterfactual is in the batch, the student's own short pgd
 *       (K = 3, the teacher search's step rule) differentiated through, with
 *       {@code a1 |d_S - d_T|_1 + a2 |cost_S - cost_T|}, a1 = a2 = 1
 *       ({@link CfqConfig.StudentMatch#defaults()});</li>
 *   <li>{@code cfq-kK-nS} (K in {1, 3}, S in {0, 0.01, 0.05, 0.1}): the teacher-quality evaluation:
 *       {@code cfq-kK} (K pgd steps, {@value PaperMethods#TEACHER_RESTARTS} restarts, searched per batch)
 *       whose teacher directions get Gaussian noise of sigma S in every batch, drawn from the cell's
 *       seed; S = 0 is {@code cfq-kK} itself, bit for bit.</li>
 * </ul>
 */
public final class CfqAblations {
    /** The noise levels of the teacher-quality evaluation. */
    public static final List<Double> NOISE = List.of(0.0, 0.01, 0.05, 0.1);
    /** The teacher-search depths it is crossed with. */
    public static final List<Integer> DEPTHS = List.of(1, 3);
    /** The student-matching ablation's id. */
    public static final String MATCH = "cfq-match";

    private CfqAblations() {
    }

    /** {@return every method of this class, in report order} */
    public static StudentMethods all() {
        StudentMethods m = StudentMethods.empty().register(StudentMethods.cfq(MATCH, CfqAblations::match));
        for (int k : DEPTHS) {
            for (double sigma : NOISE) {
                m.register(StudentMethods.cfq(qualityId(k, sigma), b -> quality(b, k, sigma)));
            }
        }
        return m;
    }

    /** The configuration of {@code cfq-match} at budget B. */
    public static CfqConfig match(double budget) {
        return CfqConfig.defaults(budget).withStudentMatch(CfqConfig.StudentMatch.defaults());
    }

    /** The configuration of {@code cfq-kK-nS}: {@code cfq-kK} with direction noise sigma (none at 0). */
    public static CfqConfig quality(double budget, int k, double sigma) {
        CfqConfig c = CfqConfig.defaults(budget).withTeacherSteps(k, PaperMethods.TEACHER_RESTARTS);
        return sigma > 0 ? c.withDirectionNoise(sigma) : c;
    }

    /** {@return the id of depth K and noise sigma, e.g. {@code cfq-k1-n0.05}} */
    public static String qualityId(int k, double sigma) {
        return "cfq-k" + k + "-n" + ExperimentPlan.plain(sigma);
    }

    /**
     * {@return the {@code quality} family: K in {1, 3} crossed with sigma in {0, 0.01, 0.05, 0.1}, at B = 4}
     * Sigma 0 runs as {@code cfq-k1} and {@code cfq-k3} (the same methods, so cells are shared with the
     * ablations family).
     */
    public static Suites.Suite qualitySuite() {
        List<String> methods = new ArrayList<>();
        for (int k : DEPTHS) {
            for (double sigma : NOISE) {
                methods.add(sigma == 0 ? "cfq-k" + k : qualityId(k, sigma));
            }
        }
        return new Suites.Suite("quality", String.format(Locale.ROOT, "Teacher quality: CFQ whose teacher "
                + "counterfactual directions get Gaussian noise sigma in %s (mutable columns, then projected onto the "
                + "action set; fresh in every batch, seeded from the cell) during training, crossed with teacher-search "
                + "depth K in %s (3 restarts, searched per batch; sigma 0 is cfq-k1 / cfq-k3), at B = 4.", NOISE,
                DEPTHS), List.of(4.0), methods, List.of(), true);
    }
}
