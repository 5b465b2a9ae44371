package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.cfq.InvalidInputException;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.json.Json;
import org.cfq.recourse.CostKind;
import org.cfq.train.TrainingConfig;

/**
 * One run of the experiment grid as a user asks for it (what {@code cfq experiment} does beyond
 * parsing): the plan, checked against the built-in datasets, expanded into the families of a
 * suite (or the plan alone), each run into its own directory with the same recourse cost and
 * command line, and the description of the whole run.
 *
 * @param plan     the base plan
 * @param suite    the suite run, or null for the plan alone
 * @param families the grids to run, in order
 * @param cost     the recourse cost of every search
 * @param command  the command line, recorded in the result files' provenance
 * @param shared   what the families share (teachers, teacher recourse, cells), or null for a plain run
 */
public record ExperimentJob(ExperimentPlan plan, String suite, List<Suites.Family> families, CostKind cost,
                            String command, SharedWork shared) {
    public ExperimentJob {
        families = List.copyOf(families);
    }

    /**
     * A job whose families (a suite) share one teacher cache {@code OUT/teachers}, the teachers'
     * recourse and finished cells of the same key: their own, and those of every other built-in
     * family under {@code OUT} (so a later {@code --suite budget} reuses a finished {@code main}).
     */
    public ExperimentJob(ExperimentPlan plan, String suite, List<Suites.Family> families, CostKind cost,
                         String command) {
        this(plan, suite, families, cost, command, suite == null ? null : sharing(plan, families));
    }

    private static SharedWork sharing(ExperimentPlan plan, List<Suites.Family> families) {
        java.util.LinkedHashSet<java.nio.file.Path> dirs = new java.util.LinkedHashSet<>();
        families.forEach(f -> dirs.add(f.plan().out().resolve("cells")));
        Suites.builtIn().ids().forEach(id -> dirs.add(plan.out().resolve(id).resolve("cells")));
        return new SharedWork(plan.out().resolve("teachers"), List.copyOf(dirs));
    }

    /**
     * {@return a checked plan of the built-in datasets with the published recourse method {@code recourse} and
     * the factual selection {@code factuals} (negatives or paper)}
     *
     * @throws InvalidInputException naming the option at fault ({@code --datasets}, {@code --method},
     *                               {@code --factuals}, or the budgets, margins and counts)
     */
    public static ExperimentPlan plan(List<String> datasets, List<Double> budgets, List<String> methods,
                                      List<Long> seeds, String recourse, List<Double> margins, String factuals,
                                      int maxFactuals, Path out, Path dataDir, String actions, TrainingConfig teacher) {
        DatasetRegistry registry = DatasetRegistry.builtIn();
        for (String name : datasets) {
            InvalidInputException.require(registry.find(name).isPresent(), "--datasets " + String.join(",", datasets),
                    "'" + name + "' is not a built-in dataset", "Use some of " + registry.names()
                            + " (experiment runs the built-in datasets only)");
        }
        RecourseMethod method = RecourseMethods.published().get(recourse);
        var selection = PairAudit.factuals(factuals);
        try {
            return new ExperimentPlan(datasets, budgets, methods, seeds, method, margins, selection, maxFactuals, out,
                    dataDir, actions, teacher);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("experiment options", e.getMessage(),
                    "Check --budgets (in [2, 8]), --margins (>= 0), --max-factuals (>= 0) and the teacher options");
        }
    }

    /**
     * {@return the hidden widths of a named teacher backbone (the paper's: mlp 128, 64; logistic none;
     * deep 256, 128, 64, 32), or {@code hidden} when none is named}
     *
     * @throws InvalidInputException when the name is not a backbone
     */
    public static List<Integer> backbone(String name, List<Integer> hidden) {
        return name == null ? hidden : switch (name) {
            case "mlp" -> List.of(128, 64);
            case "logistic" -> List.<Integer>of();
            case "deep" -> List.of(256, 128, 64, 32);
            default -> throw new InvalidInputException("--teacher-backbone " + name, "not a backbone",
                    "Use mlp, logistic or deep");
        };
    }

    /**
     * {@return the job of a plan with these evaluations: the suite's families (the plan alone when
     * {@code suite} is null), under the recourse cost named by {@code cost}}
     *
     * @param datasetsGiven whether the user named the datasets (else a suite runs on {@link Suites#DATASETS})
     * @throws InvalidInputException naming {@code --cost}, {@code --evaluations} or {@code --suite}
     */
    public static ExperimentJob of(ExperimentPlan plan, List<String> evaluations, String suite,
                                   boolean datasetsGiven, String cost, String command) {
        CostKind kind = RecourseMethods.cost(cost);
        try {
            return new ExperimentJob(plan, suite, Suites.builtIn().families(plan.withEvaluations(evaluations), suite,
                    datasetsGiven, command), kind, command);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(suite == null ? "--evaluations" : "--suite " + suite, e.getMessage(),
                    "Choose from the names listed");
        }
    }

    /** {@return the number of cells of every family} */
    public int cells() {
        return families.stream().mapToInt(f -> f.plan().cells()).sum();
    }

    /**
     * Runs one family (resumable, see {@link ExperimentRunner}).
     *
     * @param summaryRenderer turns the family's summary into Markdown (its header is put above)
     * @throws IOException when an output file cannot be written
     */
    public ExperimentRunner.Outcome run(Suites.Family f, ExperimentListener listener,
                                        Function<ExperimentSummary, String> summaryRenderer) throws IOException {
        ExperimentRunner runner = new ExperimentRunner(f.plan(), StudentMethods.builtIn(), listener,
                s -> f.header() + summaryRenderer.apply(s)).withCost(cost).withCommand(command);
        return (shared == null ? runner : runner.withShared(shared)).run();
    }

    /** {@return the summary file: {@code OUT/summary.md}, or {@code OUT/<family>/summary.md} for a suite} */
    public Path summary() {
        return suite == null ? plan.out().resolve("summary.md") : plan.out().resolve("<family>").resolve("summary.md");
    }

    /** {@return the JSON object of the whole run: counts, seconds and the files written} */
    public ObjectNode json(ExperimentRunner.Outcome o) {
        ObjectNode root = Json.mapper().createObjectNode().put("command", "experiment")
                .put("out", plan.out().toString()).put("cells", cells()).put("computed", o.computed())
                .put("reused", o.reused()).put("unavailable", o.unavailable()).put("failed", o.failed())
                .put("seconds", o.seconds()).put("summary", summary().toString());
        if (suite != null) {
            root.put("suite", suite);
            families.forEach(f -> root.withArray("summaries").add(f.plan().out().resolve("summary.md").toString()));
        } else {
            root.put("results_csv", plan.out().resolve("results.csv").toString())
                    .put("results_json", plan.out().resolve("results.json").toString());
        }
        return root;
    }
}
