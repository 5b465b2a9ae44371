/**
 * Exact minimum-cost actionable recourse for logistic regression (a linear favorable margin),
 * in the spirit of Ustun, Spangher and Liu, "Actionable Recourse in Linear Classification"
 * (FAT* 2019), who solve it as an integer program. We solve the same problem exactly without a
 * native solver: for a linear score and a separable weighted-L1 cost the problem reduces to a
 * bounded mixed-integer covering knapsack, solved by branch and bound whose relaxations are solved
 * exactly by Dantzig's ratio-greedy rule (G. B. Dantzig, "Discrete-Variable Extremum Problems",
 * Operations Research 5(2), 1957). See {@link org.cfq.recourse.linear.LinearExactGenerator} for
 * the proof of exactness.
 */
package org.cfq.recourse.linear;
