/**
 * What a row means: feature schemas with kinds, ranges and actionability, columnar
 * tables in original units, and dataset splits. {@code data.encode} maps tables to the
 * model space; {@code data.synthetic} generates the seeded demo dataset.
 */
package org.cfq.data;
