package org.cfq.recourse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per-instance results of one generator call, in the order of the factual rows.
 *
 * @param width   model-space width of the rows
 * @param results one result per factual row
 */
public record RecourseBatch(int width, List<RecourseResult> results) {
    public RecourseBatch {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        results = List.copyOf(results);
        for (RecourseResult r : results) {
            if (r instanceof RecourseResult.Found f && f.width() != width) {
                throw new IllegalArgumentException("counterfactual width must be " + width + ", got " + f.width());
            }
        }
    }

    public int size() {
        return results.size();
    }

    public RecourseResult get(int i) {
        return results.get(i);
    }

    public int foundCount() {
        int n = 0;
        for (RecourseResult r : results) {
            if (r.found()) {
                n++;
            }
        }
        return n;
    }

    /** {@return found / size, 0 for an empty batch} */
    public double foundRate() {
        return results.isEmpty() ? 0 : (double) foundCount() / results.size();
    }

    /** {@return the mean cost over found results, NaN when none was found} */
    public double meanCost() {
        double s = 0;
        int n = 0;
        for (RecourseResult r : results) {
            if (r instanceof RecourseResult.Found f) {
                s += f.cost();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** {@return the mean number of changed features over found results, NaN when none} */
    public double meanChangedFeatures() {
        double s = 0;
        int n = 0;
        for (RecourseResult r : results) {
            if (r instanceof RecourseResult.Found f) {
                s += f.changedFeatures();
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** {@return the median model margin at the found counterfactuals, NaN when none} */
    public double medianMargin() {
        double[] m = results.stream().filter(RecourseResult::found)
                .mapToDouble(r -> ((RecourseResult.Found) r).margin()).sorted().toArray();
        if (m.length == 0) {
            return Double.NaN;
        }
        return m.length % 2 == 1 ? m[m.length / 2] : 0.5 * (m[m.length / 2 - 1] + m[m.length / 2]);
    }

    /** {@return how many results failed for each reason} */
    public Map<RecourseResult.Reason, Integer> notFoundReasons() {
        Map<RecourseResult.Reason, Integer> m = new EnumMap<>(RecourseResult.Reason.class);
        for (RecourseResult r : results) {
            if (r instanceof RecourseResult.NotFound nf) {
                m.merge(nf.reason(), 1, Integer::sum);
            }
        }
        return m;
    }

    /**
     * The counterfactual rows, (size x width): x' where found, the factual row where not.
     *
     * @param factuals the factual rows the batch was computed for, (size x width)
     */
    public float[] counterfactualsOrFactuals(float[] factuals) {
        checkFactuals(factuals);
        float[] out = factuals.clone();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof RecourseResult.Found f) {
                f.copyTo(out, i * width);
            }
        }
        return out;
    }

    /**
     * The actions d = x' - x, (size x width), zero rows where nothing was found (e.g. the
     * per-batch teacher directions of CFQ training).
     */
    public float[] deltas(float[] factuals) {
        float[] out = counterfactualsOrFactuals(factuals);
        for (int i = 0; i < out.length; i++) {
            out[i] -= factuals[i];
        }
        return out;
    }

    /** {@return each result's cost, 0 where nothing was found (read it with {@link #foundMask()})} */
    public double[] costs() {
        double[] c = new double[results.size()];
        for (int i = 0; i < c.length; i++) {
            if (results.get(i) instanceof RecourseResult.Found f) {
                c[i] = f.cost();
            }
        }
        return c;
    }

    /** {@return 1 where a counterfactual was found, else 0} */
    public boolean[] foundMask() {
        boolean[] m = new boolean[results.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = results.get(i).found();
        }
        return m;
    }

    /** A batch of the given results (any order) for re-assembling sub-batches. */
    public static RecourseBatch of(int width, RecourseResult[] results) {
        return new RecourseBatch(width, new ArrayList<>(Arrays.asList(results)));
    }

    private void checkFactuals(float[] factuals) {
        if (factuals.length != results.size() * width) {
            throw new IllegalArgumentException("factuals must hold " + results.size() + " x " + width + " = "
                    + results.size() * width + " floats, got " + factuals.length);
        }
    }
}
