package org.cfq.math;

/**
 * Per-thread scratch for the kernels' internal copies (a transposed weight, a packed chunk of
 * a gradient), so a kernel call allocates nothing once its thread has seen the largest shape.
 * Only kernels of this package use it, never across a call: a caller's buffers never live here.
 * The two kinds are separate arrays because a weight-gradient call may run while the same
 * thread's transposed weight is being read by a split affine call's helpers.
 */
final class Scratch {
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);

    private Scratch() {
    }

    /** {@return this thread's buffer for a transposed weight, at least {@code n} floats} */
    static float[] transposed(int n) {
        return get(0, n);
    }

    /** {@return this thread's buffer for packed gradient chunks, at least {@code n} floats} */
    static float[] pack(int n) {
        return get(1, n);
    }

    private static float[] get(int kind, int n) {
        float[][] b = BUFFERS.get();
        if (b[kind].length < n) {
            b[kind] = new float[n];
        }
        return b[kind];
    }
}
