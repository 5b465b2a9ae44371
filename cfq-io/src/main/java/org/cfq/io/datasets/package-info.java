/**
 * The built-in datasets (adult, german, compas, synthetic): where their files are looked
 * for ({@link org.cfq.io.datasets.DataDirectory}), how they are fetched and checked
 * ({@link org.cfq.io.datasets.Downloader}), how each is read and split, and their
 * actionability presets ({@link org.cfq.io.datasets.ActionPreset}). docs/datasets.md
 * explains every choice.
 */
package org.cfq.io.datasets;
