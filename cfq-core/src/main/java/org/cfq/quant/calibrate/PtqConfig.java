package org.cfq.quant.calibrate;

import java.util.Objects;
import org.cfq.quant.Granularity;
import org.cfq.quant.QuantSpec;

/**
 * How post-training quantization chooses its parameters.
 *
 * @param weightCalibrator     chooses the weight scales
 * @param activationCalibrator chooses the hidden-activation scales
 * @param granularity          per-tensor or per-output-channel weight scales
 * @param narrowRange          signed narrow range for weights ([-(2^(b-1)-1), 2^(b-1)-1])
 * @param activationBits       bits of the hidden ReLU outputs (unsigned), 0 to keep them in float
 * @param calibrationRows      training rows sampled (seeded) to calibrate activations, &gt; 0
 */
public record PtqConfig(Calibrator weightCalibrator, Calibrator activationCalibrator, Granularity granularity,
                        boolean narrowRange, int activationBits, int calibrationRows) {
    public PtqConfig {
        Objects.requireNonNull(weightCalibrator, "weightCalibrator");
        Objects.requireNonNull(activationCalibrator, "activationCalibrator");
        Objects.requireNonNull(granularity, "granularity");
        if (activationBits != 0) {
            QuantSpec.checkBits(activationBits);
        }
        if (calibrationRows <= 0) {
            throw new IllegalArgumentException("calibrationRows must be > 0, got " + calibrationRows);
        }
    }

    /** MSE weight search, 99.99th-percentile activations (when quantized), per tensor, full range, float activations, 2048 rows. */
    public static PtqConfig defaults() {
        return new PtqConfig(MseCalibrator.defaults(), PercentileCalibrator.defaults(), Granularity.TENSOR,
                false, 0, 2048);
    }

    public PtqConfig withActivationBits(int bits) {
        return new PtqConfig(weightCalibrator, activationCalibrator, granularity, narrowRange, bits, calibrationRows);
    }

    public PtqConfig withGranularity(Granularity g) {
        return new PtqConfig(weightCalibrator, activationCalibrator, g, narrowRange, activationBits, calibrationRows);
    }

    public PtqConfig withWeightCalibrator(Calibrator c) {
        return new PtqConfig(c, activationCalibrator, granularity, narrowRange, activationBits, calibrationRows);
    }

    /** {@return the weight spec at the given width} */
    public QuantSpec weightSpec(int bits) {
        return new QuantSpec(bits, true, narrowRange, granularity);
    }
}
