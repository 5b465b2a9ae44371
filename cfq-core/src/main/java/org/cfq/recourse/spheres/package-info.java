/**
 * Growing spheres: Laugel, Lesot, Marsala, Renard and Detyniecki, "Inverse Classification for
 * Comparison-based Interpretability in Machine Learning" (IPMU 2018). Model-agnostic: it only
 * scores sampled points, so it also runs on quantized and integer models.
 */
package org.cfq.recourse.spheres;
