package org.cfq.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DenseTest {
    /** Unit roundoff of float32. */
    private static final double U = 0x1p-24;

    /** Odd and even shapes around the 4-row block and the 16-lane vector: (rows, in, out). */
    static Stream<int[]> shapes() {
        List<int[]> s = new ArrayList<>();
        int[] rows = {1, 2, 3, 4, 5, 7, 9, 33};
        int[] widths = {1, 2, 3, 4, 7, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 108, 130};
        SplittableRandom rng = new SplittableRandom(7);
        for (int r : rows) {
            for (int k = 0; k < 6; k++) {
                s.add(new int[] {r, widths[rng.nextInt(widths.length)], widths[rng.nextInt(widths.length)]});
            }
        }
        s.add(new int[] {1, 1, 1});
        s.add(new int[] {300, 108, 128});
        s.add(new int[] {513, 17, 2});
        s.add(new int[] {6, 128, 64});
        // Fewer outputs (or inputs) than one vector with many rows: the lanes-over-rows path.
        s.add(new int[] {40, 5, 20});
        s.add(new int[] {37, 20, 3});
        s.add(new int[] {64, 64, 2});
        return s.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affine_randomShape_matchesDoubleReferenceWithinRoundoff(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows * 1_000_003L + in * 1009L + out);
        float[] x = random(rng, rows * in);
        float[] w = random(rng, out * in);
        float[] b = random(rng, out);
        float[] y = new float[rows * out];
        Dense.affine(x, rows, in, w, b, out, y, Parallelism.single());
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                double abs = Math.abs(b[o]);
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[o * in + i];
                    abs += Math.abs((double) x[r * in + i] * w[o * in + i]);
                }
                assertThat((double) y[r * out + o]).isCloseTo(s, org.assertj.core.data.Offset.offset(bound(in, abs)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affineTransposed_randomShape_sameBitsAsAffineOnEveryThreadCount(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows * 31L + in * 17L + out);
        float[] x = random(rng, rows * in);
        float[] w = random(rng, out * in);
        float[] wt = new float[in * out];
        Dense.transpose(w, out, in, wt);
        float[] b = random(rng, out);
        float[] expected = new float[rows * out];
        Dense.affine(x, rows, in, w, b, out, expected, Parallelism.single());
        for (Parallelism p : parallelisms()) {
            float[] y = new float[rows * out];
            Dense.affineTransposed(x, rows, in, wt, b, out, y, p);
            assertThat(y).as("affineTransposed, %s", p).containsExactly(expected);
            float[] y2 = new float[rows * out];
            Dense.affine(x, rows, in, w, b, out, y2, p);
            assertThat(y2).as("affine, %s", p).containsExactly(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affineTransposed_noBias_matchesDoubleReference(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows + in + out);
        float[] x = random(rng, rows * in);
        float[] wt = random(rng, in * out);
        float[] y = new float[rows * out];
        Dense.affineTransposed(x, rows, in, wt, null, out, y, Parallelism.single());
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                double abs = 0;
                for (int i = 0; i < in; i++) {
                    double t = (double) x[r * in + i] * wt[i * out + o];
                    s += t;
                    abs += Math.abs(t);
                }
                assertThat((double) y[r * out + o]).isCloseTo(s, org.assertj.core.data.Offset.offset(bound(in, abs)));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affineInputGrad_randomShape_matchesReferenceAndIsThreadInvariant(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows * 7L + in * 3L + out);
        float[] dy = random(rng, rows * out);
        float[] w = random(rng, out * in);
        float[] dx = filled(rows * in, 99f);
        Dense.affineInputGrad(dy, rows, out, w, in, dx, Parallelism.single());
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                double abs = 0;
                for (int o = 0; o < out; o++) {
                    double t = (double) dy[r * out + o] * w[o * in + i];
                    s += t;
                    abs += Math.abs(t);
                }
                assertThat((double) dx[r * in + i]).isCloseTo(s, org.assertj.core.data.Offset.offset(bound(out, abs)));
            }
        }
        for (Parallelism p : parallelisms()) {
            float[] dx2 = filled(rows * in, -5f);
            Dense.affineInputGrad(dy, rows, out, w, in, dx2, p);
            assertThat(dx2).as("%s", p).containsExactly(dx);
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void affineWeightGrad_randomShape_accumulatesReferenceAndIsThreadInvariant(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows * 5L + in * 11L + out);
        float[] dy = random(rng, rows * out);
        float[] x = random(rng, rows * in);
        float[] dw0 = random(rng, out * in);
        float[] db0 = random(rng, out);
        float[] dw = dw0.clone();
        float[] db = db0.clone();
        Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, Parallelism.single());
        for (int o = 0; o < out; o++) {
            double sb = db0[o];
            double absb = Math.abs(db0[o]);
            for (int r = 0; r < rows; r++) {
                sb += dy[r * out + o];
                absb += Math.abs(dy[r * out + o]);
            }
            assertThat((double) db[o]).isCloseTo(sb, org.assertj.core.data.Offset.offset(bound(rows, absb)));
            for (int i = 0; i < in; i++) {
                double s = dw0[o * in + i];
                double abs = Math.abs(s);
                for (int r = 0; r < rows; r++) {
                    double t = (double) dy[r * out + o] * x[r * in + i];
                    s += t;
                    abs += Math.abs(t);
                }
                assertThat((double) dw[o * in + i]).isCloseTo(s, org.assertj.core.data.Offset.offset(bound(rows, abs)));
            }
        }
        for (Parallelism p : parallelisms()) {
            float[] dw2 = dw0.clone();
            float[] db2 = db0.clone();
            Dense.affineWeightGrad(dy, x, rows, in, out, dw2, db2, p);
            assertThat(dw2).as("dw, %s", p).containsExactly(dw);
            assertThat(db2).as("db, %s", p).containsExactly(db);
        }
    }

    @Test
    void clipQuantize_randomValuesTiesAndNaN_matchScalarFormulaBitForBit() {
        SplittableRandom rng = new SplittableRandom(17);
        int n = 16 * 37 + 5;
        for (int qmax : new int[] {3, 15, 255}) {
            float alpha = 1.7f;
            float s = alpha / qmax;
            float inv = 1f / s;
            float[] pre = new float[n];
            for (int i = 0; i < n; i++) {
                // Values around 0 and alpha, exact half steps (ties), NaN and infinities.
                pre[i] = switch (i % 7) {
                    case 0 -> (float) (rng.nextDouble() * 4 - 2);
                    case 1 -> (rng.nextInt(2 * qmax) + 0.5f) * s;
                    case 2 -> Float.NaN;
                    case 3 -> rng.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    case 4 -> rng.nextBoolean() ? -0f : alpha;
                    default -> (float) rng.nextDouble() * alpha;
                };
            }
            float[] out = new float[n];
            Dense.clipQuantize(pre, n, alpha, s, inv, qmax, out);
            for (int i = 0; i < n; i++) {
                float x = pre[i];
                float c = x > 0f ? Math.min(x, alpha) : 0f;
                double q = Math.rint(c * inv);
                int code = q < 0 ? 0 : q > qmax ? qmax : (int) q;
                assertThat(out[i]).as("i=%d x=%s qmax=%d", i, x, qmax).isEqualTo((float) code * s);
            }
        }
    }

    @Test
    void clipBackward_randomValues_matchScalarLoopBitForBit() {
        SplittableRandom rng = new SplittableRandom(19);
        int n = 16 * 41 + 9;
        float alpha = 0.9f;
        float[] pre = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            pre[i] = i % 11 == 0 ? Float.NaN : i % 5 == 0 ? alpha : (float) (rng.nextDouble() * 3 - 1);
            up[i] = (float) rng.nextGaussian();
        }
        double want = 0;
        float[] dWant = new float[n];
        for (int i = 0; i < n; i++) {
            if (pre[i] >= alpha) {
                want += up[i];
            } else if (pre[i] > 0f) {
                dWant[i] = up[i];
            }
        }
        float[] inPlace = up.clone();
        double got = Dense.clipBackward(pre, n, alpha, inPlace, inPlace);
        assertThat(got).isEqualTo(want);
        assertThat(inPlace).containsExactly(dWant);
    }

    @Test
    void affineWeightGrad_everyColumnGrouping_isTheScalarFmaChainBitForBit() {
        // The vector kernel groups input columns in threes of vectors, with an overlapping tail
        // vector; each element must still be fma(dy, x, .) over the rows in ascending order from
        // its old value, including across the 128-row chunks, whatever in and out are.
        int[] ins = {16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 90, 100, 108, 128, 130};
        int[] outs = {1, 2, 3, 5, 9, 64, 127, 128};
        SplittableRandom rng = new SplittableRandom(29);
        for (int in : ins) {
            int out = outs[rng.nextInt(outs.length)];
            int rows = 1 + rng.nextInt(300);
            float[] dy = random(rng, rows * out);
            float[] x = random(rng, rows * in);
            float[] dw0 = random(rng, out * in);
            float[] db0 = random(rng, out);
            float[] want = dw0.clone();
            float[] wantB = db0.clone();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    float acc = dw0[o * in + i];
                    for (int r = 0; r < rows; r++) {
                        acc = Math.fma(dy[r * out + o], x[r * in + i], acc);
                    }
                    want[o * in + i] = acc;
                }
                float sb = db0[o];
                for (int r = 0; r < rows; r++) {
                    sb += dy[r * out + o];
                }
                wantB[o] = sb;
            }
            for (Parallelism p : parallelisms()) {
                float[] dw = dw0.clone();
                float[] db = db0.clone();
                Dense.affineWeightGrad(dy, x, rows, in, out, dw, db, p);
                assertThat(dw).as("dw, %d x %d -> %d, %s", rows, in, out, p).containsExactly(want);
                assertThat(db).as("db, %d x %d -> %d, %s", rows, in, out, p).containsExactly(wantB);
            }
        }
    }

    @Test
    void affineWeightGrad_manyRows_sameBitsAsRowByRowAccumulation() {
        // 600 rows cross the kernel's 256-row chunks; one call must equal 600 one-row calls.
        int rows = 600;
        int in = 37;
        int out = 9;
        SplittableRandom rng = new SplittableRandom(3);
        float[] dy = random(rng, rows * out);
        float[] x = random(rng, rows * in);
        float[] dw = new float[out * in];
        Dense.affineWeightGrad(dy, x, rows, in, out, dw, null, Parallelism.of(2));
        float[] byRow = new float[out * in];
        float[] dyRow = new float[out];
        float[] xRow = new float[in];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dy, r * out, dyRow, 0, out);
            System.arraycopy(x, r * in, xRow, 0, in);
            Dense.affineWeightGrad(dyRow, xRow, 1, in, out, byRow, null, Parallelism.single());
        }
        assertThat(dw).containsExactly(byRow);
    }

    @Test
    void panel_vectorAndScalarPaths_giveSameBits() {
        assumeTrue(Dense.VECTOR, "jdk.incubator.vector is not loaded: only the scalar path exists");
        SplittableRandom rng = new SplittableRandom(11);
        int[][] cases = {{5, 108, 128}, {3, 17, 49}, {9, 64, 2}, {4, 33, 16}, {7, 1, 31}, {40, 9, 3}, {35, 20, 7}};
        for (int[] c : cases) {
            int m = c[0];
            int k = c[1];
            int n = c[2];
            float[] a = random(rng, m * k);
            float[] b = random(rng, k * n);
            float[] bias = random(rng, n);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] cv = random(new SplittableRandom(n), m * n);
                float[] cs = cv.clone();
                Dense.panel(true, a, k, 1, b, n, k, cv, n, 0, m, n, bias, accumulate);
                Dense.panel(false, a, k, 1, b, n, k, cs, n, 0, m, n, bias, accumulate);
                assertThat(cv).as("m=%d k=%d n=%d accumulate=%s", m, k, n, accumulate).containsExactly(cs);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void sparseRows_mostlyZeroInput_matchesTheDenseForwardAndInputGradientBitForBit(int[] shape) {
        int rows = shape[0];
        int in = shape[1];
        int out = shape[2];
        SplittableRandom rng = new SplittableRandom(rows * 31L + in * 7L + out);
        float[] x = random(rng, rows * in);
        for (int i = 0; i < x.length; i++) {
            if (rng.nextInt(4) != 0) {
                x[i] = rng.nextBoolean() ? 0f : -0f; // one-hot zeros, ReLU zeros, masked gradients
            }
        }
        float[] w = random(rng, out * in);
        float[] wt = new float[in * out];
        Dense.transpose(w, out, in, wt);
        float[] b = random(rng, out);
        int[] nz = new int[Math.max(in, out)];
        float[] dense = new float[rows * out];
        float[] sparse = new float[rows * out];
        Dense.affineTransposed(x, rows, in, wt, b, out, dense, Parallelism.single());
        Dense.sparseRows(x, rows, in, wt, b, out, sparse, nz);
        assertThat(sparse).containsExactly(dense);
        // backward: dx = dy W, with x playing dy (rows x in) and W (in x out) read as stored
        float[] dxDense = new float[rows * out];
        float[] dxSparse = random(rng, rows * out); // overwritten
        Dense.affineInputGrad(x, rows, in, wt, out, dxDense, Parallelism.single());
        Dense.sparseRows(x, rows, in, wt, null, out, dxSparse, nz);
        assertThat(dxSparse).containsExactly(dxDense);
    }

    @Test
    void sparseRows_listsEveryColumnWithANonzeroOfAnySize_inVectorBlocksAndTail() {
        // The nonzero scan must keep a column whose only nonzero is a subnormal, a NaN or a value
        // whose absolute sum over four rows overflows, and drop columns of +0 and -0 alone. The
        // reference is the chain over exactly that list (a dropped subnormal shows in a row with
        // nothing else; a kept zero column could flip the sign of a zero sum).
        int rows = 9;
        int in = 53; // three vector blocks of 16 and a scalar tail of 5 (or six of 8 and a tail of 5)
        int out = 20;
        SplittableRandom rng = new SplittableRandom(17);
        float[] w = random(rng, out * in);
        float[] wt = new float[in * out];
        Dense.transpose(w, out, in, wt);
        int[] nz = new int[in];
        for (int trial = 0; trial < 200; trial++) {
            float[] x = new float[rows * in];
            for (int i = 0; i < x.length; i++) {
                int pick = rng.nextInt(40);
                x[i] = switch (pick) {
                    case 0 -> Float.MIN_VALUE;
                    case 1 -> -Float.MIN_NORMAL / 3;
                    case 2 -> Float.NaN;
                    case 3 -> 3e38f;
                    case 4 -> -3e38f;
                    case 5 -> 1f;
                    default -> pick % 2 == 0 ? 0f : -0f;
                };
            }
            float[] expected = new float[rows * out];
            for (int m = 0; m < rows; m += 4) {
                int[] group = {m, Math.min(m + 1, rows - 1), Math.min(m + 2, rows - 1), Math.min(m + 3, rows - 1)};
                for (int r = m; r < Math.min(m + 4, rows); r++) {
                    for (int o = 0; o < out; o++) {
                        float acc = 0f;
                        for (int kk = 0; kk < in; kk++) {
                            boolean listed = false;
                            for (int g : group) {
                                listed |= x[g * in + kk] != 0f;
                            }
                            if (listed) {
                                acc = Math.fma(wt[kk * out + o], x[r * in + kk], acc);
                            }
                        }
                        expected[r * out + o] = acc;
                    }
                }
            }
            float[] sparse = random(rng, rows * out);
            Dense.sparseRows(x, rows, in, wt, null, out, sparse, nz);
            assertThat(sparse).as("trial %d", trial).containsExactly(expected);
        }
    }

    /** Four rows of special values (subnormals, NaN, overflowing magnitudes, +0 and -0), mostly zeros. */
    private static float[] specials(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = rng.nextInt(40);
            x[i] = switch (pick) {
                case 0 -> Float.MIN_VALUE;
                case 1 -> -Float.MIN_NORMAL / 3;
                case 2 -> Float.NaN;
                case 3 -> 3e38f;
                case 4 -> -3e38f;
                case 5 -> 1f;
                case 6 -> -0.5f;
                default -> pick % 2 == 0 ? 0f : -0f;
            };
        }
        return x;
    }

    @Test
    void nonzeroColumns4_listsExactlyTheColumnsWithANonzero_onEveryPath() {
        SplittableRandom rng = new SplittableRandom(29);
        for (int k : new int[] {0, 1, 5, 15, 16, 17, 31, 32, 33, 42, 53, 64, 65, 100, 108, 128, 131}) {
            for (int trial = 0; trial < 40; trial++) {
                float[] a = specials(rng, 4 * k + 3);
                int[] starts = {rng.nextInt(4), k + 1, 2 * k + 2, rng.nextBoolean() ? 3 * k + 3 : 0};
                int no = rng.nextInt(3);
                int[] expected = new int[k];
                int n = 0;
                for (int kk = 0; kk < k; kk++) {
                    boolean any = false;
                    for (int st : starts) {
                        any |= a[st + kk] != 0f || Float.isNaN(a[st + kk]);
                    }
                    if (any) {
                        expected[n++] = kk;
                    }
                }
                int[] want = java.util.Arrays.copyOf(expected, n);
                int[] nz = new int[no + k];
                int got = Dense.nonzeroColumns4(a, starts[0], starts[1], starts[2], starts[3], k, nz, no);
                assertThat(java.util.Arrays.copyOfRange(nz, no, no + got)).as("k=%d trial %d", k, trial)
                        .containsExactly(want);
                // The list's space is nz[no, no + k): nothing outside it is written, even with room
                // after it (the vector form stores a byte of mask bits as eight entries at once).
                int[] fenced = new int[no + k + 9];
                java.util.Arrays.fill(fenced, -7);
                int gotFenced = Dense.nonzeroColumns4(a, starts[0], starts[1], starts[2], starts[3], k, fenced, no);
                assertThat(java.util.Arrays.copyOfRange(fenced, no, no + gotFenced)).containsExactly(want);
                int[] before = new int[no];
                java.util.Arrays.fill(before, -7);
                int[] after = new int[9];
                java.util.Arrays.fill(after, -7);
                assertThat(java.util.Arrays.copyOfRange(fenced, 0, no)).as("before the list, k=%d", k)
                        .containsExactly(before);
                assertThat(java.util.Arrays.copyOfRange(fenced, no + k, fenced.length))
                        .as("after the list's space, k=%d", k).containsExactly(after);
                if (Dense.vectorized()) {
                    // Both vector forms, whichever this JDK picks: the mask bits and the stored vector.
                    for (boolean bits : new boolean[] {true, false}) {
                        int[] nz2 = new int[no + k];
                        int got2 = bits
                                ? VectorPanel.nonzeroBits(a, starts[0], starts[1], starts[2], starts[3], k, nz2, no)
                                : VectorPanel.nonzeroStored(a, starts[0], starts[1], starts[2], starts[3], k, nz2, no);
                        assertThat(java.util.Arrays.copyOfRange(nz2, no, no + got2))
                                .as("k=%d trial %d bits=%s", k, trial, bits).containsExactly(want);
                    }
                }
            }
        }
    }

    @Test
    void reluKeepingLists_isReluThenTheListsOfEachGroupOfFourRows_onEveryPath() {
        SplittableRandom rng = new SplittableRandom(41);
        // n a multiple of 16 takes the fused vector form on AVX-512 (JDK >= 18), the others ReLU then lists
        for (int[] s : new int[][] {{23, 128}, {9, 64}, {4, 16}, {1, 32}, {13, 20}, {6, 3}, {0, 64}, {7, 0}}) {
            int rows = s[0];
            int n = s[1];
            int groups = (rows + 3) / 4;
            for (int trial = 0; trial < 20; trial++) {
                float[] a = trial % 2 == 0 ? specials(rng, rows * n) : random(rng, rows * n);
                float[] want = a.clone();
                Dense.relu(want, rows * n);
                int[] lists = new int[groups * n];
                int[] counts = new int[groups];
                java.util.Arrays.fill(lists, -1);
                Dense.reluKeepingLists(a, rows, n, lists, counts);
                assertThat(a).as("rows=%d n=%d trial %d", rows, n, trial).containsExactly(want);
                assertGroupLists(want, rows, n, lists, counts, "rows=" + rows + " n=" + n + " trial " + trial);
                if (Dense.vectorized() && n % VectorPanel.lanes() == 0) {
                    // the fused form itself, whichever form this JDK picks for the call above
                    float[] b = want.clone();
                    float[] raw = trial % 2 == 0 ? specials(new SplittableRandom(trial), rows * n) : null;
                    if (raw != null) {
                        b = raw.clone();
                    }
                    float[] bWant = b.clone();
                    Dense.relu(bWant, rows * n);
                    int[] lists2 = new int[groups * n];
                    int[] counts2 = new int[groups];
                    VectorPanel.reluLists(b, rows, n, lists2, counts2);
                    assertThat(b).containsExactly(bWant);
                    for (int g = 0; g < groups; g++) {
                        int last = rows - 1;
                        int[] one = new int[n];
                        int c = Dense.nonzeroColumns4(bWant, 4 * g * n, Math.min(4 * g + 1, last) * n,
                                Math.min(4 * g + 2, last) * n, Math.min(4 * g + 3, last) * n, n, one, 0);
                        assertThat(java.util.Arrays.copyOfRange(lists2, g * n, g * n + counts2[g]))
                                .containsExactly(java.util.Arrays.copyOf(one, c));
                    }
                }
            }
        }
    }

    @Test
    void sparseRowsKeepingLists_givesSparseRowsValues_andListsThatSparseRowsOnListsReuses() {
        SplittableRandom rng = new SplittableRandom(31);
        // n = 3 takes the plain-Java form with lists, the others the vector tiles.
        for (int[] s : new int[][] {{23, 128, 64}, {9, 53, 20}, {4, 64, 128}, {1, 16, 17}, {13, 40, 3}, {0, 8, 16}}) {
            int rows = s[0];
            int k = s[1];
            int n = s[2];
            int groups = (rows + 3) / 4;
            float[] act = random(rng, rows * k);
            for (int i = 0; i < act.length; i++) {
                if (rng.nextInt(3) != 0) {
                    act[i] = rng.nextBoolean() ? 0f : -0f;
                }
            }
            float[] wt = random(rng, k * n);
            float[] bias = random(rng, n);
            int[] nz = new int[k];
            float[] want = new float[rows * n];
            Dense.sparseRows(act, rows, k, wt, bias, n, want, nz);
            int[] lists = new int[groups * k];
            int[] counts = new int[groups];
            float[] got = random(rng, rows * n);
            Dense.sparseRowsKeepingLists(act, rows, k, wt, bias, n, got, lists, counts);
            assertThat(got).as("rows=%d k=%d n=%d", rows, k, n).containsExactly(want);
            assertGroupLists(act, rows, k, lists, counts, "rows=" + rows + " k=" + k + " n=" + n);
            // A gradient zero wherever act is (the ReLU mask) and at some more places: the kept lists
            // are a superset of its nonzero columns and give sparseRows' values (bias null).
            float[] delta = random(rng, rows * k);
            for (int i = 0; i < delta.length; i++) {
                if (act[i] == 0f || rng.nextInt(5) == 0) {
                    delta[i] = rng.nextBoolean() ? 0f : -0f;
                }
            }
            float[] wantBack = new float[rows * n];
            Dense.sparseRows(delta, rows, k, wt, null, n, wantBack, nz);
            float[] gotBack = random(rng, rows * n);
            Dense.sparseRowsOnLists(delta, rows, k, wt, null, n, gotBack, lists, counts);
            assertThat(gotBack).as("backward rows=%d k=%d n=%d", rows, k, n).containsExactly(wantBack);
        }
    }

    @Test
    void weightedL1Changed_isTheLoopOverEveryColumnBitForBit() {
        SplittableRandom rng = new SplittableRandom(37);
        for (int n : new int[] {0, 1, 15, 16, 17, 40, 108, 131}) {
            for (int trial = 0; trial < 30; trial++) {
                int ao = rng.nextInt(3);
                int bo = rng.nextInt(3);
                float[] weight = random(rng, n);
                for (int j = 0; j < n; j++) {
                    weight[j] = Math.abs(weight[j]);
                }
                float[] a = random(rng, ao + n);
                float[] b = random(rng, bo + n);
                for (int j = 0; j < n; j++) {
                    int pick = rng.nextInt(10);
                    if (pick < 7) {
                        b[bo + j] = a[ao + j]; // most columns unchanged
                    } else if (pick == 7 && trial % 10 == 0) {
                        b[bo + j] = Float.NaN;
                    } else if (pick == 8) {
                        b[bo + j] = -a[ao + j];
                    }
                }
                double want = 0;
                for (int j = 0; j < n; j++) {
                    want += weight[j] * Math.abs((double) b[bo + j] - a[ao + j]);
                }
                double got = Dense.weightedL1Changed(weight, a, ao, b, bo, n);
                assertThat(Double.doubleToRawLongBits(got)).as("n=%d trial %d: %s vs %s", n, trial, got, want)
                        .isEqualTo(Double.doubleToRawLongBits(want));
                if (Dense.vectorized()) {
                    double v = VectorPanel.weightedL1Changed(weight, a, ao, b, bo, n);
                    assertThat(Double.doubleToRawLongBits(v)).isEqualTo(Double.doubleToRawLongBits(want));
                }
            }
        }
    }

    @Test
    void sparseRowsOnLists_shortListsOrCounts_failNamingThem() {
        float[] a = new float[8 * 4];
        float[] b = new float[4 * 16];
        float[] c = new float[8 * 16];
        assertThatThrownBy(() -> Dense.sparseRowsOnLists(a, 8, 4, b, null, 16, c, new int[7], new int[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lists must hold at least 8 ints");
        assertThatThrownBy(() -> Dense.sparseRowsOnLists(a, 8, 4, b, null, 16, c, new int[8], new int[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts must hold at least 2");
        assertThatThrownBy(() -> Dense.sparseRowsOnLists(a, 8, 4, b, null, 16, c, new int[8], new int[] {5, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts[0] must be in [0, 4]");
        assertThatThrownBy(() -> Dense.nonzeroColumns4(a, 0, 4, 8, 12, 4, new int[5], 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nz must hold 2 + 4 ints");
    }

    @Test
    void softThresholdClamp_isTheStepThenTheClampBitForBit() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int n : new int[] {1, 15, 16, 17, 31, 90, 200}) {
            for (int rep = 0; rep < 20; rep++) {
                int zo = rng.nextInt(5);
                int go = rng.nextInt(5);
                int to = rng.nextInt(5);
                int bo = rng.nextInt(5);
                float[] z = random(rng, zo + n);
                float[] f = random(rng, zo + n);
                float[] g = random(rng, go + n);
                float[] th = random(rng, to + n);
                float[] lo = random(rng, bo + n);
                float[] hi = random(rng, bo + n);
                for (int i = 0; i < n; i++) {
                    if (lo[bo + i] > hi[bo + i]) {
                        float t = lo[bo + i];
                        lo[bo + i] = hi[bo + i];
                        hi[bo + i] = t;
                    }
                    switch (rng.nextInt(8)) {
                        case 0 -> hi[bo + i] = lo[bo + i]; // a frozen column
                        case 1 -> th[to + i] = 0f;
                        case 2 -> f[zo + i] = rng.nextBoolean() ? -0f : 0f;
                        case 3 -> g[go + i] = Float.NaN;
                        case 4 -> z[zo + i] = f[zo + i];
                        default -> { }
                    }
                }
                float step = (float) rng.nextDouble();
                float[] expected = z.clone();
                float[] gRow = java.util.Arrays.copyOfRange(g, go, go + n);
                float[] thRow = java.util.Arrays.copyOfRange(th, to, to + n);
                Dense.softThresholdStep(expected, f, zo, gRow, thRow, n, step);
                Dense.clamp(expected, zo, lo, hi, bo, n);
                float[] fused = z.clone();
                Dense.softThresholdClamp(fused, f, zo, g, go, th, to, lo, hi, bo, n, step);
                assertThat(fused).as("n %d rep %d", n, rep).containsExactly(expected);
            }
        }
    }

    @Test
    void softThresholdStepAndClamp_matchTheScalarFormulasBitForBit() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : new int[] {1, 15, 16, 17, 90, 200}) {
            int zo = 3;
            float[] z = random(rng, zo + n);
            float[] f = random(rng, zo + n);
            float[] g = random(rng, n);
            float[] th = random(rng, n);
            for (int i = 0; i < n; i += 3) {
                th[i] = 0f;
                f[zo + i] = i % 2 == 0 ? -0f : 0f;
            }
            float[] expected = z.clone();
            for (int i = 0; i < n; i++) {
                float d = expected[zo + i] - 0.04f * g[i] - f[zo + i];
                expected[zo + i] = f[zo + i] + d - Math.max(-th[i], Math.min(th[i], d));
            }
            Dense.softThresholdStep(z, f, zo, g, th, n, 0.04f);
            assertThat(z).as("n=%d", n).containsExactly(expected);

            float[] lo = random(rng, n + 1);
            float[] hi = new float[n + 1];
            for (int i = 0; i <= n; i++) {
                hi[i] = i % 4 == 0 ? lo[i] : lo[i] + (float) rng.nextDouble();
            }
            float[] clamped = z.clone();
            for (int i = 0; i < n; i++) {
                float l = lo[1 + i];
                float h = hi[1 + i];
                clamped[zo + i] = l == h ? l : Math.max(l, Math.min(h, clamped[zo + i]));
            }
            Dense.clamp(z, zo, lo, hi, 1, n);
            assertThat(z).as("n=%d", n).containsExactly(clamped);
        }
    }

    @Test
    void affine_handComputedExample_givesExactValues() {
        // x = [[1, 2]], W = [[3, 4], [5, 6], [-1, 0.5]], b = [0.5, -1, 0]
        float[] y = new float[3];
        Dense.affine(new float[] {1, 2}, 1, 2, new float[] {3, 4, 5, 6, -1, 0.5f}, new float[] {0.5f, -1, 0}, 3, y);
        assertThat(y).containsExactly(11.5f, 16f, 0f);
    }

    @Test
    void affineInputGrad_handComputedExample_givesExactValues() {
        // dy = [[1, -1]], W = [[3, 4], [5, 6]]: dx = [3 - 5, 4 - 6]
        float[] dx = new float[2];
        Dense.affineInputGrad(new float[] {1, -1}, 1, 2, new float[] {3, 4, 5, 6}, 2, dx);
        assertThat(dx).containsExactly(-2f, -2f);
    }

    @Test
    void affineWeightGrad_handComputedExample_accumulates() {
        // dy = [[1], [2]], x = [[3, 4], [5, 6]]: dW += [3 + 10, 4 + 12], db += 3
        float[] dw = {1, 1};
        float[] db = {0.5f};
        Dense.affineWeightGrad(new float[] {1, 2}, new float[] {3, 4, 5, 6}, 2, 2, 1, dw, db);
        assertThat(dw).containsExactly(14f, 17f);
        assertThat(db).containsExactly(3.5f);
    }

    @Test
    void transpose_rectangle_swapsIndices() {
        float[] t = new float[6];
        Dense.transpose(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, t);
        assertThat(t).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void transpose_sameArray_throws() {
        float[] a = new float[4];
        assertThatThrownBy(() -> Dense.transpose(a, 2, 2, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("separate output");
    }

    @Test
    void affine_outputTooShort_throwsNamingBuffer() {
        assertThatThrownBy(() -> Dense.affine(new float[6], 2, 3, new float[12], null, 4, new float[7]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("y must hold at least 8 floats, got 7");
    }

    @Test
    void affineWeightGrad_biasTooShort_throwsNamingBuffer() {
        assertThatThrownBy(() -> Dense.affineWeightGrad(new float[6], new float[4], 2, 2, 3, new float[6],
                new float[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("db must hold at least 3 floats, got 2");
    }

    @Test
    void affine_negativeRows_throws() {
        assertThatThrownBy(() -> Dense.affineTransposed(new float[1], -1, 1, new float[1], null, 1, new float[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows=-1");
    }

    @Test
    void affine_zeroRows_leavesOutputUntouched() {
        float[] y = {7f};
        Dense.affineTransposed(new float[0], 0, 3, new float[6], null, 2, y);
        assertThat(y).containsExactly(7f);
    }

    @Test
    void relu_mixedValues_zeroesNonPositiveAndNaN() {
        float[] a = {-1f, 0f, 2f, Float.NaN, 3f};
        Dense.relu(a, 4);
        assertThat(a).containsExactly(0f, 0f, 2f, 0f, 3f);
    }

    @Test
    void reluGrad_inactiveUnits_zeroesGradient() {
        float[] g = {5f, 6f, 7f};
        Dense.reluGrad(new float[] {1f, 0f, -2f}, g, 3);
        assertThat(g).containsExactly(5f, 0f, 0f);
    }

    @Test
    void reluAndReluGrad_longArrays_matchTheDefinitionInVectorBodyAndTail() {
        // 37 values: whole vectors (of 4, 8 or 16 lanes) plus a scalar tail; n stops short of the end.
        int len = 37;
        int n = 35;
        float[] a = new float[len];
        float[] g = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = i % 5 == 0 ? Float.NaN : (i % 3 == 0 ? -0f : (i % 2 == 0 ? -i : i));
            g[i] = 100 + i;
        }
        float[] act = a.clone();
        float[] relu = a.clone();
        Dense.relu(relu, n);
        Dense.reluGrad(act, g, n);
        for (int i = 0; i < len; i++) {
            boolean active = a[i] > 0f;
            float wantRelu = i >= n ? a[i] : (active ? a[i] : 0f);
            float wantGrad = i >= n || active ? 100 + i : 0f;
            assertThat(Float.floatToRawIntBits(relu[i])).as("relu[%d]", i).isEqualTo(Float.floatToRawIntBits(wantRelu));
            assertThat(Float.floatToRawIntBits(g[i])).as("g[%d]", i).isEqualTo(Float.floatToRawIntBits(wantGrad));
        }
    }

    @Test
    void kernels_singleThreadAfterWarmUp_allocateNothing() {
        // The vector API boxes its vectors until the JIT compiles the kernels, so warm up
        // first and then demand an allocation-free round.
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "the JVM cannot count allocated bytes");
        int rows = 9;
        int in = 21;
        int out = 18;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = random(rng, rows * in);
        float[] w = random(rng, out * in);
        float[] wt = new float[in * out];
        Dense.transpose(w, out, in, wt);
        float[] b = random(rng, out);
        float[] y = new float[rows * out];
        float[] dx = new float[rows * in];
        float[] dw = new float[out * in];
        float[] db = new float[out];
        Parallelism single = Parallelism.single();
        long tid = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        // Bounded by time as well as by rounds: under machine load the compiler threads get
        // little CPU, and 400 rounds once ended before the kernels were compiled. A kernel that
        // allocates on every call still fails: no round of 100 calls can then be free of it.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        for (int round = 0; allocated > 0 && (round < 400 || System.nanoTime() < deadline); round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) {
                Dense.affineTransposed(x, rows, in, wt, b, out, y, single);
                Dense.affine(x, rows, in, w, b, out, y, single);
                Dense.affineInputGrad(y, rows, out, w, in, dx, single);
                Dense.affineWeightGrad(y, x, rows, in, out, dw, db, single);
                Dense.relu(y, rows * out);
                Dense.reluGrad(dx, dx, rows * in);
                // Below the work threshold the default overloads stay on this thread too.
                Dense.affineTransposed(x, rows, in, wt, b, out, y);
                Dense.affineWeightGrad(y, x, rows, in, out, dw, db);
            }
            allocated = mx.getThreadAllocatedBytes(tid) - before;
        }
        assertThat(allocated).isZero();
    }

    /**
     * Asserts that {@code lists}/{@code counts} hold, for each group of four rows of {@code a}
     * ({@code n} columns), the columns {@link Dense#nonzeroColumns4} lists for them.
     */
    private static void assertGroupLists(float[] a, int rows, int n, int[] lists, int[] counts, String what) {
        int last = rows - 1;
        for (int g = 0; g < (rows + 3) / 4; g++) {
            int[] one = new int[n];
            int c = Dense.nonzeroColumns4(a, 4 * g * n, Math.min(4 * g + 1, last) * n,
                    Math.min(4 * g + 2, last) * n, Math.min(4 * g + 3, last) * n, n, one, 0);
            assertThat(java.util.Arrays.copyOfRange(lists, g * n, g * n + counts[g]))
                    .as("%s group %d", what, g)
                    .containsExactly(java.util.Arrays.copyOf(one, c));
        }
    }

    private static List<Parallelism> parallelisms() {
        // minWorkPerThread = 1 forces a split even for tiny calls.
        return List.of(Parallelism.single(), new Parallelism(2, 1), new Parallelism(3, 1), new Parallelism(8, 1),
                Parallelism.defaults());
    }

    /** Error bound of a k-term fused multiply-add chain: a few k units of roundoff times the absolute sum. */
    private static double bound(int k, double absSum) {
        return 2.0 * (k + 1) * U * absSum + 1e-30;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
