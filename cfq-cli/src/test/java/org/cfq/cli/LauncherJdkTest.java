package org.cfq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the launcher runs on the newest JDK >= 25 it finds (with the vector module), keeps one
 * AOT cache per command next to the jar, built on first use, rebuilt when older than the jar, and
 * never leaves a cache or a temporary file behind a failed run. Without such a JDK it falls back
 * to the java on PATH and its CDS archive. The JDKs here are stand-ins that log their arguments
 * and write the files the real JVM would.
 */
class LauncherJdkTest {
    @TempDir
    Path dir;

    private Path repo;
    private Path jvms;
    private Path bin;
    private Path target;
    private Path log;

    private static boolean has(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void script(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A stand-in JDK: logs "name args...", writes the AOT configuration or cache it is asked for. */
    private static String fakeJava(String name, Path log) {
        return "#!/usr/bin/env bash\n"
                + "echo \"" + name + " $*\" >> '" + log + "'\n"
                + "for a in \"$@\"; do case \"$a\" in\n"
                + "  -XX:AOTConfiguration=*) conf=\"${a#*=}\" ;;\n"
                + "  -XX:AOTCache=*) cache=\"${a#*=}\" ;;\n"
                + "  -XX:ArchiveClassesAtExit=*) jsa=\"${a#*=}\" ;;\n"
                + "esac; done\n"
                + "case \" $* \" in\n"
                + "  *' -XX:AOTMode=record '*) echo partial > \"$conf\"; [ -z \"${FAIL_RUN:-}\" ] || exit 3 ;;\n"
                + "  *' -XX:AOTMode=create '*) echo partial > \"$cache\"; [ -z \"${FAIL_CREATE:-}\" ] || exit 1;"
                + " echo cache > \"$cache\"; exit 0 ;;\n"
                + "esac\n"
                + "[ -z \"${jsa:-}\" ] || { echo jsa > \"$jsa\"; [ -z \"${FAIL_RUN:-}\" ] || exit 3; }\n"
                + "echo \"" + name + " ran ${@: -1}\"\n";
    }

    private void jdk(String dirName, String version, boolean vector) throws Exception {
        Path home = Files.createDirectories(jvms.resolve(dirName));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n"
                + "MODULES=\"java.base java.logging" + (vector ? " jdk.incubator.vector" : "") + " jdk.jfr\"\n");
        script(home.resolve("bin/java"), fakeJava("jdk" + version, log));
    }

    @BeforeEach
    void setUp() throws Exception {
        Path launcher = Path.of("..", "cfq").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(launcher) && has("bash"), "needs the launcher and bash");
        repo = Files.createDirectories(dir.resolve("repo"));
        Files.copy(launcher, repo.resolve("cfq"));
        Files.createDirectories(repo.resolve("cfq-cli"));
        Files.writeString(repo.resolve("cfq-cli/pom.xml"), "<project/>");
        Files.setLastModifiedTime(repo.resolve("cfq-cli/pom.xml"), FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        target = Files.createDirectories(repo.resolve("cfq-cli/target"));
        Files.writeString(target.resolve("cfq.jar"), "jar");
        Files.setLastModifiedTime(target.resolve("cfq.jar"), FileTime.fromMillis(System.currentTimeMillis() - 300_000));
        jvms = Files.createDirectories(dir.resolve("jvm"));
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("java.log");
        script(bin.resolve("java"), fakeJava("path", log));
        script(bin.resolve("mvn"), "#!/usr/bin/env bash\necho 'unexpected build' >&2; exit 1\n");
    }

    private record Run(int exit, String output, List<String> calls) {}

    private Run cfq(Map<String, String> env, String... args) throws Exception {
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of("bash", repo.resolve("cfq").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("CFQ_JVM_DIR", jvms.toString());
        pb.environment().remove("CFQ_JAVA");
        pb.environment().remove("CFQ_CDS");
        pb.environment().remove("CFQ_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Run(p.exitValue(), out, calls);
    }

    private List<String> targetFiles() throws Exception {
        try (Stream<Path> s = Files.list(target)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void newestJdkWithVectorModule_firstRunRecordsCache_secondRunMapsIt() throws Exception {
        jdk("jdk-21", "21.0.2", true);
        jdk("temurin-25", "25.0.3", true);
        jdk("jdk-27-novector", "27", false);

        Run first = cfq(Map.of(), "train", "--dataset", "adult");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("jdk25.0.3 ran adult");
        assertThat(first.calls()).hasSize(2);
        assertThat(first.calls().get(0)).startsWith("jdk25.0.3 ").contains("-XX:AOTMode=record", "--add-modules jdk.incubator.vector");
        assertThat(first.calls().get(1)).startsWith("jdk25.0.3 ").contains("-XX:AOTMode=create");
        assertThat(targetFiles()).containsExactly("cfq-train-jdk25.0.3.aot", "cfq.jar");
        assertThat(Files.readString(target.resolve("cfq-train-jdk25.0.3.aot"))).isEqualTo("cache\n");

        Run second = cfq(Map.of(), "train", "--dataset", "adult");
        assertThat(second.exit()).isZero();
        assertThat(second.calls()).hasSize(1);
        assertThat(second.calls().get(0))
                .contains("-XX:AOTCache=" + target.resolve("cfq-train-jdk25.0.3.aot"))
                .doesNotContain("AOTMode");
        assertThat(targetFiles()).containsExactly("cfq-train-jdk25.0.3.aot", "cfq.jar");

        // A second command keeps its own cache.
        assertThat(cfq(Map.of(), "datasets").exit()).isZero();
        assertThat(targetFiles()).containsExactly("cfq-datasets-jdk25.0.3.aot", "cfq-train-jdk25.0.3.aot", "cfq.jar");
    }

    @Test
    void cacheOlderThanJar_isRebuilt() throws Exception {
        jdk("temurin-25", "25.0.3", true);
        assertThat(cfq(Map.of(), "datasets").exit()).isZero();
        Path cache = target.resolve("cfq-datasets-jdk25.0.3.aot");
        Files.setLastModifiedTime(cache, FileTime.fromMillis(System.currentTimeMillis() - 200_000));
        Files.setLastModifiedTime(target.resolve("cfq.jar"), FileTime.fromMillis(System.currentTimeMillis() - 100_000));

        Run stale = cfq(Map.of(), "datasets");
        assertThat(stale.exit()).isZero();
        assertThat(stale.calls()).hasSize(2);
        assertThat(stale.calls().get(0)).contains("-XX:AOTMode=record").doesNotContain("-XX:AOTCache=");
        assertThat(Files.getLastModifiedTime(cache)).isGreaterThan(Files.getLastModifiedTime(target.resolve("cfq.jar")));
        assertThat(targetFiles()).containsExactly("cfq-datasets-jdk25.0.3.aot", "cfq.jar");
    }

    @Test
    void failedRunOrFailedAssembly_leavesNoCacheAndNoTemporaryFile() throws Exception {
        jdk("temurin-25", "25.0.3", true);
        Run failed = cfq(Map.of("FAIL_RUN", "1"), "datasets");
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.calls()).hasSize(1);
        assertThat(targetFiles()).containsExactly("cfq.jar");

        Run badCreate = cfq(Map.of("FAIL_CREATE", "1"), "datasets");
        assertThat(badCreate.exit()).as("the command itself succeeded").isZero();
        assertThat(badCreate.calls()).hasSize(2);
        assertThat(targetFiles()).containsExactly("cfq.jar");
    }

    @Test
    void noJdk25_fallsBackToPathJavaWithCdsArchive() throws Exception {
        jdk("jdk-21", "21.0.2", true);
        jdk("jdk-26-novector", "26", false);
        Run run = cfq(Map.of(), "datasets");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("path ran datasets");
        assertThat(run.calls()).singleElement().asString().startsWith("path ").contains("-XX:ArchiveClassesAtExit=");
        assertThat(targetFiles()).containsExactly("cfq-datasets.jsa", "cfq.jar");

        Run failed = cfq(Map.of("FAIL_RUN", "1"), "train");
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(targetFiles()).containsExactly("cfq-datasets.jsa", "cfq.jar");
    }

    @Test
    void cfqJava_overridesTheChoice_andCdsOffRunsPlain() throws Exception {
        jdk("temurin-25", "25.0.3", true);
        Run forced = cfq(Map.of("CFQ_JAVA", "java"), "datasets");
        assertThat(forced.output()).contains("path ran datasets");
        assertThat(forced.calls()).singleElement().asString().contains("-XX:ArchiveClassesAtExit=");

        Run plain = cfq(Map.of("CFQ_CDS", "0"), "datasets");
        assertThat(plain.output()).contains("jdk25.0.3 ran datasets");
        assertThat(plain.calls()).singleElement().asString().doesNotContain("AOT").doesNotContain("Archive");
        assertThat(targetFiles()).containsExactly("cfq-datasets.jsa", "cfq.jar");
    }
}
