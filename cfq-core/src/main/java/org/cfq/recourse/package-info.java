/**
 * Algorithmic recourse: the {@link org.cfq.recourse.RecourseGenerator} contract, the
 * {@link org.cfq.recourse.RecourseRequest}, the sealed {@link org.cfq.recourse.RecourseResult}
 * (found, or not found with a reason: never NaN rows), the {@link org.cfq.recourse.ActionSpace}
 * built from an encoder, the {@link org.cfq.recourse.FeasibilityProjector}, cost functions,
 * and the <b>independent</b> {@link org.cfq.recourse.RecourseValidator}.
 *
 * <p>Conventions follow Ustun, Spangher and Liu, "Actionable Recourse in Linear Classification"
 * (FAT* 2019) for action sets and Karimi et al., "A survey of algorithmic recourse" (2021) for
 * the cost / validity vocabulary. This package never imports {@code org.cfq.quant}: a quantized
 * model is just another {@link org.cfq.model.Classifier}.
 */
package org.cfq.recourse;
