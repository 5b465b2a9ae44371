package org.cfq.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.cfq.InvalidInputException;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqTrainer;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizeRequest;

/**
 * The quantization methods the experiment can run, by name. {@link #builtIn()} holds ptq, qat,
 * lsq, pact, mixed, cfq and cfq-ext; {@link #register} adds one of your own. A method whose
 * engine is not in this build is registered as {@link #unavailable} with the reason, so the
 * experiment reports it rather than faking it.
 */
public final class StudentMethods {
    private final Map<String, StudentMethod> byId = new LinkedHashMap<>();

    private StudentMethods() {
    }

    /** One method: a student from a teacher at an average-bits budget. */
    public interface StudentMethod {
        String id();

        /** {@return why the method cannot run in this build, or empty when it can} */
        Optional<String> unavailableReason();

        /** {@return the weight bits it targets at a budget (uniform methods: the largest width <= B)} */
        double targetBits(double budget);

        /**
         * Quantizes the context's teacher.
         *
         * @param rng the only source of randomness
         */
        DifferentiableClassifier quantize(TeacherContext ctx, double budget, SplittableRandom rng);

        /**
         * Quantizes and names the float model the audit must compare the student with: the
         * teacher, except for methods that first make a float model of their own (pruned,
         * distilled, recourse-regularised) and quantize that, as the paper audits them.
         */
        default Student train(TeacherContext ctx, double budget, SplittableRandom rng) {
            return Student.ofTeacher(quantize(ctx, budget, rng), ctx);
        }
    }

    /**
     * A method's student and the float model it started from.
     *
     * @param model     the student
     * @param reference the float model the audit compares it with (the teacher, or the method's own start)
     * @param note      what the reference is, for the output ("teacher" for the teacher)
     */
    public record Student(DifferentiableClassifier model, Mlp reference, String note) {
        public Student {
            java.util.Objects.requireNonNull(model, "model");
            java.util.Objects.requireNonNull(reference, "reference");
            java.util.Objects.requireNonNull(note, "note");
        }

        /** {@return a student audited against the context's teacher} */
        public static Student ofTeacher(DifferentiableClassifier model, TeacherContext ctx) {
            return new Student(model, ctx.teacher(), "teacher");
        }

        /** {@return whether the audit's reference is the teacher itself} */
        public boolean referenceIsTeacher(TeacherContext ctx) {
            return reference == ctx.teacher();
        }
    }

    /** A method body that makes its own float reference model and quantizes it. */
    @FunctionalInterface
    public interface Referenced {
        Student train(TeacherContext ctx, double budget, SplittableRandom rng);
    }

    /** A uniform-width method body: teacher, width, randomness in, student out. */
    @FunctionalInterface
    public interface Uniform {
        DifferentiableClassifier quantize(TeacherContext ctx, int bits, SplittableRandom rng);
    }

    /** A budget-level method body (mixed precision, CFQ): teacher, average-bits budget, randomness in, student out. */
    @FunctionalInterface
    public interface Budgeted {
        DifferentiableClassifier quantize(TeacherContext ctx, double budget, SplittableRandom rng);
    }

    /** {@return an empty registry} */
    public static StudentMethods empty() {
        return new StudentMethods();
    }

    /** The built-in methods, in the order the experiment reports them. */
    public static StudentMethods builtIn() {
        return empty().register(quantEngine(QuantMethod.PTQ)).register(quantEngine(QuantMethod.QAT))
                .register(quantEngine(QuantMethod.LSQ)).register(quantEngine(QuantMethod.PACT))
                .register(quantEngine(QuantMethod.MIXED)).register(cfq("cfq", CfqConfig::defaults))
                .register(cfq("cfq-ext", CfqConfig::extended)).registerAll(PaperMethods.all())
                .registerAll(CfqAblations.all());
    }

    /** Adds (or replaces) every method of another registry, in its order; returns this registry. */
    public StudentMethods registerAll(StudentMethods other) {
        other.byId.values().forEach(this::register);
        return this;
    }

    /** Adds (or replaces) a method under its id; returns this registry. */
    public StudentMethods register(StudentMethod m) {
        byId.put(m.id(), m);
        return this;
    }

