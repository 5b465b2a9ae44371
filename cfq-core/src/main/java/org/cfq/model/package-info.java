/**
 * Classifiers over model-space rows: the {@link org.cfq.model.Classifier} contract
 * (batch in, two logits out), its differentiable refinement, and the {@link org.cfq.model.Mlp}.
 */
package org.cfq.model;
