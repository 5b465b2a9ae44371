package org.cfq.experiment;

import java.util.Locale;
import org.cfq.InvalidInputException;
import org.cfq.model.DeployedClassifier;
import org.cfq.model.DifferentiableClassifier;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.integer.IntegerMlp;

/**
 * The form of a quantized student that the audit judges: the fake-quantized model itself, its
 * integer engine, or its ONNX QDQ graph in ONNX Runtime. The deployed forms keep the
 * fake-quantized model as their gradient twin.
 */
public enum StudentRuntime {
    FAKE("fake"),
    INTEGER("integer"),
    ONNX("onnx");

    private final String id;

    StudentRuntime(String id) {
        this.id = id;
    }

    /** {@return the name users type} */
    public String id() {
        return id;
    }

    /** @throws InvalidInputException naming {@code --student-runtime} for an unknown name */
    public static StudentRuntime parse(String s) {
        for (StudentRuntime r : values()) {
            if (r.id.equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new InvalidInputException("--student-runtime " + s, "unknown runtime", "Use fake, integer or onnx");
    }

    /**
     * The student as this runtime scores it. The integer engine makes the fake-quantized
     * decisions by construction; ONNX Runtime evaluates the same dequantized weights and
     * activation quantizers in float32 in its own summation order (its decisions are checked
     * by tests, not proven). The margin certificate holds for both, since it allows float32
     * rounding in any order. The ONNX session lives as long as the JVM (one per audit).
     */
    public DifferentiableClassifier deploy(QuantizedMlp fake, Deployments.Onnx onnx) {
        return switch (this) {
            case INTEGER -> new DeployedClassifier(IntegerMlp.of(fake), fake,
                    DeployedClassifier.Guarantee.SAME_DECISIONS);
            case ONNX -> new DeployedClassifier(onnx.quantized().apply(fake), fake,
                    DeployedClassifier.Guarantee.SAME_WEIGHTS_FLOAT32);
            default -> fake;
        };
    }
}
