/**
 * Row-major float matrices and batched kernels (affine maps, their gradients, ReLU).
 * Callers own the buffers; kernels never allocate.
 */
package org.cfq.math;
