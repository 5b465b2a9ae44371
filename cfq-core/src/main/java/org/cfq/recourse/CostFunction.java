package org.cfq.recourse;

import java.util.Objects;

/**
 * The cost of moving a factual row x to x' (both model space) under one {@link CostKind}.
 * A categorical group that changes level counts once. Immutable and thread-safe.
 */
public final class CostFunction {
    private final ActionSpace space;
    private final CostKind kind;
    private final float[] weight;

    CostFunction(ActionSpace space, CostKind kind) {
        this.space = Objects.requireNonNull(space, "space");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.weight = space.columnWeights(kind);
    }

    public CostKind kind() {
        return kind;
    }

    /** {@return a copy of the per-column weights (the L1 gradient surrogate for every kind)} */
    public float[] weights() {
        return weight.clone();
    }

    /** Weight of one column (no copy). */
    public float weight(int column) {
        return weight[column];
    }

    /**
     * Cost of x' at {@code xp[po..]} relative to x at {@code x[xo..]}.
     */
    public double cost(float[] x, int xo, float[] xp, int po) {
        int w = space.width();
        switch (kind) {
            case L0:
                return changedFeatures(space, x, xo, xp, po);
            case L2: {
                double s = 0;
                for (int j = 0; j < w; j++) {
                    double d = (double) xp[po + j] - x[xo + j];
                    s += weight[j] * d * d;
                }
                return Math.sqrt(s);
            }
            default: {
                double s = 0;
                for (int j = 0; j < w; j++) {
                    s += weight[j] * Math.abs((double) xp[po + j] - x[xo + j]);
                }
                return s;
            }
        }
    }

    /**
     * Number of features whose columns differ (bit for bit) between x and x'; a categorical
     * group counts once. The projector snaps unchanged features back exactly, so this is the
     * number of real actions.
     */
    public static int changedFeatures(ActionSpace space, float[] x, int xo, float[] xp, int po) {
        int n = 0;
        for (int f = 0; f < space.features(); f++) {
            int s = space.start(f);
            int e = s + space.span(f);
            for (int j = s; j < e; j++) {
                if (xp[po + j] != x[xo + j]) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
