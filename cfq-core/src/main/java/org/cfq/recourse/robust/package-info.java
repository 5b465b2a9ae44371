/**
 * Recourse robust to several models at once: {@link org.cfq.recourse.robust.VariantEnsemble}
 * lets any gradient generator search the worst (or mean) margin of a set of models; the
 * paper's robust solver over quantization variants is {@code org.cfq.audit.RobustRecourse}.
 */
package org.cfq.recourse.robust;
