/**
 * Training of full-precision teachers: {@link org.cfq.train.MlpTrainer} (mini-batch
 * AdamW on two-class softmax cross-entropy, early stopping on a validation split),
 * its {@link org.cfq.train.TrainingConfig} and {@link org.cfq.train.TrainingResult},
 * the reusable {@link org.cfq.train.AdamW} optimizer and {@link org.cfq.train.Losses}.
 *
 * <p>AdamW follows Loshchilov and Hutter, "Decoupled Weight Decay Regularization"
 * (ICLR 2019), with the update order of PyTorch's {@code torch.optim.AdamW}.
 */
package org.cfq.train;
