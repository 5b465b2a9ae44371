/**
 * Everything that touches bytes or the network: JSON ({@code io.json}), atomic file
 * writes ({@code io.files}), CSV tables, schema files, model files, dataset loaders and
 * data-directory resolution.
 */
package org.cfq.io;
