package org.cfq.model;

import java.util.Objects;

/**
 * A deployed runtime that scores rows, paired with a differentiable twin that supplies input
 * gradients: recourse searches follow the twin's gradients while every score, and so every
 * validity judgement, comes from the runtime. Typical pair: an integer engine or an ONNX
 * graph, and the fake-quantized model it was built from.
 *
 * @param runtime        scores rows; its logits are the ones reported
 * @param twin           gives the gradients; same input width
 * @param decisionsExact whether the runtime provably makes the twin's decisions on every row
 *                       (then anything sound for the twin's decisions is sound for the runtime's)
 */
public record DeployedClassifier(Classifier runtime, DifferentiableClassifier twin, boolean decisionsExact)
        implements DifferentiableClassifier {
    public DeployedClassifier {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(twin, "twin");
        if (runtime.inputDim() != twin.inputDim()) {
            throw new IllegalArgumentException("runtime takes " + runtime.inputDim() + " inputs but its twin takes "
                    + twin.inputDim());
        }
    }

    @Override
    public int inputDim() {
        return runtime.inputDim();
    }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        runtime.logits(x, rows, out);
    }

    /** The twin's input gradient, the runtime's logits. */
    @Override
    public void logitsAndInputGradient(float[] x, int rows, float[] dLogits, float[] logits, float[] dx) {
        twin.logitsAndInputGradient(x, rows, dLogits, logits, dx);
        runtime.logits(x, rows, logits);
    }
}
