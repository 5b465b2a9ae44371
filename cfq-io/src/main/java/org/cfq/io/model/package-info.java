/**
 * The versioned, self-describing model file: {@link org.cfq.io.model.ModelFile} writes and
 * reads a {@link org.cfq.io.model.SavedModel} (network, encoder with its full schema,
 * training configuration, provenance) as JSON with the weights stored bit-exactly.
 */
package org.cfq.io.model;
