package org.cfq.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import org.cfq.faithful.CfqConfig;
import org.cfq.faithful.CfqTrainer;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.quant.QuantSpec;
import org.cfq.quant.method.QuantMethod;
import org.cfq.quant.method.Quantization;
import org.cfq.quant.method.QuantizeRequest;

/**
 * The quantization methods {@code cfq experiment} can run, by name. Adding a method is one
 * {@code put} in {@link #registry()}; a method whose engine is not in this build is
 * registered as unavailable with the reason, so the experiment reports it rather than
 * faking it.
 */
final class StudentMethods {

    private StudentMethods() {
    }

    /** One method: a student from a teacher at an average-bits budget. */
    interface StudentMethod {
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
        DifferentiableClassifier quantize(QuantizeContext ctx, double budget, SplittableRandom rng);
    }

    /** A uniform-width method body: teacher, width, randomness in, student out. */
    @FunctionalInterface
    interface Uniform {
        DifferentiableClassifier quantize(QuantizeContext ctx, int bits, SplittableRandom rng);
    }

    /** A budget-level method body (mixed precision, CFQ): teacher, average-bits budget, randomness in, student out. */
    @FunctionalInterface
    interface Budgeted {
        DifferentiableClassifier quantize(QuantizeContext ctx, double budget, SplittableRandom rng);
    }

    /** The methods in the order the experiment reports them. */
    static Map<String, StudentMethod> registry() {
        Map<String, StudentMethod> m = new LinkedHashMap<>();
        put(m, quantEngine(QuantMethod.PTQ));
        put(m, quantEngine(QuantMethod.QAT));
        put(m, quantEngine(QuantMethod.LSQ));
        put(m, quantEngine(QuantMethod.PACT));
        put(m, quantEngine(QuantMethod.MIXED));
        put(m, cfq("cfq", CfqConfig::defaults));
        put(m, cfq("cfq-ext", CfqConfig::extended));
        return Collections.unmodifiableMap(m);
    }

    /**
     * A method of the quantization engine ({@link Quantization#run}) with its defaults: the
     * uniform ones at the largest whole width <= B, mixed precision at the budget B itself.
     */
    static StudentMethod quantEngine(QuantMethod method) {
        if (method != QuantMethod.MIXED) {
            return uniform(method.id(), (ctx, bits, rng) -> Quantization.run(ctx.teacher,
                    QuantizeRequest.of(method, bits), ctx.trainX, ctx.trainY, ctx.valX, ctx.valY, rng,
                    (e, n, l, a, s) -> { }).model());
        }
        return budgeted(method.id(), (ctx, budget, rng) -> Quantization.run(ctx.teacher,
                QuantizeRequest.of(method, budget), ctx.trainX, ctx.trainY, ctx.valX, ctx.valY, rng,
                (e, n, l, a, s) -> { }).model());
    }

    /**
     * CFQ ({@link CfqTrainer}) at the budget B, with the teacher recourse request of the cell
     * (its margin, cost and sparsity): {@code cfq} is the published configuration,
     * {@code cfq-ext} adds this library's options (see {@link CfqConfig#extended}).
     */
    static StudentMethod cfq(String id, DoubleFunction<CfqConfig> config) {
        return budgeted(id, (ctx, b, rng) -> new CfqTrainer(config.apply(b)).train(ctx.teacher, ctx.space,
                ctx.request, ctx.trainX, ctx.trainY, ctx.valX, ctx.valY, rng).student());
    }

    /** {@return the largest whole width <= budget} @throws IllegalArgumentException below 2 bits */
    static int uniformBits(double budget) {
        int b = (int) Math.floor(budget + 1e-9);
        if (b < QuantSpec.MIN_BITS) {
            throw new IllegalArgumentException("budget " + budget + " leaves no uniform width >= "
                    + QuantSpec.MIN_BITS);
        }
        return Math.min(b, QuantSpec.MAX_BITS);
    }

    static StudentMethod uniform(String id, Uniform body) {
        return new Entry(id, Optional.empty(), true,
                (ctx, budget, rng) -> body.quantize(ctx, uniformBits(budget), rng));
    }

    /** A method that chooses its own widths under the average-bits budget B (targets B itself). */
    static StudentMethod budgeted(String id, Budgeted body) {
        return new Entry(id, Optional.empty(), false, body);
    }

    static StudentMethod unavailable(String id, String reason) {
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
        public DifferentiableClassifier quantize(QuantizeContext ctx, double budget, SplittableRandom rng) {
            return body.quantize(ctx, budget, rng);
        }
    }

    private static void put(Map<String, StudentMethod> m, StudentMethod s) {
        m.put(s.id(), s);
    }
}
