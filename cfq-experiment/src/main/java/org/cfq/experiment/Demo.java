package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.cfq.audit.FactualSelection;
import org.cfq.data.Dataset;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.json.Json;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.recourse.RecourseRequest;
import org.cfq.train.TrainingConfig;

/**
 * The whole pipeline on the built-in synthetic credit data, with no download: a teacher, its
 * recourse, students quantized by several methods at several budgets, and the recourse audit of
 * each. It is a small experiment grid (same runner, same files) plus one example of the
 * teacher's recourse, for a person to read.
 */
public final class Demo {
    /** The dataset of the demo. */
    public static final String DATASET = "synthetic";

    private Demo() {
    }

    /**
     * What the demo computed.
     *
     * @param data    the synthetic dataset
     * @param run     the grid's outcome (one result a cell)
     * @param example one applicant's recourse on the teacher, for people
     * @param seed    the seed of everything random
     */
    public record Outcome(Dataset data, ExperimentRunner.Outcome run, String example, long seed) {
        /** {@return the cells' result rows, as the experiment's results.json holds them} */
        public List<ObjectNode> rows() {
            return run.results().stream().map(CellResult::json).toList();
        }

        /** {@return the demo as one JSON object, with the path of its HTML report} */
        public ObjectNode json(Path report) {
            List<ObjectNode> rows = rows();
            ObjectNode root = Json.mapper().createObjectNode().put("command", "demo").put("dataset", DATASET)
                    .put("seed", seed).put("train_rows", data.train().rows()).put("test_rows", data.test().rows());
            if (!rows.isEmpty()) {
                root.put("teacher_accuracy", rows.get(0).path("teacher_accuracy").asDouble());
            }
            root.put("example_recourse", example);
            ArrayNode arr = root.putArray("students");
            rows.forEach(arr::add);
            return root.put("failed_cells", run.failed()).put("seconds", run.seconds())
                    .put("report", report.toAbsolutePath().toString());
        }
    }

    /** {@return the demo's grid: the synthetic data, pgd recourse on the teacher's negatives, realistic actions} */
    public static ExperimentPlan plan(long seed, List<Double> budgets, List<String> methods, Path dir) {
        return new ExperimentPlan(List.of(DATASET), budgets, methods, List.of(seed), RecourseMethods.published()
                .get("pgd"), List.of(0.0), FactualSelection.NEGATIVES, 0, dir, null, "realistic",
                TrainingConfig.defaults());
    }

    /**
     * Runs the plan's grid, then computes one example of the teacher's recourse.
     *
     * @param summaryRenderer turns the summary into {@code summary.md}, as in {@link ExperimentRunner}
     * @throws IOException when a file of the experiment directory cannot be written or read
     */
    public static Outcome run(ExperimentPlan plan, long seed, ExperimentListener listener,
                              Function<ExperimentSummary, String> summaryRenderer) throws IOException {
        ExperimentRunner.Outcome outcome = new ExperimentRunner(plan, StudentMethods.builtIn(), listener,
                summaryRenderer).run();
        Dataset data = DatasetSource.builtIn(DATASET).withActions("realistic").load();
        SavedModel teacher = ModelFile.read(plan.out().resolve("teachers").resolve(plan.teacherFile(DATASET,
                seed)), data.schema());
        String example = RecourseRun.example(teacher, data, RecourseMethods.builtIn().get("pgd"), RecourseRequest
                .defaults().withSparsity(DatasetRegistry.builtIn().publishedSparsity(DATASET)).withSeed(seed));
        return new Outcome(data, outcome, example, seed);
    }
}
