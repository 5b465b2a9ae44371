package org.cfq.io.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.cfq.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    /** SHA-256 of the three bytes "abc" (FIPS 180-2 test vector). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /** Port 9 (discard) on the loopback: refused at once, so the test needs no network. */
    private static final RemoteFile UNREACHABLE = new RemoteFile("data.csv", URI.create("http://127.0.0.1:9/data.csv"),
            ABC);

    private static Downloader downloader() {
        return new Downloader(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                Duration.ofSeconds(2));
    }

    @Test
    void sha256_knownBytes_matchesTestVector(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("abc.txt");
        Files.write(f, "abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Downloader.sha256(f)).isEqualTo(ABC);
        Downloader.verify(f, ABC.toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void verify_changedFile_failsNamingFileAndBothChecksums(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("abd.txt");
        Files.write(f, "abd".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Downloader.verify(f, ABC)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("abd.txt").hasMessageContaining("expected " + ABC)
                .hasMessageContaining("download it again");
    }

    @Test
    void locate_unreachableUrl_failsNamingFileDirsUrlAndFix(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        DataDirectory dirs = new DataDirectory(List.of(a, b));
        assertThatThrownBy(() -> downloader().locate(UNREACHABLE, dirs, true)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("data.csv").hasMessageContaining(a.toString()).hasMessageContaining(b.toString())
                .hasMessageContaining("download from http://127.0.0.1:9/data.csv failed")
                .hasMessageContaining("--data-dir").hasMessageContaining("CFQ_DATA_DIR");
        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("nothing written").isEmpty();
        }
    }

    @Test
    void locate_downloadsOff_failsWithoutTryingTheNetwork(@TempDir Path dir) {
        DataDirectory dirs = new DataDirectory(List.of(dir));
        assertThatThrownBy(() -> downloader().locate(UNREACHABLE, dirs, false)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("downloads are off").hasMessageContaining("Download http://127.0.0.1:9/data.csv");
    }

    @Test
    void locate_filePresent_returnsItWithoutDownloading(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data.csv"), "x");
        assertThat(downloader().locate(UNREACHABLE, new DataDirectory(List.of(dir)), true))
                .isEqualTo(dir.resolve("data.csv"));
    }

    /** Serves "abc" at /abc.txt from the loopback interface for the duration of one test. */
    private static <T> T withServer(java.util.function.Function<Integer, T> body) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/abc.txt", ex -> {
            byte[] b = "abc".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, b.length);
            try (var out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        try {
            return body.apply(server.getAddress().getPort());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpClient_isBuiltOnlyWhenSomethingIsDownloaded(@TempDir Path dir) throws Exception {
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        Downloader d = new Downloader(() -> {
            built.incrementAndGet();
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        }, Duration.ofSeconds(2));
        Files.writeString(dir.resolve("data.csv"), "x");
        d.locate(UNREACHABLE, new DataDirectory(List.of(dir)), true);
        assertThat(built).hasValue(0);
        Path primary = dir.resolve("cache");
        for (int i = 0; i < 2; i++) {
            Path got = withServer(port -> d.locate(new RemoteFile("abc.txt",
                    URI.create("http://127.0.0.1:" + port + "/abc.txt"), ABC), new DataDirectory(List.of(primary)), true));
            assertThat(got).hasContent("abc");
            Files.delete(got);
        }
        assertThat(built).hasValue(1);
    }

    @Test
    void locate_missingFileServedLocally_downloadsVerifiesAndStoresInPrimary(@TempDir Path dir) throws Exception {
        Path primary = dir.resolve("cache");
        Path got = withServer(port -> downloader().locate(new RemoteFile("abc.txt",
                URI.create("http://127.0.0.1:" + port + "/abc.txt"), ABC), new DataDirectory(List.of(primary)), true));
        assertThat(got).isEqualTo(primary.resolve("abc.txt"));
        assertThat(Files.readString(got)).isEqualTo("abc");
    }

    @Test
    void fetch_checksumMismatch_failsAndWritesNothing(@TempDir Path dir) throws Exception {
        String wrong = "0".repeat(64);
        Throwable t = withServer(port -> {
            try {
                downloader().fetch(new RemoteFile("abc.txt", URI.create("http://127.0.0.1:" + port + "/abc.txt"), wrong),
                        dir.resolve("abc.txt"));
                return null;
            } catch (Exception | AssertionError e) {
                return e;
            }
        });
        assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageContaining("abc.txt downloaded from")
                .hasMessageContaining("SHA-256 is " + ABC).hasMessageContaining("expected " + wrong);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.toList()).as("nothing written").isEmpty();
        }
    }

    @Test
    void remoteFile_badChecksum_throws() {
        assertThatThrownBy(() -> new RemoteFile("x", URI.create("http://h/x"), "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
    }

    private static byte[] zip(String entry, byte[] content) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.ZipOutputStream(bytes)) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write("other".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
            z.putNextEntry(new java.util.zip.ZipEntry(entry));
            z.write(content);
            z.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void unpack_nestedZip_returnsTheInnerFileWhoseChecksumIsChecked() throws Exception {
        // The layout of UCI's bank+marketing.zip: bank.zip inside, bank-full.csv inside that.
        byte[] outer = zip("bank.zip", zip("bank-full.csv", "abc".getBytes(StandardCharsets.US_ASCII)));
        RemoteFile f = new RemoteFile("bank-full.csv", URI.create("http://h/bank+marketing.zip"), ABC,
                List.of("bank.zip", "bank-full.csv"));
        byte[] got = Downloader.unpack(f, outer);
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(Downloader.sha256(got)).isEqualTo(f.sha256());
    }

    @Test
    void unpack_entryUnderAFolder_isFoundByItsName() throws Exception {
        byte[] z = zip("data/x.csv", "abc".getBytes(StandardCharsets.US_ASCII));
        RemoteFile f = new RemoteFile("x.csv", URI.create("http://h/x.zip"), null, List.of("x.csv"));
        assertThat(Downloader.unpack(f, z)).containsExactly('a', 'b', 'c');
    }

    @Test
    void unpack_missingEntry_failsNamingArchiveAndEntry() throws Exception {
        byte[] outer = zip("bank.zip", zip("bank.csv", new byte[] {1}));
        RemoteFile f = new RemoteFile("bank-full.csv", URI.create("http://h/bank+marketing.zip"), ABC,
                List.of("bank.zip", "bank-full.csv"));
        assertThatThrownBy(() -> Downloader.unpack(f, outer)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("http://h/bank+marketing.zip > bank.zip")
                .hasMessageContaining("no entry 'bank-full.csv'");
    }

    @Test
    void unpack_plainFile_isReturnedAsIs() throws Exception {
        byte[] b = {1, 2, 3};
        assertThat(Downloader.unpack(UNREACHABLE, b)).isSameAs(b);
    }
}
