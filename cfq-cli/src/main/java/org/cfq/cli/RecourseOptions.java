package org.cfq.cli;

import org.cfq.InvalidInputException;
import org.cfq.experiment.RecourseMethods;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.recourse.RecourseRequest;
import picocli.CommandLine.Option;

/**
 * The recourse options that mean the same in every command that asks for recourse on a
 * dataset ({@code cfq recourse}, {@code cfq audit}): {@code --margin} and {@code --sparsity},
 * checked once and turned into a {@link RecourseRequest}. Which generators a command offers
 * ({@code --method}) stays with the command. Use it with {@code @Mixin RecourseOptions recourse;}.
 */
public final class RecourseOptions {
    @Option(names = "--margin", defaultValue = "0", paramLabel = "M",
            description = "Favorable margin recourse must carry beyond the decision threshold "
                    + "(default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--cost", defaultValue = "l1", paramLabel = "KIND",
            description = "Recourse cost: l1 (1/std), mad (1/MAD), l0, l2 or mixed (0.5 l1 + 0.5 l2) "
                    + "(default: ${DEFAULT-VALUE}).")
    String cost = "l1";

    @Option(names = "--sparsity", paramLabel = "K",
            description = "At most K changed features per counterfactual (0 = no limit); default: the published "
                    + "limit (adult 5, german 4, compas 3, else none).")
    Integer sparsity;

    /**
     * {@return the sparsity limit: {@code --sparsity}, else the dataset's published one}
     *
     * @param dataset a {@code --dataset} name, or null for a CSV dataset
     * @throws InvalidInputException when {@code --sparsity} is negative
     */
    int sparsity(String dataset) {
        int k = sparsity != null ? sparsity : DatasetRegistry.builtIn().publishedSparsity(dataset);
        if (k < 0) {
            throw new InvalidInputException("--sparsity " + k, "must be >= 0", "Give a count, or 0 for no limit");
        }
        return k;
    }

    /**
     * {@return the default request with these options and the seed (threshold 0)}
     *
     * @param dataset a {@code --dataset} name, or null for a CSV dataset
     * @throws InvalidInputException when {@code --sparsity} is negative or {@code --margin} is not a finite
     *                               number {@code >= 0}
     */
    RecourseRequest request(String dataset, long seed) {
        int k = sparsity(dataset);
        if (!(margin >= 0 && margin < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException("--margin " + margin, "must be a finite number >= 0",
                    "Pass e.g. --margin 0 or --margin 0.5");
        }
        return RecourseRequest.defaults().withMargin(margin).withSparsity(k).withSeed(seed).withCost(RecourseMethods.cost(cost));
    }
}
