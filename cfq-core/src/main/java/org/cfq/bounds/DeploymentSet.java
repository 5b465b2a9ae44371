package org.cfq.bounds;

import java.util.List;

/**
 * The finite set of models a lender serves. A counterfactual is <em>certified</em> for the set
 * when, for every model, the sound lower bound of its favorable margin over the applicant's
 * neighbourhood exceeds the required margin.
 *
 * @param models at least one, all with the same input width
 */
public record DeploymentSet(List<DeployedModel> models) {
    public DeploymentSet {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a deployment set needs at least one model");
        }
        int w = models.get(0).network().inputDim();
        for (DeployedModel m : models) {
            if (m.network().inputDim() != w) {
                throw new IllegalArgumentException("model '" + m.name() + "' takes " + m.network().inputDim()
                        + " inputs, the first takes " + w);
            }
        }
    }

    public int size() {
        return models.size();
    }

    public DeployedModel get(int i) {
        return models.get(i);
    }

    public int inputDim() {
        return models.get(0).network().inputDim();
    }
}
