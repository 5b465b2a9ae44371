package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 7: two {@code ./cfq} launches during a pending rebuild build once; the second
 * waits and then runs. The launcher runs against stand-ins for Maven (slow, and failing when two
 * builds overlap, as the shade plugin did) and Java.
 */
class LauncherLockTest {
    @TempDir
    Path dir;

    private static boolean has(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Path script(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void launcher_twoConcurrentLaunchesWithStaleJar_buildOnceAndBothRun() throws Exception {
        Path launcher = Path.of("..", "cfq").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(launcher) && has("bash") && has("flock"), "needs the launcher, bash and flock");
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(launcher, repo.resolve("cfq"));
        Files.createDirectories(repo.resolve("cfq-cli"));
        Files.writeString(repo.resolve("cfq-cli/pom.xml"), "<project/>");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), "#!/usr/bin/env bash\n"
                + "if [ -e build.running ]; then echo 'shade: overlapping build' >&2; exit 1; fi\n"
                + "touch build.running; echo build >> builds.log; sleep 2\n"
                + "mkdir -p cfq-cli/target; touch cfq-cli/target/cfq.jar; rm build.running\n");
        script(bin.resolve("java"), "#!/usr/bin/env bash\necho ran \"${@: -1}\"\n");

        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("cfq").toString(), "datasets")
                .directory(repo.toFile());
        pb.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        // No JDK >= 25 to pick: the stand-in java on PATH runs (LauncherJdkTest covers the choice).
        pb.environment().put("CFQ_JVM_DIR", Files.createDirectories(dir.resolve("no-jdks")).toString());
        pb.redirectErrorStream(true);
        Process first = pb.start();
        Thread.sleep(300);
        Process second = pb.start();

        for (Process p : List.of(first, second)) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("ran datasets").doesNotContain("overlapping");
        }
        assertThat(Files.readAllLines(repo.resolve("builds.log"))).containsExactly("build");
    }
}
