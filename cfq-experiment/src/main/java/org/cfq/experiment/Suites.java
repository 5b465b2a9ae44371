package org.cfq.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The experiment families of the paper (issue 14, "One command per family"): each suite is a
 * grid with the published settings, run into its own directory ({@code OUT/<suite>}) so each
 * family gets its own cells, results and Markdown summary. A registry like
 * {@link StudentMethods}: {@link #register} adds a family ({@code ablations}, {@code baselines},
 * {@code ptq}, {@code backbones}, {@code runtime} come with their methods).
 */
public final class Suites {
    /** The datasets every family runs on unless told otherwise. */
    public static final List<String> DATASETS = List.of("adult", "german", "compas", "bank");
    /** The seeds every family runs unless told otherwise. */
    public static final List<Long> SEEDS = List.of(42L, 123L, 2024L);
    /** The id that runs every registered family, one after the other. */
    public static final String ALL = "all";

    /**
     * One family.
     *
     * @param id           the name users type
     * @param description  what it measures and with which published settings (written atop its summary)
     * @param budgets      its budgets
     * @param methods      its methods
     * @param evaluations  the audit evaluations its cells add ({@link Evaluations#IDS})
     * @param splitPerSeed a fresh split per run seed (the authors' protocol)
     * @param teacherHidden the hidden widths of this family's teachers, or null for the base plan's; the
     *                      family's teachers take the learning rate of that shape ({@link
     *                      org.cfq.train.TrainingConfig#withBackbone})
     */
    public record Suite(String id, String description, List<Double> budgets, List<String> methods,
                        List<String> evaluations, boolean splitPerSeed, List<Integer> teacherHidden) {
        public Suite {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(description, "description");
            budgets = List.copyOf(budgets);
            methods = List.copyOf(methods);
            evaluations = List.copyOf(evaluations);
            teacherHidden = teacherHidden == null ? null : List.copyOf(teacherHidden);
        }

        /** A family on the base plan's teachers. */
        public Suite(String id, String description, List<Double> budgets, List<String> methods,
                     List<String> evaluations, boolean splitPerSeed) {
            this(id, description, budgets, methods, evaluations, splitPerSeed, null);
        }

        /**
         * {@return the plan of this family: the base plan's datasets, seeds, recourse, factuals,
         * actions and teacher, with this family's budgets, methods, evaluations and split, writing
         * into {@code base.out()/<id>}}
         */
        public ExperimentPlan plan(ExperimentPlan base) {
            return new ExperimentPlan(base.datasets(), budgets, methods, base.seeds(), base.recourse(), base.margins(),
                    base.factuals(), base.maxFactuals(), base.out().resolve(id), base.dataDir(), base.actions(),
                    teacherHidden == null ? base.teacher() : base.teacher().withBackbone(teacherHidden),
                    base.splitSeed(), splitPerSeed || base.splitPerSeed(), evaluations);
        }

        /** {@return the Markdown header of this family's summary: its name, description and command} */
        public String header(String command) {
            return "# Suite `" + id + "`\n\n" + description + "\n\nCommand: `" + command + "`\n\n";
        }
    }

    /** The id of the backbone families together: {@code backbones-logistic} and {@code backbones-deep}. */
    public static final String BACKBONES = "backbones";

    private final Map<String, Suite> byId = new LinkedHashMap<>();
    /** Names that run several families (e.g. {@link #BACKBONES}), each in its own directory. */
    private final Map<String, List<String>> groups = new LinkedHashMap<>();

    private Suites() {
    }

    /** The families of this build: main, budget, stress, subgroups, theory. */
    public static Suites builtIn() {
        List<String> core = List.of("ptq", "mixed", "cfq");
        Suites s = new Suites();
        s.register(new Suite("main", "The paper's main grid: PTQ, QAT, LSQ, PACT, mixed precision and CFQ at "
                + "budgets 2.5 to 6 bits, three seeds, a fresh stratified split per seed (the authors' protocol), "
                + "pgd recourse with the published settings, at most 512 factuals per audit.",
                List.of(2.5, 3.0, 4.0, 5.0, 6.0), List.of("ptq", "qat", "lsq", "pact", "mixed", "cfq"), List.of(), true));
        s.register(new Suite("budget", "The budget sweep: PTQ, mixed precision and CFQ from 2 to 8 bits, to draw "
                + "validity drop and recourse gap against the bit budget.",
                List.of(2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0), core, List.of(), true));
        s.register(new Suite("stress", "Stress tests of the paper: the same students audited under distribution "
                + "shift (feature noise sigma 0.1 on actionable model-space columns then projected; the smallest "
                + "subgroup reweighted to 75%; label prior shifted to 20% favorable) and constraint tightness (box "
                + "scaled about its centre to 0.35 and 0.75 of its span; sparsity k - 2 and k + 2), and robust recourse "
                + "over quantization variants (5 step-perturbed copies, sigma 0.03 on the raw step; standard against "
                + "robust recourse, nominal and robust success, cost).",
                List.of(3.0, 4.0), core, List.of("shift", "tightness", "robust"), true));
        s.register(new Suite("subgroups", "Subgroup audit: VD, CRG, fidelity, leniency and feasibility per group "
                + "(Adult sex, German personal status, COMPAS race, Bank marital status; numeric group features "
                + "split at the training median) and the largest gap between groups with at least 10 rows in the "
                + "metric's denominator.", List.of(3.0, 4.0), core, List.of("subgroups"), true));
        s.register(new Suite("theory", "Theory diagnostics: the published sampled epsilon (8 input neighbours "
                + "within L-inf radius 0.05 of each teacher counterfactual; NOT sound), mean teacher and student "
                + "margins at the counterfactuals, transfer rate, the share meeting m_T > 2 eps and its precision, "
                + "and the per-layer weight error (L-inf, L2) of each student.",
                List.of(2.5, 3.0, 4.0, 5.0, 6.0), core, List.of("theory"), true));
        PaperMethods.suites().forEach(s::register);
        for (Suite b : backbones()) {
            s.register(b);
        }
        s.group(BACKBONES, List.of("backbones-logistic", "backbones-deep"));
        return s;
    }

