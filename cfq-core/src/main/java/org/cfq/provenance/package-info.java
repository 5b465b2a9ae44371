/**
 * Where an artifact came from: {@link org.cfq.provenance.Provenance} (cfq version, seed,
 * configuration, dataset fingerprint, JDK and OS) and the
 * {@link org.cfq.provenance.DatasetFingerprint} that identifies training data.
 */
package org.cfq.provenance;
