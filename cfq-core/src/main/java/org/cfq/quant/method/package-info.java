/**
 * The quantization methods as one entry point: post-training quantization, QAT with the
 * straight-through estimator, LSQ, PACT and budgeted mixed precision, each a composition
 * of the parts in {@link org.cfq.quant.calibrate}, {@link org.cfq.quant.qat},
 * {@link org.cfq.quant.lsq} and {@link org.cfq.quant.mixed}. Command-line tools and the
 * experiment call this package rather than wiring the parts themselves.
 */
package org.cfq.quant.method;
