package org.cfq.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.cfq.InvalidInputException;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.CostKind;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;
import org.cfq.recourse.diverse.DiverseConfig;
import org.cfq.recourse.diverse.DiverseGenerator;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;
import org.cfq.recourse.linear.LinearExactGenerator;
import org.cfq.recourse.spheres.GrowingSpheresConfig;
import org.cfq.recourse.spheres.GrowingSpheresGenerator;

/**
 * Recourse methods by name. {@link #builtIn()} holds every generator of cfq-core with this
 * library's defaults (what {@code cfq recourse} offers); {@link #published()} holds the two the
 * audit and the experiment grid use, with the published settings (pgd exactly as the published
 * loop: {@link PgdConfig#published()}; wachter with its defaults), so audit numbers compare with
 * the paper's. A registry is mutable: {@link #register} adds a method of your own.
 */
public final class RecourseMethods {
    private final Map<String, RecourseMethod> byId = new LinkedHashMap<>();

    private RecourseMethods() {
    }

    /** {@return an empty registry} */
    public static RecourseMethods empty() {
        return new RecourseMethods();
    }

    /** pgd, wachter, growing-spheres, linear-exact and diverse, each with its default settings. */
    public static RecourseMethods builtIn() {
        return empty()
                .register(gradient("pgd", PgdConfig.defaults(), s -> new PgdGenerator(s, PgdConfig.defaults())))
                .register(gradient("wachter", WachterConfig.defaults(),
                        s -> new WachterGenerator(s, WachterConfig.defaults())))
                .register(new Generic("growing-spheres", GrowingSpheresConfig.defaults().toString(),
                        (space, model, x, rows, req) -> new GrowingSpheresGenerator(space,
                                GrowingSpheresConfig.defaults()).generate(model, x, rows, req)))
                .register(new Generic("linear-exact", "exact", RecourseMethods::linearExact))
                .register(gradient("diverse", DiverseConfig.defaults(),
                        s -> new DiverseGenerator(s, DiverseConfig.defaults())));
    }

    /** pgd exactly as published and wachter with its defaults: the generators of the audit and the grid. */
    public static RecourseMethods published() {
        return empty()
                .register(gradient("pgd", PgdConfig.published(), s -> new PgdGenerator(s, PgdConfig.published())))
                .register(gradient("wachter", WachterConfig.defaults(),
                        s -> new WachterGenerator(s, WachterConfig.defaults())));
    }

    /**
     * {@return a method whose generator works on any differentiable classifier}
     *
     * @param settings the generator's configuration, recorded as its {@code toString()}
     */
    public static RecourseMethod gradient(String id, Object settings,
                                          Function<ActionSpace, RecourseGenerator<DifferentiableClassifier>> factory) {
        return new Gradient(id, String.valueOf(settings), factory);
    }

    /** Adds (or replaces) a method under its id; returns this registry. */
    public RecourseMethods register(RecourseMethod m) {
        byId.put(m.id().toLowerCase(Locale.ROOT), m);
        return this;
    }

    /** {@return the method of that name (any case), or empty} */
    public Optional<RecourseMethod> find(String id) {
        return Optional.ofNullable(byId.get(id == null ? "" : id.trim().toLowerCase(Locale.ROOT)));
    }

    /** @throws InvalidInputException naming the registered methods when the name is unknown */
    public RecourseMethod get(String id) {
        return find(id).orElseThrow(() -> new InvalidInputException("--method '" + id + "'",
                "not a recourse method", "Use one of " + ids()));
    }

    /**
     * The name of certified recourse: it needs a deployment set, so it is not a registered method
     * ({@link RecourseRun#runCertified} runs it).
     */
    public static final String CERTIFIED = "certified";

    /**
     * {@return the id of a method name: {@link #CERTIFIED}, or a registered method's id}
     *
     * @throws InvalidInputException naming the registered methods when the name is neither
     */
    public String idOrCertified(String name) {
        return isCertified(name) ? CERTIFIED : get(name).id();
    }

    /** {@return whether a method name is {@link #CERTIFIED}'s, in any case} */
    public static boolean isCertified(String name) {
        return name != null && CERTIFIED.equalsIgnoreCase(name.trim());
    }

    /**
     * {@return the recourse cost a user names ({@link CostKind#parse})}
     *
     * @throws InvalidInputException naming {@code --cost} and the kinds when {@code text} is not one
     */
    public static CostKind cost(String text) {
        try {
            return CostKind.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--cost '" + text + "'", "not a cost kind", "Use l1, mad, l0, l2 or mixed");
        }
    }

    /** {@return the names, in registration order} */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    private static RecourseBatch linearExact(ActionSpace space, Mlp model, float[] x, int rows, RecourseRequest req) {
        if (model.layers().size() != 1) {
            throw new InvalidInputException("--method linear-exact", "the model has hidden layers "
                    + Arrays.toString(model.hiddenSizes()) + "; linear-exact needs logistic regression",
                    "Train a logistic teacher, or use --method pgd");
        }
        return new LinearExactGenerator(space).generate(model, x, rows, req);
    }

    /** A run of a method on a float teacher. */
    @FunctionalInterface
    private interface Body {
        RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest request);
    }

    private record Gradient(String id, String settings,
                            Function<ActionSpace, RecourseGenerator<DifferentiableClassifier>> factory)
            implements RecourseMethod {
        @Override
        public RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest r) {
            return factory.apply(space).generate(model, factuals, rows, r);
        }

        @Override
        public RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest r,
                                 SearchProgress progress) {
            RecourseGenerator<DifferentiableClassifier> g = factory.apply(space);
            if (g instanceof SearchProgress.Reporting reporting) {
                reporting.reportTo(progress);
            }
            return g.generate(model, factuals, rows, r);
        }

        @Override
        public Optional<RecourseGenerator<DifferentiableClassifier>> generator(ActionSpace space) {
            return Optional.of(factory.apply(space));
        }
    }

    private record Generic(String id, String settings, Body body) implements RecourseMethod {
        @Override
        public RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest r) {
            return body.run(space, model, factuals, rows, r);
        }

        @Override
        public Optional<RecourseGenerator<DifferentiableClassifier>> generator(ActionSpace space) {
            return Optional.empty();
        }
    }
}
