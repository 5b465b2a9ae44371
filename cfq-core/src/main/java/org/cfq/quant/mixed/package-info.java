/**
 * Mixed precision: one weight bit width per layer, chosen from a candidate set under a
 * budget on the parameter-weighted average bits per weight.
 *
 * <p>A per-layer, per-width sensitivity (the measured increase of the task loss when only
 * that layer is quantized at that width, or a Hutchinson Hessian-trace estimate times the
 * squared quantization error) is summed over layers, and the allocation that minimizes the
 * sum under the budget is found exactly by dynamic programming over the integer number of
 * weight bits used (a multiple-choice knapsack), never by a greedy ratio rule.
 *
 * <p>References: Z. Dong et al., "HAWQ-V2: Hessian Aware trace-Weighted Quantization of
 * Neural Networks", NeurIPS 2020; M. Hutchinson, "A stochastic estimator of the trace of the
 * influence matrix", 1989.
 */
package org.cfq.quant.mixed;
