package org.cfq.faithful;

import java.util.Arrays;
import org.cfq.quant.qat.TaskLoss;
import org.cfq.train.Losses;

/**
 * The CFQ training loss on one batch, whose student logits hold {@code n} data rows followed
 * by {@code m} teacher counterfactuals {@code x + d_T} (rows x 2, row-major). With
 * {@code m_S} the student's favorable margin {@code logit[1] - logit[0]}:
 * <pre>
 *   L = mean_data CE(student(x), y)                                      (task)
 *     + eta   * mean_cf CE(student(x + d_T), favorable)                   (published faithfulness term)
 *     + beta  * mean_cf relu(gamma - m_S(x + d_T))                        (optional hinge)
 *     + mu    * mean_cf (m_S(x + d_T) - m_T(x + d_T))^2                   (optional recourse matching)
 *     + mu    * mean_path (m_S(x + t d_T) - m_T(x + t d_T))^2, 0 &lt; t &lt; 1   (optional, along the recourse paths)
 *     + kappa * mean_data T^2 KL(softmax(t / T) || softmax(s / T))        (optional distillation)
 * </pre>
 * The path rows, when there are any, follow the counterfactual rows in the batch. The budget penalty is added by the trainer ({@link BudgetPenalty}). Every term is a mean
 * over its own rows, so eta weighs the counterfactual term the same however many of the
 * batch's rows have one.
 */
public final class FaithfulnessLoss {
    private FaithfulnessLoss() {
    }

    /**
     * The terms of one batch, each already multiplied by its weight.
     *
     * @param data           mean task cross-entropy
     * @param counterfactual eta * mean CE to favorable at the teacher counterfactuals
     * @param hinge          beta * mean hinge
     * @param match          mu * mean squared margin gap, at the counterfactuals plus along the paths
     * @param distill        kappa * mean distillation loss
     * @param cfRows         counterfactual rows in the batch
     * @param cfValid        of those, the ones the student scores favorably
     */
    public record Parts(double data, double counterfactual, double hinge, double match, double distill, int cfRows,
                        int cfValid) {
        /** {@return the sum of the terms} */
        public double total() {
            return data + counterfactual + hinge + match + distill;
        }
    }

    /**
     * Evaluates the loss and its gradient with respect to the student logits.
     *
     * @param logits        student logits, ((n + m) x 2)
     * @param labels        the data rows' labels, read at {@code [0, n)}
     * @param n             data rows, &gt; 0
     * @param m             counterfactual rows, &gt;= 0
     * @param teacherLogits teacher logits at the data rows, (n x 2); read only when distilling
     * @param teacherCfMargin teacher margin at each counterfactual, (m); read only when matching
     * @param dLogits       ((n + m) x 2), overwritten with dL/dlogits
     */
    public static Parts evaluate(float[] logits, int[] labels, int n, int m, float[] teacherLogits,
                                 float[] teacherCfMargin, CfqConfig.Loss c, float[] dLogits) {
        return evaluate(logits, labels, n, m, 0, teacherLogits, teacherCfMargin, null, c, dLogits);
    }

    /**
     * Evaluates the loss with {@code p} path rows after the counterfactual rows, whose student
     * margins are matched (weight {@link CfqConfig.Loss#matchWeight()}) to the teacher's.
     *
     * @param p                 path rows, &gt;= 0 (each gets the matching gradient only)
     * @param teacherPathMargin teacher margin at each path row, (p); read only when {@code p > 0}
     */
    public static Parts evaluate(float[] logits, int[] labels, int n, int m, int p, float[] teacherLogits,
                                 float[] teacherCfMargin, float[] teacherPathMargin, CfqConfig.Loss c, float[] dLogits) {
        if (n <= 0 || m < 0 || p < 0) {
            throw new IllegalArgumentException("need n > 0 data rows, m >= 0 counterfactual rows and p >= 0 path "
                    + "rows, got n=" + n + ", m=" + m + ", p=" + p);
        }
        double data = Losses.softmaxCrossEntropy(logits, labels, 0, n, 1.0 / n, dLogits) / n;
        double distill = 0;
        if (c.distillWeight() > 0) {
            distill = c.distillWeight() * TaskLoss.distillation(logits, teacherLogits, n,
                    (float) c.distillTemperature(), dLogits, (float) c.distillWeight());
        }
        Arrays.fill(dLogits, 2 * n, 2 * (n + m + p), 0f);
        double cf = 0;
        double hinge = 0;
        double match = 0;
        int valid = 0;
        for (int i = 0; i < m; i++) {
            int r = n + i;
            double margin = (double) logits[2 * r + 1] - logits[2 * r];
            if (margin > 0) {
                valid++;
            }
            // CE to the favorable class: softplus(-margin), d/dmargin = sigmoid(margin) - 1
            cf += Losses.softplus(-margin);
            double g = c.eta() * (Losses.sigmoid(margin) - 1);
            if (c.hingeWeight() > 0 && margin < c.hingeMargin()) {
                hinge += c.hingeMargin() - margin;
                g -= c.hingeWeight();
            }
            if (c.matchWeight() > 0) {
                double gap = margin - teacherCfMargin[i];
                if (!c.pinBoundary()) {
                    match += gap * gap;
                    g += c.matchWeight() * 2 * gap;
                } else if (gap < 0) {
                    match -= gap;
                    g -= c.matchWeight();
                }
            }
            float gm = (float) (g / m);
            dLogits[2 * r] = -gm;
            dLogits[2 * r + 1] = gm;
        }
        if (m > 0) {
            cf = c.eta() * cf / m;
            hinge = c.hingeWeight() * hinge / m;
            match = c.matchWeight() * match / m;
        }
        double path = 0;
        for (int i = 0; i < p; i++) {
            int r = n + m + i;
            double gap = ((double) logits[2 * r + 1] - logits[2 * r]) - teacherPathMargin[i];
            double dgap;
            if (!c.pinBoundary()) {
                path += gap * gap;
                dgap = 2 * gap;
            } else {
                path += Math.max(gap, 0);
                dgap = gap > 0 ? 1 : 0;
            }
            float gm = (float) (c.matchWeight() * dgap / p);
            dLogits[2 * r] = -gm;
            dLogits[2 * r + 1] = gm;
        }
        if (p > 0) {
            match += c.matchWeight() * path / p;
        }
        return new Parts(data, cf, hinge, match, distill, m, valid);
    }
}
