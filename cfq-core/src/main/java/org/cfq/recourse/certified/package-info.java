/**
 * Certified recourse: minimum-cost actionable counterfactuals whose favorable outcome is
 * <em>proven</em> to hold on every model of a finite deployment set (a teacher and its
 * quantized students, each in the runtime it is served with) for every row in the applicant's
 * neighbourhood of the target ({@link org.cfq.bounds.Neighbourhood}).
 *
 * <p>{@link org.cfq.recourse.certified.CertifiedGenerator} runs the batched gradient search of
 * {@code recourse.gradient} (Wachter schedule) on the robust margin, the smallest interval
 * lower bound over the deployment set ({@link org.cfq.bounds.FastIntervals}, the bound used in
 * certified training: Gowal et al. 2018), so it minimises cost plus a penalty on the bound;
 * rows leave the batch at their first point whose bound clears the target (plus a search
 * margin), and every returned counterfactual is checked by the sound
 * {@link org.cfq.bounds.Verifier} (CROWN and interval bounds with float32 rounding, Zhang et al.
 * 2018). Rows that fail are searched again with a larger search margin; those that never pass
 * are returned as not found ({@code NOT_CERTIFIED} or {@code BUDGET_EXHAUSTED}).
 *
 * <p>Exact robustness of a counterfactual to model changes is NP-complete (Marzari et al.,
 * ECAI 2024); a finite deployment set with sound bounds makes the promise checkable.
 * References: Wachter et al. 2017 (the search), Gowal et al. 2018 (IBP), Zhang et al. 2018
 * (CROWN), Yahyati et al. 2026 (the setting: recourse across quantized students).
 */
package org.cfq.recourse.certified;
