package org.cfq.model.imported;

/**
 * What an imported network's last layer gives, and which output is the favorable class.
 *
 * <p>cfq's margin is the log-odds of the favorable class in every case, so thresholds and
 * margins keep their meaning: a one-logit model's margin is its logit (for a sigmoid model,
 * the logit before the sigmoid: {@code p > 0.5} exactly when the margin is above 0); a
 * two-logit model's margin is {@code logit[favorable] - logit[other]}, which is also the
 * log-odds under its softmax.
 *
 * @param outputs        1 or 2
 * @param activation     the final activation the graph applies (dropped by the import, which
 *                       keeps the logits)
 * @param favorableIndex which output is the favorable class: 0 for one output
 */
public record OutputHead(int outputs, FinalActivation activation, int favorableIndex) {

    /** The optional last node of the graph. */
    public enum FinalActivation {
        /** The outputs are logits. */
        NONE,
        /** One output: the probability of the favorable class, {@code sigmoid(logit)}. */
        SIGMOID,
        /** Two outputs: class probabilities, {@code softmax(logits)}. */
        SOFTMAX
    }

    public OutputHead {
        if (outputs != 1 && outputs != 2) {
            throw new IllegalArgumentException("an imported classifier gives 1 or 2 outputs, got " + outputs);
        }
        java.util.Objects.requireNonNull(activation, "activation");
        if (favorableIndex < 0 || favorableIndex >= outputs) {
            throw new IllegalArgumentException("favorable index must be in [0, " + (outputs - 1) + "], got "
                    + favorableIndex);
        }
        if (activation == FinalActivation.SIGMOID && outputs != 1) {
            throw new IllegalArgumentException("a final sigmoid needs one output (the favorable probability), got "
                    + outputs);
        }
        if (activation == FinalActivation.SOFTMAX && outputs != 2) {
            throw new IllegalArgumentException("a final softmax needs two outputs, got " + outputs);
        }
    }

    /** {@return a short description: "1 logit", "1 probability (sigmoid)", "2 logits, favorable 1"} */
    public String describe() {
        String what = switch (activation) {
            case NONE -> outputs == 1 ? "1 logit" : "2 logits";
            case SIGMOID -> "1 probability (sigmoid)";
            case SOFTMAX -> "2 probabilities (softmax)";
        };
        return outputs == 2 ? what + ", favorable index " + favorableIndex : what;
    }
}
