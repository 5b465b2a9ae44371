/**
 * Row-major float matrices and batched kernels (affine maps, their gradients, ReLU).
 * Callers own the buffers; a kernel call on one thread allocates nothing (once the JIT
 * has compiled it). The matrix kernels use the JDK vector API when
 * {@code jdk.incubator.vector} is loaded and split large calls over a {@link
 * org.cfq.math.Parallelism}, with results that depend on neither (see {@link
 * org.cfq.math.Dense}).
 */
package org.cfq.math;
