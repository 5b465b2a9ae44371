package org.cfq.bounds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cfq.data.encode.Encoder;

/**
 * Dense samples of an applicant's neighbourhood, to check certificates empirically on the real
 * runtimes: every corner of the model-space box, the grid of whole steps in original units
 * around each changed numeric feature (their product, when it has at most {@link #MAX_GRID}
 * points), and uniform random points of the box.
 */
public final class NeighbourhoodSampler {
    /** The largest corner set or step grid enumerated in full. */
    public static final int MAX_GRID = 729;

    private NeighbourhoodSampler() {
    }

    /**
     * Sample rows of the neighbourhood of one counterfactual, (n x width) row-major.
     *
     * @param random uniform random points to add
     */
    public static float[] sample(Neighbourhood nb, float[] factual, int fo, float[] cf, int co, int random,
                                 SplittableRandom rng) {
        Encoder enc = nb.encoder();
        int w = enc.width();
        float[] lo = new float[w];
        float[] hi = new float[w];
        nb.box(factual, fo, cf, co, lo, hi, 0);
        List<Integer> cols = new ArrayList<>();
        List<Integer> feats = new ArrayList<>();
        for (int f = 0; f < enc.schema().size(); f++) {
            int c = enc.layout().slot(f).start();
            if (lo[c] < hi[c]) {
                cols.add(c);
                feats.add(f);
            }
        }
        List<float[]> pts = new ArrayList<>();
        float[] centre = new float[w];
        System.arraycopy(cf, co, centre, 0, w);
        pts.add(centre);
        int k = cols.size();
        if (k > 0 && (1L << k) <= MAX_GRID) {
            for (int mask = 0; mask < (1 << k); mask++) {
                float[] p = centre.clone();
                for (int j = 0; j < k; j++) {
                    p[cols.get(j)] = ((mask >> j) & 1) == 0 ? lo[cols.get(j)] : hi[cols.get(j)];
                }
                pts.add(p);
            }
        }
        // the whole-step grid in original units, inside the box
        List<float[]> values = new ArrayList<>();
        long size = 1;
        for (int j = 0; j < k; j++) {
            int f = feats.get(j);
            double v = enc.decodeValue(f, cf[co + cols.get(j)]);
            double t = nb.tolerance(f);
            List<Float> vs = new ArrayList<>();
            for (int s = -(int) Math.floor(t); s <= (int) Math.floor(t); s++) {
                float z = enc.encodeValue(f, v + s);
                if (z >= lo[cols.get(j)] && z <= hi[cols.get(j)]) {
                    vs.add(z);
                }
            }
            float[] a = new float[vs.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = vs.get(i);
            }
            values.add(a);
            size *= Math.max(1, a.length);
        }
        if (k > 0 && size <= MAX_GRID) {
            int[] idx = new int[k];
            for (long n = 0; n < size; n++) {
                float[] p = centre.clone();
                long rest = n;
                for (int j = 0; j < k; j++) {
                    float[] a = values.get(j);
                    if (a.length > 0) {
                        idx[j] = (int) (rest % a.length);
                        rest /= a.length;
                        p[cols.get(j)] = a[idx[j]];
                    }
                }
                pts.add(p);
            }
        }
        for (int r = 0; r < random && k > 0; r++) {
            float[] p = centre.clone();
            for (int c : cols) {
                p[c] = (float) (lo[c] + rng.nextDouble() * ((double) hi[c] - lo[c]));
                p[c] = Math.max(lo[c], Math.min(hi[c], p[c]));
            }
            pts.add(p);
        }
        float[] out = new float[pts.size() * w];
        for (int i = 0; i < pts.size(); i++) {
            System.arraycopy(pts.get(i), 0, out, i * w, w);
        }
        return out;
    }

    /**
     * Samples the neighbourhood of every certified row and scores the samples on every model's
     * runtime.
     *
     * @param certified which rows to check
     * @param required  a sample is invalid when a runtime's margin is not above this
     * @return the number of invalid (sample, model) pairs and the number of pairs checked
     */
    public static long[] countInvalid(DeploymentSet set, Neighbourhood nb, float[] factuals, float[] cfs,
                                      boolean[] certified, double required, int random, long seed) {
        int w = set.inputDim();
        SplittableRandom rng = new SplittableRandom(seed);
        long[] counts = new long[2];
        List<float[]> batch = new ArrayList<>();
        int total = 0;
        for (int r = 0; r < certified.length; r++) {
            if (!certified[r]) {
                continue;
            }
            float[] s = sample(nb, factuals, r * w, cfs, r * w, random, rng.split());
            batch.add(s);
            total += s.length / w;
            if (total >= FLUSH_ROWS) {
                score(set, batch, total, w, required, counts);
                batch.clear();
                total = 0;
            }
        }
        score(set, batch, total, w, required, counts);
        return counts;
    }

    private static final int FLUSH_ROWS = 1 << 16;

    private static void score(DeploymentSet set, List<float[]> batch, int total, int w, double required,
                              long[] counts) {
        if (total == 0) {
            return;
        }
        float[] all = new float[total * w];
        int o = 0;
        for (float[] s : batch) {
            System.arraycopy(s, 0, all, o, s.length);
            o += s.length;
        }
        for (DeployedModel m : set.models()) {
            float[] margins = m.scorer().margins(all, total);
            for (float v : margins) {
                counts[1]++;
                if (!(v > required)) {
                    counts[0]++;
                }
            }
        }

    }
}
