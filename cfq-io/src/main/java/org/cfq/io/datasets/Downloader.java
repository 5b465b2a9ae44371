package org.cfq.io.datasets;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.cfq.InvalidInputException;
import org.cfq.provenance.Digests;
import org.cfq.io.files.AtomicFiles;

/**
 * Finds a data file in a {@link DataDirectory} or downloads it from its canonical address,
 * checks its SHA-256, and stores it atomically, so a failed or corrupt download never
 * leaves a file behind.
 */
public final class Downloader {
    private final Supplier<HttpClient> clientFactory;
    private final Duration timeout;
    private HttpClient client;

    /**
     * @param timeout how long to wait for the connection and for the whole response
     */
    public Downloader(HttpClient client, Duration timeout) {
        this(constant(Objects.requireNonNull(client, "client")), timeout);
    }

    /** A downloader whose client is made by {@code clientFactory} on the first download (tests). */
    Downloader(Supplier<HttpClient> clientFactory, Duration timeout) {
        this.clientFactory = clientFactory;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    private static Supplier<HttpClient> constant(HttpClient c) {
        return () -> c;
    }

    /**
     * A downloader with a 10-second connect timeout and a 5-minute response timeout. Its HTTP
     * client is built on the first download: building one sets up TLS and the security
     * providers, ~0.15 s of every fresh process that only reads local files.
     */
    public static Downloader standard() {
        return new Downloader(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build(), Duration.ofMinutes(5));
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = clientFactory.get();
        }
        return client;
    }

    /**
     * Returns the file from the first candidate directory that holds it, else downloads it
     * into the primary directory.
     *
     * @param download false to only look, never fetch
     * @throws InvalidInputException when the file is missing and cannot be fetched; the
     *                               message names the file, every directory searched, the
     *                               download address and how to supply the file
     */
    public Path locate(RemoteFile file, DataDirectory dirs, boolean download) {
        var found = dirs.find(file.fileName());
        if (found.isPresent()) {
            return found.get();
        }
        String why;
        if (!download) {
            why = "not found in " + dirs.candidates() + " (downloads are off)";
        } else {
            try {
                return fetch(file, dirs.primary().resolve(file.fileName()));
            } catch (IOException e) {
                why = "not found in " + dirs.candidates() + ", and the download from " + file.uri() + " failed ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "not found in " + dirs.candidates() + ", and the download was interrupted";
            }
        }
        throw new InvalidInputException(file.fileName(), why, "Download " + file.uri() + " into one of those directories,"
                + " or point --data-dir or " + DataDirectory.ENV + " at a directory that holds it");
    }

    /**
     * Downloads a file, unpacks it when it comes inside (nested) zips, checks its SHA-256 (when
     * one is recorded) and writes it atomically to {@code target}.
     *
     * @throws IOException           on network or HTTP failure (nothing is written)
     * @throws InvalidInputException when the bytes do not match the expected checksum, or the zip
     *                               lacks an entry (nothing is written)
     */
    public Path fetch(RemoteFile file, Path target) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(file.uri()).timeout(timeout).GET().build();
        HttpResponse<byte[]> resp = client().send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode());
        }
        byte[] body = unpack(file, resp.body());
        if (file.checksummed()) {
            String actual = sha256(body);
            if (!actual.equals(file.sha256())) {
                throw new InvalidInputException(file.fileName() + " downloaded from " + file.uri(),
                        "SHA-256 is " + actual + ", expected " + file.sha256(),
                        "Retry later; if it persists the upstream file changed: download it yourself, check it, and "
                                + "point --data-dir at its directory");
            }
        }
        AtomicFiles.write(target, body);
        return target;
    }

    /**
     * {@return the file's bytes: {@code body} itself, or the entry reached by descending
     * {@link RemoteFile#inZip()} through nested zips}
     *
     * @throws InvalidInputException naming the archive and the missing entry
     */
    static byte[] unpack(RemoteFile file, byte[] body) throws IOException {
        byte[] bytes = body;
        String where = file.uri().toString();
        for (String entry : file.inZip()) {
            bytes = entry(bytes, entry, where, file);
            where = where + " > " + entry;
        }
        return bytes;
    }

    private static byte[] entry(byte[] zip, String name, String where, RemoteFile file) throws IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String n = e.getName();
                // Some archives store the entry under a folder; the file name is what identifies it.
                if (!e.isDirectory() && (n.equals(name) || n.endsWith("/" + name))) {
                    return in.readAllBytes();
                }
            }
        }
        throw new InvalidInputException(where, "holds no entry '" + name + "'",
                "The upstream archive changed: download " + file.fileName() + " yourself and point --data-dir at its "
                        + "directory");
    }

    /**
     * Checks a local file's SHA-256.
     *
     * @throws InvalidInputException naming the file and both checksums when they differ
     */
    public static void verify(Path file, String expectedSha256) {
        String actual;
        try {
            actual = sha256(file);
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "cannot be read (" + e.getMessage() + ")",
                    "Check the file exists and is readable", e);
        }
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new InvalidInputException(file.toString(), "SHA-256 is " + actual + ", expected " + expectedSha256,
                    "Replace it with the canonical file (delete it to let cfq download it again)");
        }
    }

    /** {@return the lower-case hex SHA-256 of a file's bytes} */
    public static String sha256(Path file) throws IOException {
        return Digests.sha256Hex(file);
    }

    /** {@return the lower-case hex SHA-256 of bytes} */
    public static String sha256(byte[] bytes) {
        return Digests.sha256Hex(bytes);
    }
}