    /** {@return the method of that name, or empty} */
    public Optional<StudentMethod> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** @throws InvalidInputException naming the registered methods when one of {@code ids} is unknown */
    public void checkKnown(List<String> ids) {
        for (String m : ids) {
            if (!byId.containsKey(m)) {
                throw new InvalidInputException("--methods " + String.join(",", ids), "unknown method '" + m + "'",
                        "Use some of " + String.join(", ", byId.keySet()));
            }
        }
    }

    /** {@return the method of that name} @throws InvalidInputException when it is unknown */
    public StudentMethod get(String id) {
        checkKnown(List.of(id));
        return byId.get(id);
    }

    /** {@return the names, in registration order} */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /**
     * A method of the quantization engine ({@link Quantization#run}) with its defaults: the
     * uniform ones at the largest whole width <= B, mixed precision at the budget B itself.
     */
    public static StudentMethod quantEngine(QuantMethod method) {
        if (method != QuantMethod.MIXED) {
            return uniform(method.id(), (ctx, bits, rng) -> engine(ctx, QuantizeRequest.of(method, bits), rng));
        }
        return budgeted(method.id(), (ctx, budget, rng) -> engine(ctx, QuantizeRequest.of(method, budget), rng));
    }

    private static DifferentiableClassifier engine(TeacherContext ctx, QuantizeRequest r, SplittableRandom rng) {
        return Quantization.run(ctx.teacher(), r, ctx.splits(), rng, (e, n, l, a, sec) -> { }).model();
    }

    /**
     * CFQ ({@link CfqTrainer}) at the budget B, with the teacher recourse request of the cell
     * (its margin, cost and sparsity): {@code cfq} is the published configuration,
     * {@code cfq-ext} adds this library's options (see {@link CfqConfig#extended}).
     */
    public static StudentMethod cfq(String id, DoubleFunction<CfqConfig> config) {
        return budgeted(id, (ctx, b, rng) -> new CfqTrainer(config.apply(b)).train(ctx.teacher(), ctx.space(),
                ctx.request(), ctx.splits(), rng).student());
    }

    /** {@return the largest whole width <= budget} @throws IllegalArgumentException below 2 bits */
    public static int uniformBits(double budget) {
        int b = (int) Math.floor(budget + 1e-9);
        if (b < QuantSpec.MIN_BITS) {
            throw new IllegalArgumentException("budget " + budget + " leaves no uniform width >= "
                    + QuantSpec.MIN_BITS);
        }
        return Math.min(b, QuantSpec.MAX_BITS);
    }

    /** A method that runs at the largest whole width <= B (and targets it). */
    public static StudentMethod uniform(String id, Uniform body) {
        return new Entry(id, Optional.empty(), true,
                (ctx, budget, rng) -> body.quantize(ctx, uniformBits(budget), rng));
    }

    /** A method that chooses its own widths under the average-bits budget B (targets B itself). */
    public static StudentMethod budgeted(String id, Budgeted body) {
        return new Entry(id, Optional.empty(), false, body);
    }

    /**
     * A budget-level method that quantizes a float model of its own making; the audit compares
     * the student with that model (see {@link Student}).
     */
    public static StudentMethod referenced(String id, Referenced body) {
        return new StudentMethod() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public double targetBits(double budget) {
                return budget;
            }

            @Override
            public DifferentiableClassifier quantize(TeacherContext ctx, double budget, SplittableRandom rng) {
                return body.train(ctx, budget, rng).model();
            }

            @Override
            public Student train(TeacherContext ctx, double budget, SplittableRandom rng) {
                return body.train(ctx, budget, rng);
            }
        };
    }

    /** A method that cannot run in this build, reported with its reason. */
    public static StudentMethod unavailable(String id, String reason) {
        return new Entry(id, Optional.of(reason), false, (ctx, budget, rng) -> {
            throw new IllegalStateException("method " + id + " is unavailable: " + reason);
        });
    }

    /**
     * A registered method: its name, why it cannot run (empty when it can), whether it runs at
     * the largest whole width <= B rather than at B, and its body at the budget.
     */
    private record Entry(String id, Optional<String> unavailableReason, boolean wholeWidth, Budgeted body)
            implements StudentMethod {
        @Override
        public double targetBits(double budget) {
            return wholeWidth ? uniformBits(budget) : budget;
        }

        @Override
        public DifferentiableClassifier quantize(TeacherContext ctx, double budget, SplittableRandom rng) {
            return body.quantize(ctx, budget, rng);
        }
    }
}
