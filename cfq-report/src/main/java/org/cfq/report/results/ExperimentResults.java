package org.cfq.report.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An experiment's results and where they came from.
 *
 * @param source       the results file
 * @param command      the command line that ran it ("cfq experiment ..."); "unknown" in older files
 * @param cfqVersion   the cfq version that wrote it
 * @param complete     whether every cell of the plan had been run
 * @param seconds      wall-clock seconds of the run
 * @param plan         the plan's settings as written (datasets, budgets, methods, seeds, recourse, ...), in
 *                     the order given
 * @param fingerprints each dataset's training-split fingerprint, in the order given; empty in older files
 * @param cells        every cell, in plan order
 */
public record ExperimentResults(String source, String command, String cfqVersion, boolean complete, double seconds,
                                Map<String, String> plan, Map<String, String> fingerprints, List<CellResult> cells) {
    public ExperimentResults {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(cfqVersion, "cfqVersion");
        // Insertion order (the file's), not Map.copyOf's: its order changes with each JVM start, and the
        // report lists these maps, so the same results would give a different page in every run.
        plan = Collections.unmodifiableMap(new LinkedHashMap<>(plan));
        fingerprints = Collections.unmodifiableMap(new LinkedHashMap<>(fingerprints));
        cells = List.copyOf(cells);
    }

    /** {@return the datasets in first-seen order} */
    public List<String> datasets() {
        return cells.stream().map(CellResult::dataset).distinct().toList();
    }

    /** {@return the methods in first-seen order} */
    public List<String> methods() {
        return cells.stream().map(CellResult::method).distinct().toList();
    }

    /** {@return the budgets, ascending} */
    public List<Double> budgets() {
        return cells.stream().map(CellResult::budget).distinct().sorted().toList();
    }

    /** {@return the seeds in first-seen order} */
    public List<Long> seeds() {
        return cells.stream().map(CellResult::seed).distinct().toList();
    }

    /** {@return the margins, ascending} */
    public List<Double> margins() {
        return cells.stream().map(CellResult::margin).distinct().sorted().toList();
    }
}
