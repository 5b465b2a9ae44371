/**
 * cfq core: numerics, data model, networks, training, quantization, recourse, audit and
 * counterfactual-faithful quantization (CFQ). JDK only at run time.
 *
 * <p>Package arrows (each may use those to its left):
 * {@code math <- data <- model <- train}; {@code quant.*} and {@code recourse.*} use
 * model and data but never each other; {@code audit} uses both; {@code faithful} joins
 * quant, recourse and train.
 */
package org.cfq;
