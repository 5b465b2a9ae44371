package org.cfq.recourse.certified;

import java.util.List;
import java.util.Objects;
import org.cfq.recourse.gradient.WachterConfig;

/**
 * Settings of the certified search.
 *
 * @param searchMargins extra margins the search aims for beyond the request's, one attempt per
 *                      entry (ascending): rows whose first point fails the sound check are
 *                      searched again with the next, larger one
 * @param search        the Wachter schedule the search runs on the bound (stop at the first
 *                      point whose bound clears the target, then bisect back toward the factual)
 */
public record CertifiedConfig(List<Double> searchMargins, WachterConfig search) {
    public CertifiedConfig {
        searchMargins = List.copyOf(searchMargins);
        Objects.requireNonNull(search, "search");
        if (searchMargins.isEmpty()) {
            throw new IllegalArgumentException("searchMargins needs at least one entry");
        }
        double prev = -1;
        for (double m : searchMargins) {
            if (!(m >= 0 && m < Double.POSITIVE_INFINITY) || m < prev) {
                throw new IllegalArgumentException("searchMargins must be finite, >= 0 and ascending, got "
                        + searchMargins);
            }
            prev = m;
        }
    }

    /** Search margins 0.02, 0.1, 0.3, 1; Wachter defaults (8 rounds of 20 steps, 8 bisection steps). */
    public static CertifiedConfig defaults() {
        return new CertifiedConfig(List.of(0.02, 0.1, 0.3, 1.0), WachterConfig.defaults());
    }
}
