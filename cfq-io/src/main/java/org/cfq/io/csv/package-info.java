/** Reading user CSV files into tables with a schema; cell parsing shared with the dataset loaders. */
package org.cfq.io.csv;
