package org.cfq.io.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where dataset files are looked for, in order: the explicit directory ({@code --data-dir}),
 * then {@code $CFQ_DATA_DIR}, then the user cache {@code ~/.cache/cfq/datasets}. Downloads go
 * to the first of these (the primary directory).
 *
 * @param candidates the directories searched, in order, without repeats; never empty
 */
public record DataDirectory(List<Path> candidates) {
    /** The environment variable naming a data directory. */
    public static final String ENV = "CFQ_DATA_DIR";

    public DataDirectory {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("a data directory needs at least one candidate");
        }
    }

    /**
     * Resolves the candidates from an explicit directory (may be null), an environment and a
     * home directory; pure, for tests.
     */
    public static DataDirectory resolve(Path explicit, Map<String, String> env, Path home) {
        List<Path> dirs = new ArrayList<>();
        if (explicit != null) {
            dirs.add(explicit.toAbsolutePath().normalize());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            add(dirs, Path.of(fromEnv).toAbsolutePath().normalize());
        }
        add(dirs, Objects.requireNonNull(home, "home").resolve(".cache").resolve("cfq").resolve("datasets")
                .toAbsolutePath().normalize());
        return new DataDirectory(dirs);
    }

    /** Resolves from the process environment and {@code user.home}. */
    public static DataDirectory resolve(Path explicit) {
        return resolve(explicit, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** {@return {@code $CFQ_DATA_DIR} when set to an existing directory} (tests use this to skip) */
    public static Optional<Path> fromEnv() {
        String v = System.getenv(ENV);
        if (v == null || v.isBlank() || !Files.isDirectory(Path.of(v))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(v));
    }

    /** The directory downloads are stored in. */
    public Path primary() {
        return candidates.get(0);
    }

    /** {@return the first candidate holding a regular file of that name} */
    public Optional<Path> find(String fileName) {
        for (Path d : candidates) {
            Path p = d.resolve(fileName);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static void add(List<Path> dirs, Path p) {
        if (!dirs.contains(p)) {
            dirs.add(p);
        }
    }
}
