package org.cfq.quant.integer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.cfq.quant.UniformQuantizer;
import org.junit.jupiter.api.Test;

/**
 * The integer engine's kernels against plain scalar integer references, exactly, on random
 * shapes: widths below, at and above one vector, with and without a partial last vector, mostly
 * zero codes and saturated ones.
 */
class IntegerKernelsTest {

    /** Codes in [0, maxCode], about {@code zeros} of them 0, as whole-number floats. */
    private static float[] codes(SplittableRandom rng, int n, int maxCode, double zeros) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() < zeros ? 0f : rng.nextInt(maxCode + 1);
        }
        return a;
    }

    private static int[] weights(SplittableRandom rng, int n, int lo, int hi) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = lo + rng.nextInt(hi - lo + 1);
        }
        return w;
    }

    /** The scalar reference: {@code acc[r, o] = sum_i a[r, i] * w[o, i]} in long. */
    private static long[] reference(float[] a, int rows, int in, int[] w, int out) {
        long[] acc = new long[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                long s = 0;
                for (int i = 0; i < in; i++) {
                    s += (long) a[r * in + i] * w[o * in + i];
                }
                acc[r * out + o] = s;
            }
        }
        return acc;
    }

    private static int[] transpose(int[] w, int out, int in) {
        int[] t = new int[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return t;
    }

    @Test
    void accumulateShort_randomShapes_equalTheScalarIntegerSums() {
        assumeTrue(IntegerKernels.shortLanes(), "the int16 kernel needs the vector module with 16-bit lanes");
        int block = IntegerKernels.shortBlock();
        SplittableRandom rng = new SplittableRandom(16);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + rng.nextInt(13);
            int in = 1 + rng.nextInt(140);
            int out = 1 + rng.nextInt(3 * block + 7);
            // 4-bit weights [-8, 7] and 4-bit codes [0, 15]: |acc| <= 140 * 8 * 15 < 2^15. Densities
            // from 0 to 1 take both tiles (eight rows down every input from a quarter nonzero, else lists).
            float[] a = codes(rng, rows * in, 15, rng.nextDouble());
            int[] w = weights(rng, out * in, -8, 7);
            int outPad = (out + block - 1) / block * block;
            short[] ws = IntegerKernels.shortWeights(w, out, in, block);
            float[] acc = new float[rows * outPad];
            java.util.Arrays.fill(acc, Float.NaN);
            IntegerKernels.accumulateShort(a, rows, in, ws, outPad, acc, new int[in], new int[rows * in],
                    new short[(rows + 7) / 8 * 8 * outPad]);
            long[] want = reference(a, rows, in, w, out);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outPad; o++) {
                    float got = acc[r * outPad + o];
                    assertThat(got).as("trial %d (%d x %d -> %d) row %d out %d", trial, rows, in, out, r, o)
                            .isEqualTo(o < out ? (float) want[r * out + o] : 0f);
                }
            }
        }
    }

    @Test
    void accumulateShort_worstCaseJustBelow2To15_staysExact() {
        assumeTrue(IntegerKernels.shortLanes(), "the int16 kernel needs the vector module with 16-bit lanes");
        int block = IntegerKernels.shortBlock();
        // 273 * 8 * 15 = 32,760 <= 32,767: every partial sum of the negative weights fits a short.
        int in = 273;
        int out = block;
        float[] a = new float[in];
        java.util.Arrays.fill(a, 15f);
        int[] w = new int[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                w[o * in + i] = o % 2 == 0 ? -8 : 7;
            }
        }
        float[] acc = new float[out];
        IntegerKernels.accumulateShort(a, 1, in, IntegerKernels.shortWeights(w, out, in, block), out, acc, new int[in],
                new int[in], new short[8 * out]);
        for (int o = 0; o < out; o++) {
            assertThat(acc[o]).isEqualTo(o % 2 == 0 ? -32_760f : 28_665f);
        }
    }

    @Test
    void shortWeights_interleaveEachBlockSoIntHalvesAreConsecutiveOutputs() {
        // block 4 (half 2): out 5, in 1, w[o] = o + 1 -> block 0 lanes (o0, o2, o1, o3), block 1 (o4, 0, 0, 0)
        short[] s = IntegerKernels.shortWeights(new int[] {1, 2, 3, 4, 5}, 5, 1, 4);
        assertThat(s).containsExactly((short) 1, (short) 3, (short) 2, (short) 4, (short) 5, (short) 0, (short) 0,
                (short) 0);
    }

    @Test
    void accumulateExactFloat_eightBitShapes_equalTheScalarIntegerSums() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + rng.nextInt(11);
            int in = 1 + rng.nextInt(200);
            int out = 1 + rng.nextInt(90);
            // 8-bit: |acc| <= 200 * 128 * 255 < 2^24, so every fma is exact.
            float[] a = codes(rng, rows * in, 255, rng.nextDouble());
            int[] w = weights(rng, out * in, -128, 127);
            int[] wt = transpose(w, out, in);
            float[] wtF = new float[wt.length];
            for (int i = 0; i < wt.length; i++) {
                wtF[i] = wt[i];
            }
            float[] acc = new float[rows * out];
            IntegerKernels.accumulateExactFloat(a, rows, in, wtF, out, acc, new int[in]);
            long[] want = reference(a, rows, in, w, out);
            for (int i = 0; i < acc.length; i++) {
                assertThat(acc[i]).as("trial %d element %d", trial, i).isEqualTo((float) want[i]);
            }
            // The int32 kernel on the same codes, and its row sums.
            int[] iacc = new int[rows * out];
            float[] sumA = new float[rows];
            IntegerKernels.accumulate(a, rows, in, wt, out, iacc, sumA, new int[in], new int[in]);
            for (int i = 0; i < iacc.length; i++) {
                assertThat((long) iacc[i]).isEqualTo(want[i]);
            }
            float[] sums = new float[rows];
            IntegerKernels.absRowSums(a, rows, in, sums, false);
            // Both forms (codes <= 255 and in <= 200: every sum far below 2^22).
            float[] intSums = new float[rows];
            IntegerKernels.absRowSums(a, rows, in, intSums, true);
            assertThat(intSums).containsExactly(sums);
            for (int r = 0; r < rows; r++) {
                long s = 0;
                for (int i = 0; i < in; i++) {
                    s += (long) Math.abs(a[r * in + i]);
                }
                assertThat(sums[r]).isEqualTo((float) s);
                assertThat(sumA[r]).isEqualTo((float) s);
            }
        }
    }

    @Test
    void logits2_randomWidths_equalTheScalarIntegerSums() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + rng.nextInt(9);
            int in = 1 + rng.nextInt(150);
            float[] a = codes(rng, rows * in, 255, rng.nextDouble());
            int[] w = weights(rng, 2 * in, -128, 127);
            float[] w0 = new float[in];
            float[] w1 = new float[in];
            for (int i = 0; i < in; i++) {
                w0[i] = w[i];
                w1[i] = w[in + i];
            }
            if (trial == 0) {
                // The extreme of the int-lane form: every |code| 255 and every |weight| 128 at
                // in = 128, so |acc| = 128 * 255 * 128 = 4,177,920, just under 2^22.
                rows = 3;
                in = 128;
                a = new float[rows * in];
                java.util.Arrays.fill(a, 255f);
                java.util.Arrays.fill(a, in, 2 * in, -255f);
                w = new int[2 * in];
                java.util.Arrays.fill(w, -128);
                java.util.Arrays.fill(w, in, 2 * in, 127);
                w0 = new float[in];
                w1 = new float[in];
                for (int i = 0; i < in; i++) {
                    w0[i] = w[i];
                    w1[i] = w[in + i];
                }
            }
            long[] want = reference(a, rows, in, w, 2);
            // The int-lane reduction only where its bound holds (|code| <= 255, |weight| <= 128).
            boolean[] forms = in * 255L * 128 <= (1L << 22) ? new boolean[] {false, true} : new boolean[] {false};
            for (boolean small : forms) {
                float[] acc = new float[rows * 2];
                float[] sumA = new float[rows];
                IntegerKernels.logits2(a, rows, in, w0, w1, acc, sumA, small);
                // The form that is handed the row sums computes the same logits and leaves them alone.
                float[] acc2 = new float[rows * 2];
                float[] given = sumA.clone();
                IntegerKernels.logits2(a, rows, in, w0, w1, acc2, given, small, true);
                assertThat(acc2).containsExactly(acc);
                assertThat(given).containsExactly(sumA);
                for (int r = 0; r < rows; r++) {
                    assertThat(acc[2 * r]).as("trial %d row %d small %s", trial, r, small)
                            .isEqualTo((float) want[2 * r]);
                    assertThat(acc[2 * r + 1]).isEqualTo((float) want[2 * r + 1]);
                    long s = 0;
                    for (int i = 0; i < in; i++) {
                        s += (long) Math.abs(a[r * in + i]);
                    }
                    assertThat(sumA[r]).isEqualTo((float) s);
                }
            }
        }
    }

    @Test
    void requantize_floatSums_sameCodesAndFlagsAsTheScalarElement() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + rng.nextInt(7);
            int out = 1 + rng.nextInt(70);
            int stride = out + rng.nextInt(20);
            int z = rng.nextInt(3);
            int qmax = rng.nextBoolean() ? 15 : 255;
            IntegerLayer.Requant q = randomRequant(rng, out, z, qmax);
            float[] acc = new float[rows * stride];
            float[] sumA = new float[rows];
            for (int r = 0; r < rows; r++) {
                sumA[r] = rng.nextInt(5000);
                for (int o = 0; o < out; o++) {
                    // Some exactly on a rounding boundary (est = k + 1/2 needs acc * mult + offset = k + 1/2).
                    acc[r * stride + o] = rng.nextInt(10) == 0 ? 0f : rng.nextInt(200_000) - 50_000;
                }
            }
            float[] codes = new float[rows * out];
            int[] flagged = new int[rows * out];
            int k = IntegerKernels.requantize(acc, stride, sumA, rows, out, q, codes, flagged);
            float[] want = new float[rows * out];
            boolean[] wantFlag = new boolean[rows * out];
            int wantCount = 0;
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    int i = r * out + o;
                    wantFlag[i] = IntegerKernels.requantizeOne((int) acc[r * stride + o], sumA[r], o, q, want, i);
                    wantCount += wantFlag[i] ? 1 : 0;
                }
            }
            assertThat(codes).as("trial %d", trial).containsExactly(want);
            assertThat(k).isEqualTo(wantCount);
            for (int f = 0; f < k; f++) {
                assertThat(wantFlag[flagged[f]]).isTrue();
            }
        }
    }

    @Test
    void requantize_handsOnTheRowSumsOfItsCodes() {
        assumeTrue(IntegerKernels.fusedSums(64));
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 100; trial++) {
            int rows = 1 + rng.nextInt(7);
            int lanes = IntegerKernels.lanes();
            int out = lanes * (1 + rng.nextInt(5));
            int z = rng.nextInt(3);
            int qmax = rng.nextBoolean() ? 15 : 255;
            IntegerLayer.Requant q = randomRequant(rng, out, z, qmax);
            float[] acc = new float[rows * out];
            float[] sumA = new float[rows];
            for (int r = 0; r < rows; r++) {
                sumA[r] = rng.nextInt(5000);
                for (int o = 0; o < out; o++) {
                    acc[r * out + o] = rng.nextInt(10) == 0 ? 0f : rng.nextInt(200_000) - 50_000;
                }
            }
            float[] codes = new float[rows * out];
            float[] plain = new float[rows * out];
            int[] flagged = new int[rows * out];
            float[] sums = new float[rows];
            boolean small = (long) out * qmax <= (1L << 22);
            int k = IntegerKernels.requantize(acc, out, sumA, rows, out, q, codes, flagged, sums, small);
            int k2 = IntegerKernels.requantize(acc, out, sumA, rows, out, q, plain, new int[rows * out]);
            assertThat(codes).containsExactly(plain);
            assertThat(k).isEqualTo(k2);
            for (int r = 0; r < rows; r++) {
                long s = 0;
                for (int o = 0; o < out; o++) {
                    assertThat(codes[r * out + o]).isBetween(0f, (float) (qmax - z));
                    s += (long) codes[r * out + o];
                }
                assertThat(sums[r]).as("trial %d row %d", trial, r).isEqualTo((float) s);
            }
        }
    }

    @Test
    void requantizeOne_flagsOnlyBoundariesBetweenTwoCodes() {
        // est = acc * mult + offset with mult 1: the value itself. Slack 0.01.
        IntegerLayer.Requant q = new IntegerLayer.Requant(new float[] {1f}, new float[] {0f}, new float[] {0f},
                new float[] {0.01f}, 1f, 0, 0, 15);
        float[] c = new float[1];
        // Near -1/2 and -3/2: ReLU makes both sides 0; near 15.5 and 16.5 both sides clamp to 15.
        for (float v : new float[] {-0.5f, -1.5f, -0.495f, 15.5f, 16.5f, 15.505f, -20f, 40f}) {
            assertThat(IntegerKernels.requantizeOne(v, 0f, 0, q, c, 0)).as("est %s", v).isFalse();
        }
        assertThat(c[0]).isEqualTo(15f);
        // Boundaries between two different codes flag: 1/2 (0 | 1), 7.5, 14.5 (14 | 15).
        for (float v : new float[] {0.5f, 0.495f, 7.5f, 7.505f, 14.5f, 14.495f}) {
            assertThat(IntegerKernels.requantizeOne(v, 0f, 0, q, c, 0)).as("est %s", v).isTrue();
        }
        // Far from every boundary: the rounded, clamped code.
        assertThat(IntegerKernels.requantizeOne(7.2f, 0f, 0, q, c, 0)).isFalse();
        assertThat(c[0]).isEqualTo(7f);
        assertThat(IntegerKernels.requantizeOne(-3.2f, 0f, 0, q, c, 0)).isFalse();
        assertThat(c[0]).isEqualTo(0f);
    }

    @Test
    void quantizeReluRows_sameCodesAsQuantizeRelu_andExactRowSums() {
        assumeTrue(IntegerKernels.fusedSums(64));
        SplittableRandom rng = new SplittableRandom(6);
        int lanes = IntegerKernels.lanes();
        for (int trial = 0; trial < 50; trial++) {
            int rows = 1 + rng.nextInt(9);
            int out = lanes * (1 + rng.nextInt(9));
            float[] pre = new float[rows * out];
            for (int i = 0; i < pre.length; i++) {
                int kind = rng.nextInt(6);
                pre[i] = switch (kind) {
                    case 0 -> -(float) rng.nextDouble();
                    case 1 -> (rng.nextInt(40) + 0.5f) * 0.25f; // ties at scale 0.25
                    case 2 -> (float) (rng.nextDouble() * 1e9);
                    case 3 -> Float.NaN;
                    default -> (float) (rng.nextDouble() * 70);
                };
            }
            int qmax = rng.nextBoolean() ? 15 : 255;
            int z = rng.nextInt(3);
            float inv = 1f / 0.25f;
            float[] want = new float[rows * out];
            IntegerKernels.quantizeRelu(pre, rows * out, inv, z, 0, qmax, want);
            float[] got = new float[rows * out];
            float[] sums = new float[rows];
            IntegerKernels.quantizeReluRows(pre, rows, out, inv, z, 0, qmax, got, sums);
            assertThat(got).containsExactly(want);
            for (int r = 0; r < rows; r++) {
                long s = 0;
                for (int o = 0; o < out; o++) {
                    s += Math.abs((long) want[r * out + o]);
                }
                assertThat(sums[r]).isEqualTo((float) s);
            }
        }
    }

    @Test
    void quantizeRelu_equalsTheFakeQuantizerFormulaOnEveryValue() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 1000;
        float[] pre = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rng.nextInt(5);
            pre[i] = switch (kind) {
                case 0 -> -(float) rng.nextDouble();
                case 1 -> (rng.nextInt(40) + 0.5f) * 0.25f; // ties at scale 0.25
                case 2 -> (float) (rng.nextDouble() * 1e9);
                default -> (float) (rng.nextDouble() * 70);
            };
        }
        for (int z : new int[] {0, 2}) {
            float inv = 1f / 0.25f;
            float[] got = new float[n];
            IntegerKernels.quantizeRelu(pre, n, inv, z, 0, 255, got);
            for (int i = 0; i < n; i++) {
                float v = pre[i] > 0f ? pre[i] : 0f;
                assertThat(got[i]).as("pre %s", pre[i]).isEqualTo((float) (UniformQuantizer.code(v, inv, z, 0, 255) - z));
            }
        }
    }

    /** Requantization parameters of {@code out} outputs drawn from {@code rng}: multipliers, offsets, slack terms. */
    private static IntegerLayer.Requant randomRequant(SplittableRandom rng, int out, int z, int qmax) {
        float[] mult = new float[out];
        float[] offset = new float[out];
        float[] slope = new float[out];
        float[] base = new float[out];
        for (int o = 0; o < out; o++) {
            mult[o] = (float) (rng.nextDouble() * 0.01);
            offset[o] = (float) (rng.nextGaussian() * 3);
            slope[o] = (float) (rng.nextDouble() * 1e-6);
            base[o] = (float) (rng.nextDouble() * 1e-5);
        }
        return new IntegerLayer.Requant(mult, offset, slope, base, 1f, z, 0, qmax);
    }
}
