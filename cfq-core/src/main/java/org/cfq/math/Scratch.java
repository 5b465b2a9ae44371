package org.cfq.math;

/**
 * Per-thread scratch for the kernels' internal copies (a transposed weight), so a kernel call
 * allocates nothing once its thread has seen the largest shape. Only kernels of this package
 * use it, never across a call: a caller's buffers never live here.
 */
final class Scratch {
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[1][0]);

    private Scratch() {
    }

    /** {@return this thread's buffer for a transposed weight, at least {@code n} floats} */
    static float[] transposed(int n) {
        return get(0, n);
    }

    private static float[] get(int kind, int n) {
        float[][] b = BUFFERS.get();
        if (b[kind].length < n) {
            b[kind] = new float[n];
        }
        return b[kind];
    }
}
