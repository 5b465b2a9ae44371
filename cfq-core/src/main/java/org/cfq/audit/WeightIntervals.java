package org.cfq.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cfq.model.Classifier;
import org.cfq.model.DenseLayer;
import org.cfq.model.DeployedClassifier;
import org.cfq.model.Mlp;
import org.cfq.quant.QuantizedLayer;
import org.cfq.quant.QuantizedMlp;
import org.cfq.quant.UniformQuantizer;

/**
 * The per-layer intervals around a teacher that contain a given student: the weight radius
 * {@code delta_l = max |W_l - W^S_l|} (for a quantized student, its dequantized weights, so
 * this is the real quantization error, clipping included), the bias radius
 * {@code max |b_l - b^S_l|}, and the student's hidden-activation quantizers as
 * {@link MonotoneMap}s. These are exactly the inputs of {@link MarginCertificate}.
 *
 * <p>Soundness: the radii are rounded up to the next double, so every student weight lies
 * inside its interval even though the difference of two floats is rounded. An activation
 * quantizer is applied as {@code v -> fq((float) v)}: casting to float and PyTorch's fake
 * quantization are both non-decreasing, and on a float argument the map returns exactly
 * what the student computes.
 *
 * @param weightRadius         per layer, &gt;= 0
 * @param biasRadius           per layer, &gt;= 0
 * @param activationMaps       per hidden layer, applied after its ReLU ({@link MonotoneMap#IDENTITY} for float)
 * @param activationsQuantized whether some hidden activation is quantized
 */
public record WeightIntervals(List<Double> weightRadius, List<Double> biasRadius, List<MonotoneMap> activationMaps,
                              boolean activationsQuantized) {
    public WeightIntervals {
        weightRadius = List.copyOf(weightRadius);
        biasRadius = List.copyOf(biasRadius);
        activationMaps = List.copyOf(activationMaps);
        if (weightRadius.size() != biasRadius.size() || activationMaps.size() != weightRadius.size() - 1) {
            throw new IllegalArgumentException("need one weight and bias radius per layer and one map per hidden "
                    + "layer, got " + weightRadius.size() + ", " + biasRadius.size() + ", " + activationMaps.size());
        }
    }

    /**
     * The intervals around {@code teacher} that contain {@code student}, when the student's
     * weights can be read: a {@link QuantizedMlp} or a float {@link Mlp} of the same shape, or a
     * {@link DeployedClassifier} whose runtime provably makes such a twin's decisions or
     * evaluates the twin's weights in float32 (the certificate allows float32 rounding of every
     * dot product in any summation order, so it covers both).
     *
     * @return empty for any other kind of classifier (no sound certificate is possible)
     * @throws IllegalArgumentException when the student's layer shapes differ from the teacher's
     */
    public static Optional<WeightIntervals> between(Mlp teacher, Classifier student) {
        if (student instanceof DeployedClassifier d && d.boundsTransfer()) {
            // The runtime computes the twin's network (exactly, or in float32 in another order):
            // the twin's intervals certify it.
            student = d.twin();
        }
        List<DenseLayer> t = teacher.layers();
        int n = t.size();
        double[] wr = new double[n];
        double[] br = new double[n];
        List<MonotoneMap> maps = new ArrayList<>();
        boolean quantized = false;
        if (student instanceof QuantizedMlp q) {
            checkLayers(n, q.layerCount());
            for (int l = 0; l < n; l++) {
                QuantizedLayer s = q.layers().get(l);
                checkShape(l, t.get(l), s.in(), s.out());
                wr[l] = maxAbsDiff(t.get(l).weight(), s.dequantizedWeight());
                br[l] = maxAbsDiff(t.get(l).bias(), s.bias());
                if (l < n - 1) {
                    UniformQuantizer aq = s.activationQuantizer();
                    maps.add(aq == null ? MonotoneMap.IDENTITY : activationMap(aq));
                    quantized |= aq != null;
                }
            }
        } else if (student instanceof Mlp m) {
            checkLayers(n, m.layers().size());
            for (int l = 0; l < n; l++) {
                DenseLayer s = m.layers().get(l);
                checkShape(l, t.get(l), s.in(), s.out());
                wr[l] = maxAbsDiff(t.get(l).weight(), s.weight());
                br[l] = maxAbsDiff(t.get(l).bias(), s.bias());
                if (l < n - 1) {
                    maps.add(MonotoneMap.IDENTITY);
                }
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(new WeightIntervals(box(wr), box(br), maps, quantized));
    }

    /**
     * The activation fake-quantizer as a monotone map, bit-exact with
     * {@link QuantizedMlp}'s forward pass on float arguments.
     *
     * @throws IllegalArgumentException for a per-channel activation quantizer
     */
    public static MonotoneMap activationMap(UniformQuantizer aq) {
        if (aq.params().channels() != 1) {
            throw new IllegalArgumentException("activation quantizers are per tensor, got "
                    + aq.params().channels() + " channels");
        }
        float s = aq.params().scale(0);
        int z = aq.params().zeroPoint(0);
        int qmin = aq.spec().qmin();
        int qmax = aq.spec().qmax();
        return v -> UniformQuantizer.fakeQuantize((float) v, s, z, qmin, qmax);
    }

    /** {@return the weight radii as an array} */
    public double[] weightRadii() {
        return weightRadius.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@return the bias radii as an array} */
    public double[] biasRadii() {
        return biasRadius.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Lower bounds of every network's favorable margin inside these intervals, (rows). */
    public double[] marginLowerBounds(Mlp teacher, float[] x, int rows) {
        return MarginCertificate.marginLowerBounds(teacher, weightRadii(), biasRadii(), activationMaps, x, rows);
    }

    private static List<Double> box(double[] a) {
        return Arrays.stream(a).boxed().toList();
    }

    /** max |a - b|, rounded up so that it bounds the exact difference of the two floats. */
    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m == 0 ? 0 : Math.nextUp(m);
    }

    private static void checkLayers(int teacher, int student) {
        if (teacher != student) {
            throw new IllegalArgumentException("the student has " + student + " layers, the teacher " + teacher);
        }
    }

    private static void checkShape(int l, DenseLayer t, int in, int out) {
        if (t.in() != in || t.out() != out) {
            throw new IllegalArgumentException("layer " + l + " is " + out + " x " + in + " in the student but "
                    + t.out() + " x " + t.in() + " in the teacher");
        }
    }
}
