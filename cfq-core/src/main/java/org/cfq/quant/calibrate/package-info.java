/**
 * Post-training calibration: choosing scales and zero points from data, with no training.
 * Min-max, percentile, and MSE-optimal step search; activations are calibrated on a
 * seeded sample of training rows, layer by layer through the already-quantized prefix.
 *
 * <p>Reference: H. Wu et al., "Integer Quantization for Deep Learning Inference:
 * Principles and Empirical Evaluation", 2020 (max, percentile and MSE calibration).
 */
package org.cfq.quant.calibrate;
