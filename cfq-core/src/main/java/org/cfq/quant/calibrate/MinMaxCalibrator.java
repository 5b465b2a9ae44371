package org.cfq.quant.calibrate;

import org.cfq.quant.QuantParams;
import org.cfq.quant.QuantSpec;

/** Covers the observed range exactly: nothing is clipped, the step is as coarse as the extreme value needs. */
public record MinMaxCalibrator() implements Calibrator {
    @Override
    public QuantParams calibrate(float[] values, int channels, QuantSpec spec) {
        int g = Calibrator.groupSize(values, channels);
        float[] s = new float[channels];
        int[] z = new int[channels];
        for (int c = 0; c < channels; c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = c * g; i < (c + 1) * g; i++) {
                lo = Math.min(lo, values[i]);
                hi = Math.max(hi, values[i]);
            }
            s[c] = Calibrator.scaleFromRange(lo, hi, spec);
            z[c] = Calibrator.zeroPointFromRange(lo, hi, spec);
        }
        return QuantParams.of(s, z);
    }

    @Override
    public String name() {
        return "minmax";
    }
}
