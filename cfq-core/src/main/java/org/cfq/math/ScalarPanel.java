package org.cfq.math;

/**
 * The plain-Java panel product, used when the JDK's vector module is not loaded. Its
 * arithmetic is the same as {@link VectorPanel}'s, element for element, so both give
 * bit-identical results: see {@link VectorPanel#panel}.
 */
final class ScalarPanel {
    private ScalarPanel() {
    }

    /** Same contract as {@link VectorPanel#panel}. */
    static void panel(float[] a, int aRow, int aK, float[] b, int ldb, int k,
                      float[] c, int ldc, int m0, int m1, int n, float[] bias, boolean accumulate) {
        for (int m = m0; m < m1; m++) {
            int co = m * ldc;
            int ao = m * aRow;
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[co + j] : bias == null ? 0f : bias[j];
                for (int kk = 0, bo = j; kk < k; kk++, bo += ldb) {
                    s = Math.fma(a[ao + kk * aK], b[bo], s);
                }
                c[co + j] = s;
            }
        }
    }
}
