package org.cfq.provenance;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an artifact (model file, JSON result, ONNX model) came from.
 *
 * @param cfqVersion         the cfq version that wrote it, e.g. "0.1.0"
 * @param seed               the seed every random choice derived from
 * @param config             a one-line summary of the configuration
 * @param datasetFingerprint the training data's {@link DatasetFingerprint}, e.g. "sha256:ab12..."
 * @param javaVersion        {@code java.version} of the writing JVM
 * @param os                 {@code os.name} of the writing machine
 * @param arch               {@code os.arch} of the writing machine
 * @param createdAt          when it was written, ISO-8601 UTC
 */
public record Provenance(String cfqVersion, long seed, String config, String datasetFingerprint,
                         String javaVersion, String os, String arch, String createdAt) {
    /** The version of this cfq build; kept in step with the Maven project version. */
    public static final String CFQ_VERSION = "0.1.0";

    public Provenance {
        Objects.requireNonNull(cfqVersion, "cfqVersion");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(datasetFingerprint, "datasetFingerprint");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The environment variable that fixes {@link #now()}, as reproducible builds use it. */
    public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

    /**
     * {@return the creation time to record: the current time, or, when the environment
     * variable {@value #SOURCE_DATE_EPOCH} holds whole seconds since 1970-01-01 UTC, that time}
     * With it set, the same seed and data give byte-identical model files.
     *
     * @throws org.cfq.InvalidInputException when the variable is set but not a whole number
     */
    public static Instant now() {
        return creationTime(System.getenv(SOURCE_DATE_EPOCH), Instant.now());
    }

    /** {@link #now()} with the variable's value and the clock passed in. */
    public static Instant creationTime(String sourceDateEpoch, Instant clock) {
        if (sourceDateEpoch == null || sourceDateEpoch.isBlank()) {
            return clock;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(sourceDateEpoch.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new org.cfq.InvalidInputException("environment variable " + SOURCE_DATE_EPOCH + "='"
                    + sourceDateEpoch + "'", "not a whole number of seconds since 1970-01-01 UTC",
                    "Set it to e.g. $(git log -1 --format=%ct), or unset it", e);
        }
    }

    /**
     * The provenance of an artifact written now by this JVM.
     *
     * @param now the creation time; passed in so callers (and tests) control it
     */
    public static Provenance of(long seed, String config, String datasetFingerprint, Instant now) {
        return new Provenance(CFQ_VERSION, seed, config, datasetFingerprint,
                System.getProperty("java.version", "unknown"), System.getProperty("os.name", "unknown"),
                System.getProperty("os.arch", "unknown"), now.toString());
    }
}
