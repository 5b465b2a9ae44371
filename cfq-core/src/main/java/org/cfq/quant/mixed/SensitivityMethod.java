package org.cfq.quant.mixed;

/** How per-layer, per-width sensitivities are estimated. */
public enum SensitivityMethod {
    /** The measured increase of the task loss when only that layer is quantized at that width. */
    LOSS,
    /** Hutchinson's estimate of the layer's Hessian trace times the squared quantization error (HAWQ-V2). */
    HUTCHINSON
}
