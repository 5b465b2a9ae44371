package org.cfq.experiment;

import java.io.PrintWriter;

/**
 * What an {@link ExperimentRunner} reports while it runs: progress lines (loading, teachers,
 * teacher recourse) and each cell as it ends. Called on the runner's thread; every method
 * defaults to doing nothing.
 */
public interface ExperimentListener {
    /** A line of progress for a person. */
    default void progress(String line) {
    }

    /** A cell is about to be computed (not called for reused or unavailable cells). */
    default void cellStarted(Cell cell, int index, int total) {
    }

    /** A cell ended: measured now or earlier, or unavailable. {@code index} counts from 1. */
    default void cellDone(CellResult result, int index, int total) {
    }

    /** A cell failed; the run goes on with the next one. */
    default void cellFailed(CellResult result, RuntimeException error, int index, int total) {
    }

    /** {@return a listener that ignores everything} */
    static ExperimentListener none() {
        return new ExperimentListener() {
        };
    }

    /** {@return a listener that prints one plain line per event, each starting with {@code prefix}} */
    static ExperimentListener printing(PrintWriter err, String prefix) {
        return new ExperimentListener() {
            @Override
            public void progress(String line) {
                err.println(prefix + line);
                err.flush();
            }

            @Override
            public void cellDone(CellResult r, int index, int total) {
                progress("[" + index + "/" + total + "] " + r.cell().label() + ": " + r.describe());
            }

            @Override
            public void cellFailed(CellResult r, RuntimeException e, int index, int total) {
                progress("[" + index + "/" + total + "] " + r.cell().label() + ": FAILED: " + e);
            }
        };
    }
}
