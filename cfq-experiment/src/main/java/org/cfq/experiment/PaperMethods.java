package org.cfq.experiment;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqTrainer;
import org.cfq.faithful.CounterfactualPtq;
import org.cfq.faithful.RecourseAwareTraining;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.quant.calibrate.OutputCalibration;
import org.cfq.quant.mixed.BitBudget;
import org.cfq.quant.mixed.MixedPtq;
import org.cfq.train.Distillation;
import org.cfq.train.MagnitudePruning;
import org.cfq.train.TrainingConfig;

/**
 * The paper's baselines and ablations as grid methods (issue 14, "Methods to add"); each
 * recipe and its source is in docs/experiment.md. Registered in {@link StudentMethods#builtIn()}.
 *
 * <ul>
 *   <li>{@code fp32}: the teacher itself (VD 0 by definition, a sanity row);</li>
 *   <li>{@code mixedprec}: the CFQ trainer with the recourse term off (eta 0): the paper's
 *       "without CF loss" ablation and mixed-precision baseline;</li>
 *   <li>{@code cfq-hinge}: published CFQ plus {@code 0.25 relu(0.25 - m)} at the teacher's
 *       counterfactuals;</li>
 *   <li>{@code cfq-uniform}: CFQ with one candidate width (the largest whole width &lt;= B);</li>
 *   <li>{@code cfq-k1}, {@code cfq-k2}, {@code cfq-k3}: CFQ whose teacher search runs K pgd steps
 *       with {@value #TEACHER_RESTARTS} restarts, searched in every batch (the published way);
 *       {@code cfq-kK-once}: K steps, one restart from d = 0, searched once (ours);</li>
 *   <li>{@code prune-q}, {@code kd-q}, {@code r-margin}, {@code r-consistency}: a float model of
 *       the method's own (30% global magnitude pruning of the teacher; a student distilled at
 *       T 2, alpha 0.5; a model trained with a recourse-margin hinge; two peers trained for
 *       consistency at recourse points), then {@code mixedprec} on it; the audit's reference is
 *       that float model, as in the paper;</li>
 *   <li>{@code ptq-out}, {@code mixed-ptq} (exact allocation; {@code mixed-ptq-greedy}: the
 *       published greedy ratio), {@code cf-ptq} ({@code cf-ptq-greedy}): the PTQ family,
 *       calibrated on the validation rows.</li>
 * </ul>
 */
public final class PaperMethods {
    /** Restarts of the teacher search of the depth variants {@code cfq-k1}, {@code cfq-k3}. */
    public static final int TEACHER_RESTARTS = 3;

    private PaperMethods() {
    }

    /** {@return every method of this family, in report order} */
    public static StudentMethods all() {
        StudentMethods m = StudentMethods.empty().register(fp32())
                .register(cfqVariant("mixedprec", b -> CfqConfig.defaults(b).withEta(0)))
                .register(cfqVariant("cfq-hinge", b -> CfqConfig.defaults(b).withHinge(0.25, 0.25)));
        // one candidate width: the largest whole width <= B, run (and targeted) like a uniform method
        m.register(StudentMethods.uniform("cfq-uniform", (ctx, bits, rng) -> new CfqTrainer(
                CfqConfig.defaults(bits).withUniformWidth(bits)).train(ctx.teacher(), ctx.space(), ctx.request(),
                ctx.splits(), rng).student()));
        for (int k = 1; k <= 3; k++) {
            int steps = k;
            // with restarts (noise): searched in every batch, the published way
            m.register(cfqVariant("cfq-k" + k, b -> CfqConfig.defaults(b).withTeacherSteps(steps, TEACHER_RESTARTS)));
            // one restart from d = 0: searched once before the first epoch (ours)
            m.register(cfqVariant("cfq-k" + k + "-once", b -> CfqConfig.defaults(b).withTeacherSteps(steps, 1)));
        }
        m.register(StudentMethods.referenced("prune-q", PaperMethods::pruneQ));
        m.register(StudentMethods.referenced("kd-q", PaperMethods::kdQ));
        m.register(StudentMethods.referenced("r-margin", PaperMethods::rMargin));
        m.register(StudentMethods.referenced("r-consistency", PaperMethods::rConsistency));
        m.register(StudentMethods.uniform("ptq-out", (ctx, bits, rng) -> ptqOut(ctx, bits, rng)));
        m.register(StudentMethods.budgeted("mixed-ptq", (ctx, b, rng) -> mixedPtq(ctx, b, MixedPtq.Allocation.EXACT,
                rng)));
        m.register(StudentMethods.budgeted("mixed-ptq-greedy", (ctx, b, rng) -> mixedPtq(ctx, b,
                MixedPtq.Allocation.GREEDY, rng)));
        m.register(StudentMethods.budgeted("cf-ptq", (ctx, b, rng) -> cfPtq(ctx, b, MixedPtq.Allocation.EXACT, rng)
                .student().model()));
        m.register(StudentMethods.budgeted("cf-ptq-greedy", (ctx, b, rng) -> cfPtq(ctx, b,
                MixedPtq.Allocation.GREEDY, rng).student().model()));
        return m;
    }

