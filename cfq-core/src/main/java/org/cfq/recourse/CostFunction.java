package org.cfq.recourse;

import java.util.Objects;
import org.cfq.math.Dense;

/**
 * The cost of moving a factual row x to x' (both model space) under one {@link CostKind}.
 * A categorical group that changes level counts once. Immutable and thread-safe.
 */
public final class CostFunction {
    /** The L1 share of {@link CostKind#MIXED} (the L2 share is the rest). */
    public static final double MIXED_L1 = 0.5;

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
                    if (xp[po + j] != x[xo + j]) { // an equal column adds +0.0: skipping it keeps the bits
                        double d = (double) xp[po + j] - x[xo + j];
                        s += weight[j] * d * d;
                    }
                }
                return Math.sqrt(s);
            }
            case MIXED: {
                double s1 = 0;
                double s2 = 0;
                for (int j = 0; j < w; j++) {
                    if (xp[po + j] != x[xo + j]) {
                        double d = (double) xp[po + j] - x[xo + j];
                        s1 += weight[j] * Math.abs(d);
                        s2 += weight[j] * d * d;
                    }
                }
                return MIXED_L1 * s1 + (1 - MIXED_L1) * Math.sqrt(s2);
            }
            default:
                // A projected point differs from its factual in a few columns; an equal column adds
                // +0.0 to a sum of nonnegative terms, so skipping it leaves the same bits and cuts
                // the latency-bound chain of double adds to the changed columns (found a vector at
                // a time where the JDK allows).
                return Dense.weightedL1Changed(weight, x, xo, xp, po, w);
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
