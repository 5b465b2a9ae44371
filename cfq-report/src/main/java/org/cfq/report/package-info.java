/** Renders result records as Markdown and CSV. Computes nothing. */
package org.cfq.report;