    /** The configuration of {@code mixedprec} at budget B: published CFQ with eta 0 (no recourse term at all). */
    public static CfqConfig mixedprec(double budget) {
        return CfqConfig.defaults(budget).withEta(0);
    }

    /** A CFQ configuration as a grid method (the cell's recourse request, the dataset's action space). */
    public static StudentMethods.StudentMethod cfqVariant(String id, DoubleFunction<CfqConfig> config) {
        return StudentMethods.cfq(id, config);
    }

    /** {@code fp32}: the float teacher as the "student" (its target is 32 bits whatever the budget). */
    public static StudentMethods.StudentMethod fp32() {
        return new StudentMethods.StudentMethod() {
            @Override
            public String id() {
                return "fp32";
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public double targetBits(double budget) {
                return 32;
            }

            @Override
            public DifferentiableClassifier quantize(TeacherContext ctx, double budget, SplittableRandom rng) {
                return ctx.teacher();
            }
        };
    }

    /** {@return {@code mixedprec} on a float model: the student of the reference-model baselines} */
    static DifferentiableClassifier mixedprecOn(Mlp reference, TeacherContext ctx, double budget,
                                                SplittableRandom rng) {
        return new CfqTrainer(mixedprec(budget)).train(reference, ctx.space(), ctx.request(), ctx.splits(), rng)
                .student();
    }

    /**
     * The reference models' training: the teacher's architecture, the default optimiser, epochs and patience,
     * at the learning rate of that shape (a logistic teacher's reference models train at its rate).
     */
    static TrainingConfig referenceTraining(TeacherContext ctx, long seed) {
        List<Integer> hidden = java.util.Arrays.stream(ctx.teacher().hiddenSizes()).boxed().toList();
        return TrainingConfig.defaults().withBackbone(hidden).withSeed(seed);
    }

    static StudentMethods.Student pruneQ(TeacherContext ctx, double budget, SplittableRandom rng) {
        Mlp pruned = MagnitudePruning.prune(ctx.teacher(), MagnitudePruning.PAPER_FRACTION);
        return new StudentMethods.Student(mixedprecOn(pruned, ctx, budget, rng), pruned,
                "the teacher with 30% of its weights pruned (global magnitude), not the teacher");
    }

    static StudentMethods.Student kdQ(TeacherContext ctx, double budget, SplittableRandom rng) {
        var s = ctx.splits();
        Mlp kd = Distillation.train(ctx.teacher(), referenceTraining(ctx, rng.nextLong()), Distillation.TEMPERATURE,
                Distillation.ALPHA, s.trainX(), s.trainY(), s.validationX(), s.validationY()).model();
        return new StudentMethods.Student(mixedprecOn(kd, ctx, budget, rng), kd,
                "a float student distilled from the teacher (T 2, alpha 0.5), not the teacher");
    }

    static StudentMethods.Student rMargin(TeacherContext ctx, double budget, SplittableRandom rng) {
        var s = ctx.splits();
        Mlp m = RecourseAwareTraining.margin(referenceTraining(ctx, 0), ctx.space(), ctx.request(), s.trainX(),
                s.trainY(), s.validationX(), s.validationY(), rng.split()).result().model();
        return new StudentMethods.Student(mixedprecOn(m, ctx, budget, rng), m,
                "a float model trained with the recourse-margin hinge (r-margin), not the teacher");
    }

    static StudentMethods.Student rConsistency(TeacherContext ctx, double budget, SplittableRandom rng) {
        var s = ctx.splits();
        Mlp m = RecourseAwareTraining.consistency(referenceTraining(ctx, 0), ctx.space(), ctx.request(), s.trainX(),
                s.trainY(), s.validationX(), s.validationY(), rng.split()).first().model();
        return new StudentMethods.Student(mixedprecOn(m, ctx, budget, rng), m,
                "the first of two float peers trained for recourse consistency (r-consistency), not the teacher");
    }

    static DifferentiableClassifier ptqOut(TeacherContext ctx, int bits, SplittableRandom rng) {
        var s = ctx.splits();
        int[] b = new int[ctx.teacher().layers().size()];
        java.util.Arrays.fill(b, bits);
        return OutputCalibration.calibrate(ctx.teacher(), b, OutputCalibration.Config.published(), s.validationX(),
                s.validationY().length, rng).model();
    }

    static DifferentiableClassifier mixedPtq(TeacherContext ctx, double budget, MixedPtq.Allocation a,
                                             SplittableRandom rng) {
        var s = ctx.splits();
        return MixedPtq.quantize(ctx.teacher(), BitBudget.of(budget), a, OutputCalibration.Config.published(),
                s.validationX(), s.validationY(), s.validationY().length, rng).model();
    }

    static CounterfactualPtq.Result cfPtq(TeacherContext ctx, double budget, MixedPtq.Allocation a,
                                          SplittableRandom rng) {
        var s = ctx.splits();
        return CounterfactualPtq.quantize(ctx.teacher(), BitBudget.of(budget), a, OutputCalibration.Config.published(),
                ctx.space(), ctx.request(), s.validationX(), s.validationY(), s.validationY().length, rng);
    }

    /**
     * {@return the families of these methods for {@code cfq experiment --suite}: ablations, baselines,
     * ptq, runtime, and quality ({@link CfqAblations})} (the backbone families are in {@link Suites#builtIn()})
     */
    public static List<Suites.Suite> suites() {
        List<Double> b = List.of(3.0, 4.0);
        return List.of(
                new Suites.Suite("ablations", "CFQ ablations: published CFQ, without the recourse term (mixedprec), "
                        + "one candidate width (cfq-uniform), teacher-search depth K = 1 and 3 with 3 restarts, the "
                        + "hinge variant (eta 1 + 0.25 relu(0.25 - m)), student matching (cfq-match: the student's own "
                        + "3-step pgd differentiated through, |d_S - d_T|_1 + |cost_S - cost_T|), and our extended set, "
                        + "at B = 3 and 4.", b,
                        List.of("cfq", "mixedprec", "cfq-uniform", "cfq-k1", "cfq-k3", "cfq-hinge", "cfq-match",
                                "cfq-ext"),
                        List.of(), true),
                new Suites.Suite("baselines", "Baselines: the teacher (fp32), mixed precision, CFQ, and the four "
                        + "float-model baselines followed by mixedprec (prune-q: 30% global magnitude pruning; kd-q: "
                        + "T 2, alpha 0.5; r-margin; r-consistency), whose rows are audited against their own float "
                        + "model (reference_model), at B = 3 and 4.", b,
                        List.of("fp32", "mixed", "cfq", "prune-q", "kd-q", "r-margin", "r-consistency"), List.of(),
                        true),
                new Suites.Suite("ptq", "The PTQ family: min-max/MSE PTQ, ptq-out (steps and clips fitted to the "
                        + "teacher's logits on validation rows, Adam 5e-3, 8 epochs), mixed-ptq (mean |dCE/dW| "
                        + "sensitivity; exact allocator, and the published greedy ratio), cf-ptq (also at the "
                        + "teacher's recourse points), and CFQ, at B = 3 and 4.", b,
                        List.of("ptq", "ptq-out", "mixed-ptq", "mixed-ptq-greedy", "cf-ptq", "cf-ptq-greedy", "cfq"),
                        List.of(), true),
                new Suites.Suite("runtime", "Runtime vs teacher-search depth: CFQ with K = 1, 2, 3 pgd steps, "
                        + "searched per batch with 3 restarts (published) and once from d = 0 (ours), beside "
                        + "mixedprec, at B = 4; the summary's runtime table gives CFQ's quantize seconds relative to "
                        + "mixedprec's (per seed, then mean over seeds) for each K, both ways.", List.of(4.0),
                        List.of("mixedprec", "cfq-k1", "cfq-k2", "cfq-k3", "cfq-k1-once", "cfq-k2-once",
                                "cfq-k3-once"), List.of(), true),
                CfqAblations.qualitySuite());
    }
}
