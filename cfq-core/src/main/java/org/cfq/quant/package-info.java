/**
 * Fake quantization with PyTorch's exact semantics, the quantized MLP, and size accounting.
 *
 * <p>A quantizer is built from small parts: a bit width and integer range
 * ({@link org.cfq.quant.QuantSpec}), a scale source ({@link org.cfq.quant.QuantParams},
 * filled by a calibrator or learned), round-half-to-even and a clamp
 * ({@link org.cfq.quant.UniformQuantizer}). A {@link org.cfq.quant.QuantizedMlp} is just
 * another {@link org.cfq.model.DifferentiableClassifier}, so recourse and the audit use
 * it without knowing it is quantized. This package never imports {@code org.cfq.recourse}.
 *
 * <p>Reference: B. Jacob et al., "Quantization and Training of Neural Networks for Efficient
 * Integer-Arithmetic-Only Inference", CVPR 2018; PyTorch {@code fake_quantize_per_tensor_affine}.
 */
package org.cfq.quant;
