/**
 * Learned quantizer parameters: LSQ step sizes for weights and PACT clip values for
 * unsigned activations, each with its forward fake quantization and its gradients.
 *
 * <p>References: S. K. Esser et al., "Learned Step Size Quantization", ICLR 2020;
 * J. Choi et al., "PACT: Parameterized Clipping Activation for Quantized Neural Networks", 2018.
 */
package org.cfq.quant.lsq;
