package org.cfq.io.datasets;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A data file cfq knows how to fetch.
 *
 * @param fileName the name it has in a data directory ("adult.data")
 * @param uri      its canonical download address
 * @param sha256   the expected SHA-256 of the file's bytes (of the extracted file when it comes
 *                 inside a zip), 64 lower-case hex digits; null when no checksum is recorded (then
 *                 only the loader's shape check guards the content, and docs/datasets.md says so)
 * @param inZip    when the address serves a zip: the entry names to descend, outermost first,
 *                 the last one being the file itself (Bank Marketing: {@code bank.zip},
 *                 {@code bank-full.csv}); empty when the address serves the file
 */
public record RemoteFile(String fileName, URI uri, String sha256, List<String> inZip) {
    public RemoteFile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(uri, "uri");
        inZip = List.copyOf(Objects.requireNonNull(inZip, "inZip"));
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "'");
            }
        }
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("fileName must be a plain file name, got '" + fileName + "'");
        }
    }

    /** A file served as is at its address, with its checksum. */
    public RemoteFile(String fileName, URI uri, String sha256) {
        this(fileName, uri, Objects.requireNonNull(sha256, "sha256"), List.of());
    }

    /** {@return whether a checksum is recorded for this file} */
    public boolean checksummed() {
        return sha256 != null;
    }
}
