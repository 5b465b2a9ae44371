/**
 * Counterfactual-faithful quantization (CFQ): the only package that joins quantization,
 * recourse and training.
 *
 * <p>A mixed-precision student of a frozen float teacher is fine-tuned so that the teacher's
 * counterfactuals stay valid for it. Per layer, one LSQ step size per candidate width and a
 * hard Gumbel-softmax (straight-through) over the candidates choose the width
 * ({@link org.cfq.faithful.MixedPrecisionWeight}, {@link org.cfq.faithful.GumbelSoftmax}); the
 * expected average bits are held to a budget by a penalty ({@link org.cfq.faithful.BudgetPenalty});
 * the loss adds to the task cross-entropy the student's cross-entropy toward the favorable
 * class at the teacher's counterfactuals, recomputed by a short pgd on the teacher
 * ({@link org.cfq.faithful.FaithfulnessLoss}, {@link org.cfq.faithful.TeacherCounterfactuals}).
 * {@link org.cfq.faithful.CfqTrainer} runs it and returns an ordinary
 * {@link org.cfq.quant.QuantizedMlp} in a {@link org.cfq.faithful.CfqResult}.
 *
 * <p>Beyond the published method, each an option of {@link org.cfq.faithful.CfqConfig}:
 * distillation to the teacher's soft labels at the data rows (to keep fidelity), and the
 * exact projection of the final widths onto the budget (so the student never exceeds it).
 *
 * <p>References: Yahyati et al., "When Bits Break Recourse: Counterfactual-Faithful
 * Quantization", 2026; E. Jang, S. Gu, B. Poole, "Categorical Reparameterization with
 * Gumbel-Softmax", ICLR 2017; C. J. Maddison, A. Mnih, Y. W. Teh, "The Concrete
 * Distribution", ICLR 2017; S. K. Esser et al., "Learned Step Size Quantization", ICLR 2020;
 * J. Choi et al., "PACT", 2018; B. Wu et al., "Mixed Precision Quantization of ConvNets via
 * Differentiable Neural Architecture Search", 2018.
 */
package org.cfq.faithful;
