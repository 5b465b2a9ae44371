/**
 * Diverse counterfactuals in the spirit of DiCE: Mothilal, Sharma and Tan, "Explaining Machine
 * Learning Classifiers through Diverse Counterfactual Explanations" (FAT* 2020). Several
 * counterfactuals per instance trade validity (only valid points are kept), proximity (cost)
 * and diversity (distance between the chosen points).
 */
package org.cfq.recourse.diverse;
