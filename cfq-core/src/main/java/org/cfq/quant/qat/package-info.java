/**
 * Quantization-aware training: fine-tuning from the teacher through fake quantizers.
 *
 * <p>The forward pass uses fake-quantized weights (and activations); the backward pass uses
 * the straight-through estimator, whose gradient is the identity inside the clamp range and
 * zero outside it (PyTorch's mask). The loss is the task cross-entropy, optionally mixed with
 * distillation from the teacher at a temperature. The same trainer runs learned step sizes
 * ({@link org.cfq.quant.lsq}) and learned activation clips (PACT).
 *
 * <p>References: Y. Bengio et al., "Estimating or Propagating Gradients Through Stochastic
 * Neurons", 2013; B. Jacob et al., CVPR 2018; G. Hinton et al., "Distilling the Knowledge in
 * a Neural Network", 2015.
 */
package org.cfq.quant.qat;
