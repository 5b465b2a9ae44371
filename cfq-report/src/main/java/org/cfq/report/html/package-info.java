/**
 * The self-contained HTML report of an experiment: the budget curves of "When Bits Break
 * Recourse" (Yahyati et al., 2026: validity drop, recourse gap, accuracy, fidelity and
 * leniency against the bit budget), bit allocations, margins at the teacher's
 * counterfactuals, and example applicants, drawn with JFreeChart as inline SVG. Renders
 * results; computes nothing beyond the mean and spread over seeds it draws.
 */
package org.cfq.report.html;
