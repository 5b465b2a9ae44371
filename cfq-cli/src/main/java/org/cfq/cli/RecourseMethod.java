package org.cfq.cli;

import java.util.Arrays;
import org.cfq.InvalidInputException;
import org.cfq.io.datasets.BuiltinDataset;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.diverse.DiverseConfig;
import org.cfq.recourse.diverse.DiverseGenerator;
import org.cfq.recourse.gradient.PgdConfig;
import org.cfq.recourse.gradient.PgdGenerator;
import org.cfq.recourse.gradient.WachterConfig;
import org.cfq.recourse.gradient.WachterGenerator;
import org.cfq.recourse.linear.LinearExactGenerator;
import org.cfq.recourse.spheres.GrowingSpheresConfig;
import org.cfq.recourse.spheres.GrowingSpheresGenerator;

/** The recourse methods the CLI offers, by their command-line names, with default settings. */
enum RecourseMethod {
    PGD("pgd"), WACHTER("wachter"), GROWING_SPHERES("growing-spheres"), LINEAR_EXACT("linear-exact"),
    DIVERSE("diverse"), CERTIFIED("certified");

    final String cliName;

    RecourseMethod(String cliName) {
        this.cliName = cliName;
    }

    static RecourseMethod parse(String text) {
        for (RecourseMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new InvalidInputException("--method '" + text + "'", "not a recourse method",
                "Use one of " + Arrays.stream(values()).map(m -> m.cliName).toList());
    }

    /** Runs the method with its default settings on an MLP teacher. */
    RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest request) {
        return switch (this) {
            case PGD -> new PgdGenerator(space, PgdConfig.defaults()).generate(model, factuals, rows, request);
            case WACHTER -> new WachterGenerator(space, WachterConfig.defaults()).generate(model, factuals, rows,
                    request);
            case GROWING_SPHERES -> new GrowingSpheresGenerator(space, GrowingSpheresConfig.defaults())
                    .generate(model, factuals, rows, request);
            case LINEAR_EXACT -> {
                if (model.layers().size() != 1) {
                    throw new InvalidInputException("--method linear-exact", "the model has hidden layers "
                            + Arrays.toString(model.hiddenSizes()) + "; linear-exact needs logistic regression",
                            "Train a logistic teacher, or use --method pgd");
                }
                yield new LinearExactGenerator(space).generate(model, factuals, rows, request);
            }
            case DIVERSE -> new DiverseGenerator(space, DiverseConfig.defaults()).generate(model, factuals, rows,
                    request);
            case CERTIFIED -> throw new IllegalStateException("certified recourse needs a deployment set and a "
                    + "neighbourhood: RecourseRun.runCertified runs it");
        };
    }

    /**
     * The published sparsity limit of a built-in dataset (Adult 5, German 4, COMPAS 3), else 0
     * (none): the one place commands get it, from {@link BuiltinDataset#publishedSparsity()}.
     *
     * @param dataset a {@code --dataset} name, or null for a CSV dataset
     */
    static int publishedSparsity(String dataset) {
        return DatasetRegistry.builtIn().find(dataset).map(BuiltinDataset::publishedSparsity).orElse(0);
    }
}
