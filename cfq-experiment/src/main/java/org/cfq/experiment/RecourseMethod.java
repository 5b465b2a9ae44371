package org.cfq.experiment;

import java.util.Optional;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.model.Mlp;
import org.cfq.recourse.ActionSpace;
import org.cfq.recourse.RecourseBatch;
import org.cfq.recourse.RecourseGenerator;
import org.cfq.recourse.RecourseRequest;

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
     * {@return a generator for any differentiable classifier (a quantized student too), or empty
     * when the method needs a particular kind of model} The audit and the experiment need one.
     */
    Optional<RecourseGenerator<DifferentiableClassifier>> generator(ActionSpace space);
}
