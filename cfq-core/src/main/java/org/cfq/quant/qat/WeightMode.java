package org.cfq.quant.qat;

/** How the weight quantizers' scales are obtained during quantization-aware training. */
public enum WeightMode {
    /**
     * Classic QAT (PyTorch's observer style): the scale is recomputed from the latent weights
     * by the configured calibrator before every step; gradients reach the weights by the
     * straight-through estimator, masked outside the clamp range.
     */
    STE,
    /** LSQ: the step sizes are trained parameters with the LSQ gradient and its gradient scale. */
    LSQ
}
