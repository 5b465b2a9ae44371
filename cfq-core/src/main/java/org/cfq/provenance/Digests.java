package org.cfq.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex: the one digest cfq writes into files, fingerprints data with,
 * checks downloads and imported models with. In core (JDK only) so every module reaches it.
 */
public final class Digests {
    private Digests() {
    }

    /** {@return a fresh SHA-256 digest} */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** {@return the lower-case hex of what the digest has seen (the digest is reset)} */
    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /** {@return the lower-case hex SHA-256 of bytes} */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** {@return the lower-case hex SHA-256 of a file's bytes, read in blocks} */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return hex(md);
    }
}
