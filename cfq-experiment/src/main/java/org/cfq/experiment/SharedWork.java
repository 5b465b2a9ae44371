package org.cfq.experiment;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.cfq.audit.TeacherRecourse;

/**
 * What the families of one multi-family run ({@code cfq experiment --suite all}) share, so that
 * work common to several families is done once and the results stay exactly those each family
 * computes on its own:
 *
 * <ul>
 *   <li>one teacher cache, {@code OUT/teachers}, for every family (a teacher file is named by
 *       every setting that changes it: dataset, seed, teacher settings, split);</li>
 *   <li>the teachers' recourse, memoized in memory by teacher file, margin, recourse settings,
 *       factual selection, factual count and cost (everything {@code Audit.teacherRecourse}
 *       reads); bounded by datasets x seeds x margins x teacher settings of the run;</li>
 *   <li>finished cells: a family first looks for its cell in every family's {@code cells/} by
 *       its key. The key names every setting that changes a cell, its random seed included (the
 *       seed is derived from the key), so a cell of the same key is the one this family would
 *       compute. Families that add evaluations have the evaluations in their key (and so in
 *       their seed), hence share teachers and teacher recourse but not cells.</li>
 * </ul>
 *
 * <p>Everything shared on disk is found again by a restarted run, so resuming is unchanged.
 * Not thread-safe: families run one after the other.
 */
public final class SharedWork {
    private final Path teachers;
    private final List<Path> cellDirs;
    private final Map<String, TeacherRecourse> teacherRecourse = new HashMap<>();

    /**
     * @param teachers the teacher cache of every family
     * @param cellDirs every family's {@code cells/} directory, searched in order for a finished cell
     */
    public SharedWork(Path teachers, List<Path> cellDirs) {
        this.teachers = Objects.requireNonNull(teachers, "teachers");
        this.cellDirs = List.copyOf(cellDirs);
    }

    /** {@return the shared teacher cache directory} */
    public Path teachers() {
        return teachers;
    }

    /** {@return every family's cells directory} */
    public List<Path> cellDirs() {
        return cellDirs;
    }

    /** {@return the memoized teacher recourse of this key, computed by {@code compute} the first time} */
    TeacherRecourse teacherRecourse(String key, Supplier<TeacherRecourse> compute) {
        TeacherRecourse tr = teacherRecourse.get(key);
        if (tr == null) {
            tr = compute.get();
            teacherRecourse.put(key, tr);
        }
        return tr;
    }

    /** {@return how many teacher recourses are memoized} */
    int memoized() {
        return teacherRecourse.size();
    }
}
