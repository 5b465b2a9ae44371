package org.cfq.quant.qat;

/**
 * Distillation toward a teacher's softened two-class outputs, with its gradient (the task
 * cross-entropy is {@link org.cfq.train.Losses}). Batched; callers pass the buffers.
 */
public final class TaskLoss {
    private TaskLoss() {
    }

    /**
     * Mean distillation loss {@code T^2 KL(softmax(t / T) || softmax(s / T))}.
     *
     * @param student student logits, (rows x 2)
     * @param teacher teacher logits, (rows x 2)
     * @param temperature &gt; 0
     * @param dLogits gradient w.r.t. the student logits, scaled by {@code weight}, accumulated
     *                into; null to skip
     * @return the mean loss
     */
    public static double distillation(float[] student, float[] teacher, int rows, float temperature,
                                      float[] dLogits, float weight) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double ms = ((double) student[2 * r + 1] - student[2 * r]) / temperature;
            double mt = ((double) teacher[2 * r + 1] - teacher[2 * r]) / temperature;
            double ps = 1 / (1 + Math.exp(-ms));
            double pt = 1 / (1 + Math.exp(-mt));
            double kl = 0;
            if (pt > 0) {
                kl += pt * (Math.log(pt) - Math.log(Math.max(ps, 1e-300)));
            }
            if (pt < 1) {
                kl += (1 - pt) * (Math.log(1 - pt) - Math.log(Math.max(1 - ps, 1e-300)));
            }
            total += (double) temperature * temperature * kl;
            if (dLogits != null) {
                // d/ds1 of T^2 KL = T (ps - pt); d/ds0 is its negative.
                float g = (float) (temperature * (ps - pt) * weight / rows);
                dLogits[2 * r] -= g;
                dLogits[2 * r + 1] += g;
            }
        }
        return total / rows;
    }
}
