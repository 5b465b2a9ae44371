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
