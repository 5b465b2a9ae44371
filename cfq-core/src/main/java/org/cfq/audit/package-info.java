/**
 * The recourse audit of a teacher and a quantized student: does recourse computed on the
 * teacher survive in the student, and at what price in fidelity?
 *
 * <p>{@link org.cfq.audit.Audit} runs the whole audit and returns an
 * {@link org.cfq.audit.AuditReport}: accuracy, fidelity and leniency
 * ({@link org.cfq.audit.Fidelity}), Validity Drop ({@link org.cfq.audit.ValidityDrop}), the
 * Counterfactual Recourse Gap ({@link org.cfq.audit.RecourseGap}), direction stability
 * ({@link org.cfq.audit.DirectionStability}), margins, the sound margin certificate
 * ({@link org.cfq.audit.MarginCertificate} over the intervals of
 * {@link org.cfq.audit.WeightIntervals}) and the published sampled diagnostic, which is not
 * sound. Everything here is a pure function of models, rows and result records.
 *
 * <p>References: M. Yahyati et al., "When Bits Break Recourse: Counterfactual-Faithful
 * Quantization", 2026 (VD, CRG, the margin condition); S. Gowal et al., "On the
 * Effectiveness of Interval Bound Propagation for Training Verifiably Robust Models", 2018
 * (interval bound propagation); N. Higham, "Accuracy and Stability of Numerical Algorithms",
 * 2002 (the float32 dot-product error bound gamma_n); M. Pawelczyk et al., "CARLA", 2021
 * (factual selection convention).
 */
package org.cfq.audit;
