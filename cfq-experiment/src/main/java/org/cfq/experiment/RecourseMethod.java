package org.cfq.experiment;

import java.util.Optional;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;
import org.cfq.recourse.SearchProgress;

/**
 * A recourse generator with fixed settings, by name: what {@link RecourseMethods} holds.
 * Implement it (or use {@link RecourseMethods#gradient}) to register a generator of your own.
 */
public interface RecourseMethod {
    /** {@return the name users type ("pgd")} */
    String id();

    /** {@return the generator's settings, recorded beside every result} */
    String settings();

    /**
     * Runs the method on a float teacher's rows.
     *
     * @param factuals rows x width, row-major, in the model's space
     * @throws org.cfq.InvalidInputException when the method cannot handle this model
     */
    RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest request);

    /**
     * {@link #run} reporting the search's progress where the generator can ({@link
     * SearchProgress.Reporting}: the gradient searches); the others run as {@link #run} and report
     * nothing. The results are the same.
     */
    default RecourseBatch run(ActionSpace space, Mlp model, float[] factuals, int rows, RecourseRequest request,
                              SearchProgress progress) {
        return run(space, model, factuals, rows, request);
    }

    /**
     * {@return a generator for any differentiable classifier (a quantized student too), or empty
     * when the method needs a particular kind of model} The audit and the experiment need one.
     */
    Optional<RecourseGenerator<DifferentiableClassifier>> generator(ActionSpace space);
}
