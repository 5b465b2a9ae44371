/**
 * Gradient recourse generators that search a whole batch at once.
 *
 * <ul>
 *   <li>{@link org.cfq.recourse.gradient.PgdGenerator}: the published solver of Yahyati et al.,
 *       "When Bits Break Recourse: Counterfactual-Faithful Quantization" (2026): projected
 *       gradient steps on {@code CE(f(x+d), favorable) + c * cost(d) + relu(m - margin(x+d))},
 *       the action-set projection after each step, several restarts; projected gradient descent
 *       in the sense of Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 *       Attacks" (ICLR 2018).</li>
 *   <li>{@link org.cfq.recourse.gradient.WachterGenerator}: Wachter, Mittelstadt and Russell,
 *       "Counterfactual Explanations without Opening the Black Box: Automated Decisions and the
 *       GDPR" (Harvard JOLT 2017), with CARLA's convention (Pawelczyk et al., NeurIPS 2021
 *       Datasets and Benchmarks) of raising the outcome weight until valid and stopping at the
 *       first valid point.</li>
 * </ul>
 */
package org.cfq.recourse.gradient;
