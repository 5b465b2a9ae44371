package org.cfq.cli;

import java.io.PrintWriter;
import org.cfq.experiment.Cell;
import org.cfq.experiment.CellResult;
import org.cfq.experiment.ExperimentListener;

/**
 * {@code --verbose} for the grid: a failed cell does not stop the run, so the command's one
 * exception handler never sees its exception; this listener prints the stack trace (with its
 * causes) on stderr right after the cell's line. Without {@code --verbose} the listener is
 * returned as it is: the cell's line alone.
 */
final class FailedCellTraces {
    private FailedCellTraces() {
    }

    static ExperimentListener of(ExperimentListener listener, boolean verbose, PrintWriter err, String prefix) {
        if (!verbose) {
            return listener;
        }
        return new ExperimentListener() {
            @Override
            public void progress(String line) {
                listener.progress(line);
            }

            @Override
            public void cellStarted(Cell cell, int index, int total) {
                listener.cellStarted(cell, index, total);
            }

            @Override
            public void cellDone(CellResult result, int index, int total) {
                listener.cellDone(result, index, total);
            }

            @Override
            public void cellFailed(CellResult result, RuntimeException error, int index, int total) {
                listener.cellFailed(result, error, index, total);
                err.println(prefix + "[" + index + "/" + total + "] " + result.cell().label() + " failed with:");
                error.printStackTrace(err);
                err.flush();
            }
        };
    }
}