    /**
     * {@return the backbone families: the core methods (ptq, mixed, cfq at B = 3, 4) on the paper's
     * two other teacher shapes, one family per teacher so each has its own cells, results and summary}
     */
    static List<Suite> backbones() {
        List<String> core = List.of("ptq", "mixed", "cfq");
        List<Double> b = List.of(3.0, 4.0);
        String what = "Backbones (with `backbones-%s`, run together by `--suite backbones`): PTQ, mixed precision "
                + "and CFQ at B = 3 and 4 on %s teacher, trained like the default teacher (same optimiser, "
                + "epochs and early stopping; the hidden widths differ, and a logistic teacher takes its own "
                + "learning rate, 0.01, chosen on validation accuracy: docs/experiment.md), a fresh split per seed.";
        return List.of(
                new Suite("backbones-logistic", String.format(java.util.Locale.ROOT, what, "deep",
                        "the logistic (no hidden layer)"), b, core, List.of(), true, List.of()),
                new Suite("backbones-deep", String.format(java.util.Locale.ROOT, what, "logistic",
                        "the deep MLP (256, 128, 64, 32)"), b, core, List.of(), true, List.of(256, 128, 64, 32)));
    }

    /** Makes a name run these registered families, in order. */
    public Suites group(String id, List<String> members) {
        for (String m : members) {
            if (!byId.containsKey(m)) {
                throw new IllegalArgumentException("group '" + id + "' names unknown family '" + m + "'");
            }
        }
        groups.put(Objects.requireNonNull(id, "id"), List.copyOf(members));
        return this;
    }

    /** {@return the group names (each runs several families), in registration order} */
    public List<String> groups() {
        return List.copyOf(groups.keySet());
    }

    /** Adds or replaces a family. */
    public Suites register(Suite s) {
        byId.put(s.id(), Objects.requireNonNull(s, "suite"));
        return this;
    }

    /** {@return the ids, in registration order} */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public Optional<Suite> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * {@return the families an id names: one, or every family for {@value #ALL}}
     *
     * @throws IllegalArgumentException naming the known ids when the id is unknown
     */
    public List<Suite> expand(String id) {
        if (ALL.equals(id)) {
            return new ArrayList<>(byId.values());
        }
        if (groups.containsKey(id)) {
            return groups.get(id).stream().map(byId::get).toList();
        }
        Suite s = byId.get(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown suite '" + id + "'; use one of " + ids() + ", " + groups()
                    + " or " + ALL);
        }
        return List.of(s);
    }

    /**
     * One grid to run: a family's plan (or the plain plan), its id and its summary header.
     *
     * @param id     the family, or "grid" for a plain run
     * @param header Markdown put atop its summary ("" for a plain run)
     */
    public record Family(String id, String header, ExperimentPlan plan) {
    }

    /**
     * {@return the grids a command runs: the plan itself when no suite is named, else each family
     * of the suite on it (with {@link #DATASETS} unless datasets were given)}
     *
     * @throws IllegalArgumentException naming the known suites when the name is unknown
     */
    public List<Family> families(ExperimentPlan base, String suite, boolean datasetsGiven, String command) {
        if (suite == null) {
            return List.of(new Family("grid", "", base));
        }
        ExperimentPlan b = datasetsGiven ? base : new ExperimentPlan(DATASETS, base.budgets(), base.methods(),
                base.seeds(), base.recourse(), base.margins(), base.factuals(), base.maxFactuals(), base.out(),
                base.dataDir(), base.actions(), base.teacher(), base.splitSeed(), base.splitPerSeed(),
                base.evaluations());
        List<Family> out = new ArrayList<>();
        for (Suite f : expand(suite)) {
            out.add(new Family(f.id(), f.header(command), f.plan(b)));
        }
        return out;
    }
}
