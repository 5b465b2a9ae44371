/**
 * Networks trained outside cfq (read by an importer such as cfq-onnx's) and the fold that
 * turns one into a cfq {@link org.cfq.model.Mlp} over cfq's model space: the model's own
 * input layout becomes part of its first layer, so recourse, quantization and the audit
 * treat it exactly as a teacher cfq trained (Yahyati et al., 2026, section 3: the teacher
 * is any fixed differentiable classifier over the encoded rows).
 */
package org.cfq.model.imported;
