/**
 * Sound bounds on what a deployed network computes over a box of inputs: the favorable margin
 * {@code logit[1] - logit[0]} (or any linear function of the logits) of a float MLP, of a
 * fake-quantized MLP whose hidden activations pass through a quantizer, and so of the runtimes
 * that provably compute the same values (the integer engine, an ONNX QDQ graph).
 *
 * <p>{@link org.cfq.bounds.BoundNetwork} describes a network as it really computes: affine
 * layers with float32 weights and biases, each dot product rounded in float32 in an unknown
 * order, a ReLU after every hidden layer, optionally followed by a non-decreasing step
 * ({@link org.cfq.bounds.StepActivation}, PyTorch's fake quantizer with its exact float32
 * semantics). {@link org.cfq.bounds.BoundEngine} bounds it over an input box with interval
 * bound propagation and with the linear relaxation of CROWN (back-substitution from the
 * margin, intermediate bounds by intervals: the CROWN-IBP combination), takes the better of
 * the two, and widens every pre-activation by the worst-case float32 rounding of its dot
 * product ({@code gamma_n}, Higham) so the bound holds for every summation order. A quantized
 * activation is relaxed as the clipped ReLU it approximates plus half a quantization step, or
 * by its exact values at the box ends (monotone), whichever is tighter.
 *
 * <p>{@link org.cfq.bounds.Neighbourhood} turns a per-feature tolerance in original units
 * into the model-space box around a counterfactual; {@link org.cfq.bounds.DeploymentSet} is the
 * finite list of models a lender serves, each with its runtime, the network its bounds are
 * computed on, and its differentiable twin.
 *
 * <p>References: S. Gowal et al., "On the Effectiveness of Interval Bound Propagation for
 * Training Verifiably Robust Models", 2018 (IBP); H. Zhang et al., "Efficient Neural Network
 * Robustness Certification with General Activation Functions" (CROWN), NeurIPS 2018;
 * H. Zhang et al., "Towards Stable and Efficient Training of Verifiably Robust Neural
 * Networks" (CROWN-IBP), ICLR 2020; K. Xu et al., "Fast and Complete" (alpha-CROWN: optimised
 * lower slopes), ICLR 2021 (here the lower slope of each unstable ReLU is chosen per neuron
 * from {0, 1} by the adaptive rule, not optimised); N. Higham, "Accuracy and Stability of
 * Numerical Algorithms", 2002 (gamma_n); M. Yahyati et al., "When Bits Break Recourse", 2026
 * (the transfer condition {@code margin_T > 2 max|z_S - z_T|}).
 */
package org.cfq.bounds;
