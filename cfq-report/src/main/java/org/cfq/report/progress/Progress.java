package org.cfq.report.progress;

import java.io.PrintWriter;
import java.util.Locale;
import org.cfq.experiment.CellResult;
import org.cfq.experiment.ExperimentListener;
import org.cfq.recourse.SearchProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long run (training, quantization, recourse, the grid) on stderr: a live
 * progress bar when stderr is an interactive terminal, else one plain line per step (what
 * logs, pipes and tests read). Stdout is never touched, so {@code --json} stays one object.
 */
public final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final ProgressBar bar;

    private Progress(PrintWriter err, ProgressBar bar) {
        this.err = err;
        this.bar = bar;
    }

    /**
     * @param total steps of the whole task, or -1 when unknown (the bar then only shows time)
     * @param unit  what a step is ("epoch", "cell")
     */
    public static Progress start(PrintWriter err, String task, long total, String unit) {
        if (!interactive()) {
            return new Progress(err, null);
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        return new Progress(err, bar);
    }

    /** True when a person watches stderr: a console is attached and the terminal can redraw a line. */
    public static boolean interactive() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"))
                && System.getenv("CFQ_PLAIN_PROGRESS") == null;
    }

    /** One step done: the bar advances (its message becomes {@code line}); in plain mode {@code line} is printed. */
    public void step(String line) {
        stepTo(-1, line);
    }

    /** The task is at {@code done} steps (-1: one more than before). */
    public void stepTo(long done, String line) {
        if (bar == null) {
            err.println(line);
            err.flush();
            return;
        }
        if (done < 0) {
            bar.step();
        } else {
            bar.stepTo(done);
        }
        bar.setExtraMessage(line.length() > 60 ? line.substring(0, 60) : line);
    }

    /** A line that is not a step (a warning, a note): printed in both modes, after the bar in a terminal. */
    public void note(String line) {
        if (bar == null) {
            err.println(line);
            err.flush();
        } else {
            bar.setExtraMessage(line.length() > 60 ? line.substring(0, 60) : line);
        }
    }

    /**
     * {@return a listener of a recourse search: the bar over the search's steps, or in plain mode a
     * line at every tenth of them}
     */
    public SearchProgress search(String prefix) {
        int[] shown = {-1};
        return (done, total) -> {
            if (bar != null) {
                bar.maxHint(total);
                stepTo(done, prefix);
                return;
            }
            int tenth = total == 0 ? 10 : (int) (10L * done / total);
            if (tenth != shown[0]) {
                shown[0] = tenth;
                stepTo(done, String.format(Locale.ROOT, "%s %d%% (%d of %d steps)", prefix, 10 * tenth, done, total));
            }
        };
    }

    /** {@return a listener of the experiment grid: the bar over cells, or the runner's plain lines after {@code prefix}} */
    public ExperimentListener grid(String prefix) {
        ExperimentListener plain = ExperimentListener.printing(err, prefix);
        if (bar == null) {
            return plain;
        }
        return new ExperimentListener() {
            @Override
            public void progress(String line) {
                note(line);
            }

            @Override
            public void cellDone(CellResult r, int index, int total) {
                stepTo(index, r.cell().label() + ": " + r.describe());
            }

            @Override
            public void cellFailed(CellResult r, RuntimeException e, int index, int total) {
                stepTo(index, r.cell().label() + ": FAILED");
            }
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
