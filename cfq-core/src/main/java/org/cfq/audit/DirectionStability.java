package org.cfq.audit;

import org.cfq.data.encode.ModelSpaceLayout;

/**
 * Whether teacher and student recourse move an instance the same way.
 *
 * @param cosine        mean cosine between {@code x'_T - x} and {@code x'_S - x}
 * @param actionOverlap mean Jaccard index of the changed-feature sets (a categorical group
 *                      counts as one feature; a feature changed when some column moved by
 *                      more than {@link #CHANGE_TOLERANCE})
 * @param compared      factuals where both recourses succeeded and both moved
 */
public record DirectionStability(double cosine, double actionOverlap, int compared) {

    /** A model-space move at or below this is "unchanged". */
    public static final double CHANGE_TOLERANCE = 1e-4;

    /**
     * @param x       factuals, (rows x width)
     * @param teacher teacher counterfactuals, (rows x width); rows where not found are ignored
     * @param student student counterfactuals, (rows x width); rows where not found are ignored
     * @param both    per row, whether both recourses succeeded
     */
    public static DirectionStability of(ModelSpaceLayout layout, float[] x, float[] teacher, float[] student,
                                        boolean[] both) {
        int w = layout.width();
        int rows = both.length;
        if (x.length < rows * w || teacher.length < rows * w || student.length < rows * w) {
            throw new IllegalArgumentException("each matrix needs rows*width = " + rows * w + " values");
        }
        double cosSum = 0;
        double jacSum = 0;
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (!both[r]) {
                continue;
            }
            int o = r * w;
            double dot = 0;
            double nt = 0;
            double ns = 0;
            for (int c = 0; c < w; c++) {
                double dt = teacher[o + c] - x[o + c];
                double ds = student[o + c] - x[o + c];
                dot += dt * ds;
                nt += dt * dt;
                ns += ds * ds;
            }
            if (nt == 0 || ns == 0) {
                continue;
            }
            int inter = 0;
            int union = 0;
            for (ModelSpaceLayout.Slot s : layout.slots()) {
                boolean ct = moved(x, teacher, o, s);
                boolean cs = moved(x, student, o, s);
                if (ct && cs) {
                    inter++;
                }
                if (ct || cs) {
                    union++;
                }
            }
            cosSum += dot / Math.sqrt(nt * ns);
            jacSum += union == 0 ? 1 : (double) inter / union;
            n++;
        }
        return n == 0 ? new DirectionStability(Double.NaN, Double.NaN, 0)
                : new DirectionStability(cosSum / n, jacSum / n, n);
    }

    private static boolean moved(float[] x, float[] cf, int offset, ModelSpaceLayout.Slot s) {
        for (int c = s.start(); c < s.end(); c++) {
            if (Math.abs(cf[offset + c] - x[offset + c]) > CHANGE_TOLERANCE) {
                return true;
            }
        }
        return false;
    }
}
