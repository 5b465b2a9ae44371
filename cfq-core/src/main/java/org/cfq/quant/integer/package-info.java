/**
 * Integer inference of a quantized MLP: weights packed at their bit width, int32 matrix
 * products, requantization between layers, logits rescaled to float.
 *
 * <p>{@link org.cfq.quant.integer.IntegerMlp} is built from a fake-quantized
 * {@link org.cfq.quant.QuantizedMlp} and is meant to make the same decisions on every row.
 * How each layer computes, and why that reproduces the fake-quantized model, is stated on
 * {@link org.cfq.quant.integer.IntegerMlp}.
 *
 * <p>Reference: B. Jacob et al., "Quantization and Training of Neural Networks for Efficient
 * Integer-Arithmetic-Only Inference", CVPR 2018 (integer products with int32 accumulation and
 * a per-layer rescale); the requantization here keeps the float bias and float rescale of the
 * fake-quantized model instead of Jacob et al.'s int32 bias and fixed-point multiplier, for the
 * reason given on {@code IntegerMlp}.
 */
package org.cfq.quant.integer;
