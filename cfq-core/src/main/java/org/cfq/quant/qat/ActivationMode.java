package org.cfq.quant.qat;

/** How hidden (post-ReLU) activations are quantized during quantization-aware training. */
public enum ActivationMode {
    /** Activations stay in float. */
    NONE,
    /** Unsigned quantizers calibrated once on a seeded sample of training rows, then fixed. */
    CALIBRATED,
    /** PACT: the clip value of each hidden layer is trained; the step is clip / qmax. */
    PACT
}
