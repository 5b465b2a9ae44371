/**
 * The experiment results a report renders, as typed records, and the reader of an
 * experiment directory's {@code results.json} ({@code cfq experiment --out DIR}).
 */
package org.cfq.report.results;
