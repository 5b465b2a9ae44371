package org.cfq.experiment;

import java.util.Locale;
import java.util.Objects;

/**
 * One cell of the experiment grid: a dataset, a quantization method, an average-bits budget,
 * a seed and a recourse margin.
 */
public record Cell(String dataset, String method, double budget, long seed, double margin) {
    public Cell {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(method, "method");
    }

    /** {@return e.g. "german ptq B=2.5 seed=42 m=0"} */
    public String label() {
        return String.format(Locale.ROOT, "%s %s B=%s seed=%d m=%s", dataset, method, ExperimentPlan.plain(budget),
                seed, ExperimentPlan.plain(margin));
    }
}
