package org.cfq.model;

import java.util.Objects;

/**
 * A deployed runtime that scores rows, paired with a differentiable twin that supplies input
 * gradients: recourse searches follow the twin's gradients while every score, and so every
 * validity judgement, comes from the runtime. Typical pair: an integer engine or an ONNX
 * graph, and the fake-quantized model it was built from.
 *
 * @param runtime   scores rows; its logits are the ones reported
 * @param twin      gives the gradients; same input width
 * @param guarantee what is known of the runtime's relation to the twin, which decides whether
 *                  bounds proven for the twin's weights hold for the runtime
 */
public record DeployedClassifier(Classifier runtime, DifferentiableClassifier twin, Guarantee guarantee)
        implements DifferentiableClassifier {
    public DeployedClassifier {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(twin, "twin");
        Objects.requireNonNull(guarantee, "guarantee");
        if (runtime.inputDim() != twin.inputDim()) {
            throw new IllegalArgumentException("runtime takes " + runtime.inputDim() + " inputs but its twin takes "
                    + twin.inputDim());
        }
    }

    /** What a runtime is known to compute, relative to its twin. */
    public enum Guarantee {
        /** The runtime provably makes the twin's decisions on every row (the integer engine). */
        SAME_DECISIONS,
        /**
         * The runtime evaluates the twin's dequantized weights, biases and (non-decreasing)
         * activation quantizers in IEEE float32, in a summation order of its own (an ONNX QDQ
         * graph on a CPU). Its decisions may differ from the twin's where a value sits within
         * float rounding of a boundary, but any bound that allows float32 rounding of every dot
         * product in any order, as {@code audit.MarginCertificate} does, holds for it too.
         */
        SAME_WEIGHTS_FLOAT32,
        /** Nothing is known beyond the scores. */
        NONE
    }

    /** {@return whether bounds proven for the twin's weights in float32 hold for the runtime} */
    public boolean boundsTransfer() {
        return guarantee != Guarantee.NONE;
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
