package org.cfq.recourse;

import org.cfq.model.Classifier;

/**
 * One recourse method: a model and a batch of factual model-space rows in, one result per
 * row out.
 *
 * <p>Implementations search the whole batch at once; they never loop over instances around
 * a one-row search. They never return a counterfactual that violates the action set, and
 * never a NaN row: a failed search is a {@link RecourseResult.NotFound} with its reason.
 *
 * @param <M> the kind of model the method needs ({@link org.cfq.model.DifferentiableClassifier}
 *            for gradient methods, any {@link Classifier} for model-agnostic ones)
 */
public interface RecourseGenerator<M extends Classifier> {

    /** {@return the method's short name, as the CLI spells it} */
    String name();

    /**
     * Computes recourse for every factual row.
     *
     * @param model    the model whose decision must be reversed
     * @param factuals model-space rows, (rows x width) row-major; read only
     * @param rows     number of rows
     * @param request  margin, threshold, cost kind, sparsity and seed
     * @return one result per row, in order
     * @throws IllegalArgumentException when the widths disagree
     */
    RecourseBatch generate(M model, float[] factuals, int rows, RecourseRequest request);
}
