package org.cfq.bounds;

import java.util.Objects;
import org.cfq.model.Classifier;
import org.cfq.model.DifferentiableClassifier;

/**
 * One model a lender serves, in the form it runs.
 *
 * @param name    a label (file name, method and width)
 * @param runtime how it runs: {@code float}, {@code fake}, {@code integer} or {@code onnx}
 * @param scorer  what scores rows in deployment (the runtime itself)
 * @param twin    a differentiable model with the same decisions up to float rounding, whose
 *                gradients searches follow
 * @param network the network whose sound bounds cover what {@code scorer} computes
 */
public record DeployedModel(String name, String runtime, Classifier scorer, DifferentiableClassifier twin,
                            BoundNetwork network) {
    public DeployedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(twin, "twin");
        Objects.requireNonNull(network, "network");
        if (scorer.inputDim() != network.inputDim() || twin.inputDim() != network.inputDim()) {
            throw new IllegalArgumentException("model '" + name + "': scorer, twin and network take "
                    + scorer.inputDim() + ", " + twin.inputDim() + " and " + network.inputDim() + " inputs");
        }
        if (network.outputs() != 2) {
            throw new IllegalArgumentException("model '" + name + "': the network must give 2 logits, got "
                    + network.outputs());
        }
    }

    /** {@return name:runtime} */
    public String label() {
        return name + ":" + runtime;
    }
}
