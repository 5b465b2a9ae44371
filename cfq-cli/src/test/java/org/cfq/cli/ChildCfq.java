package org.cfq.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs cfq in a separate JVM (the test's class path), for what an in-process run cannot show:
 * environment variables, and a process killed mid-write.
 */
final class ChildCfq {
    private ChildCfq() {
    }

    /** The command line of a child cfq with these arguments. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a child with stdout and stderr to files in {@code logDir}. */
    static Process start(Path logDir, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(logDir);
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().putAll(env);
        pb.redirectOutput(logDir.resolve("stdout.txt").toFile());
        pb.redirectError(logDir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    /** Runs a child to its end and returns its exit code. */
    static int run(Path logDir, Map<String, String> env, String... args) throws Exception {
        Process p = start(logDir, env, args);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cfq " + String.join(" ", args) + " did not finish in 120 s");
        }
        return p.exitValue();
    }

    static String stderr(Path logDir) throws IOException {
        return Files.readString(logDir.resolve("stderr.txt"));
    }

    static String classPathSeparator() {
        return File.pathSeparator;
    }
}
