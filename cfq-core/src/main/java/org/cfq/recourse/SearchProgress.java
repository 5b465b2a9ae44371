package org.cfq.recourse;

/**
 * How far a batched recourse search has come, for a progress bar: {@code done} of {@code total}
 * steps of the search over the whole batch. Reporting never changes what a search finds.
 */
@FunctionalInterface
public interface SearchProgress {
    /** Called from the thread that runs the search, {@code 0 <= done <= total}. */
    void advanced(int done, int total);

    /** {@return a listener that ignores everything} */
    static SearchProgress none() {
        return (done, total) -> { };
    }

    /** A generator that can report its search's progress. */
    interface Reporting {
        /** Reports the progress of this generator's following searches to {@code progress}. */
        void reportTo(SearchProgress progress);
    }
}
