package org.cfq.io.datasets;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A data file cfq knows how to fetch.
 *
 * @param fileName the name it has in a data directory ("adult.data")
 * @param uri      its canonical download address
 * @param sha256   the expected SHA-256 of its bytes, 64 lower-case hex digits
 */
public record RemoteFile(String fileName, URI uri, String sha256) {
    public RemoteFile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        sha256 = sha256.toLowerCase(Locale.ROOT);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits, got '" + sha256 + "'");
        }
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("fileName must be a plain file name, got '" + fileName + "'");
        }
    }
}
