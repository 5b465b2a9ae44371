package org.cfq.provenance;

import java.util.Objects;

/**
 * Where an imported teacher came from: the file another tool wrote and how cfq read it.
 *
 * @param format          the file's format, e.g. "onnx"
 * @param file            the file name as given on import (for people; the checksum identifies it)
 * @param sha256          the file's SHA-256, lower-case hex
 * @param producerName    the producing tool as the file names it, e.g. "pytorch"; empty when absent
 * @param producerVersion its version as the file names it; empty when absent
 * @param opset           the file's operator set version (ONNX default domain)
 * @param output          what the graph's output was, e.g. "1 probability (sigmoid)"
 * @param layoutSha256    SHA-256 of the input layout file the import used
 */
public record ImportSource(String format, String file, String sha256, String producerName, String producerVersion,
                           int opset, String output, String layoutSha256) {
    public ImportSource {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(producerName, "producerName");
        Objects.requireNonNull(producerVersion, "producerVersion");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(layoutSha256, "layoutSha256");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
    }
}
