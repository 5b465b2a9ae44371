package org.cfq.recourse.certified;

import java.util.List;
import java.util.Objects;
import org.cfq.recourse.RecourseBatch;

/**
 * What the certified generator returns beyond the plain batch.
 *
 * @param batch           one result per factual: found results are certified counterfactuals
 * @param certifiedMargin per row, the smallest sound lower bound of the margin over the
 *                        deployment set and the neighbourhood at the returned point; for a row
 *                        without one, at the best candidate checked (NaN when the search found
 *                        no candidate at all)
 * @param weakestModel    per row, the label of the model with the smallest bound ("" when no
 *                        candidate was checked)
 * @param attempts        per row, the search margins tried (1 = the first attempt sufficed)
 * @param searchSeconds   seconds in the searches
 * @param verifySeconds   seconds in the sound verifier
 */
public record CertifiedBatch(RecourseBatch batch, double[] certifiedMargin, List<String> weakestModel, int[] attempts,
                             double searchSeconds, double verifySeconds) {
    public CertifiedBatch {
        Objects.requireNonNull(batch, "batch");
        weakestModel = List.copyOf(weakestModel);
        if (certifiedMargin.length != batch.size() || weakestModel.size() != batch.size()
                || attempts.length != batch.size()) {
            throw new IllegalArgumentException("per-row arrays must have " + batch.size() + " entries");
        }
        certifiedMargin = certifiedMargin.clone();
        attempts = attempts.clone();
    }

    @Override
    public double[] certifiedMargin() {
        return certifiedMargin.clone();
    }

    @Override
    public int[] attempts() {
        return attempts.clone();
    }
}
